"""Accounts created and changed (blank Api-Key keeps the stored one) and the environment's account (bootstrap)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ozonprice.account_services import account_bootstrap, account_create, account_update
from ozonprice.models import Account
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

STORED = "stored-api-key-0a1b2c3d4e5f"


# --- create and update ---------------------------------------------------------------------
def test_create_stores_the_account_with_its_settings():
    account = account_create(name="Brand LLC", client_id="900100", api_key=STORED, promo_guard_mode="remove")

    fresh = Account.objects.get(pk=account.pk)
    assert (fresh.name, fresh.client_id, fresh.api_key, fresh.promo_guard_mode) == (
        "Brand LLC",
        "900100",
        STORED,
        "remove",
    )


def test_create_refuses_a_taken_name_or_client_id_naming_the_field():
    AccountFactory(name="Brand LLC", client_id="900100")

    with pytest.raises(ValidationError) as taken:
        account_create(name="Brand LLC", client_id="900100", api_key=STORED)

    assert set(taken.value.message_dict) == {"name", "client_id"}
    assert Account.objects.count() == 1


def test_update_writes_only_what_changed_and_a_blank_api_key_keeps_the_stored_one():
    account = AccountFactory(api_key=STORED, dry_run=False)

    changed = account_update(account=account, api_key="", dry_run=True, promo_guard_mode=account.promo_guard_mode)

    assert changed == ["dry_run"]
    fresh = Account.objects.get(pk=account.pk)
    assert (fresh.api_key, fresh.dry_run) == (STORED, True)
    assert account_update(account=account, api_key=None, showcase_hold=None) == []


def test_update_replaces_the_key_when_one_is_given():
    account = AccountFactory(api_key=STORED)

    assert account_update(account=account, api_key="new-key-00112233") == ["api_key"]

    assert Account.objects.get(pk=account.pk).api_key == "new-key-00112233"


def test_an_invalid_value_is_a_validation_error_naming_the_field_and_nothing_is_saved():
    account = AccountFactory(name="Brand LLC")

    with pytest.raises(ValidationError) as refused:
        account_update(account=account, showcase_max_uplift=Decimal("101"), name="Renamed", promo_guard_mode="nope")

    assert set(refused.value.message_dict) == {"showcase_max_uplift", "promo_guard_mode"}
    fresh = Account.objects.get(pk=account.pk)
    assert (fresh.name, fresh.showcase_max_uplift, fresh.promo_guard_mode) == (
        "Brand LLC",
        Decimal("15.00"),
        "report",
    )


def test_a_name_that_is_no_account_setting_is_refused():
    with pytest.raises(TypeError, match="monitoring_interval"):
        account_update(account=AccountFactory(), monitoring_interval=5)


# --- bootstrap from the environment ---------------------------------------------------------
@pytest.fixture
def env(settings):
    settings.OZON_CLIENT_ID, settings.OZON_API_KEY = " 424242 ", "env-api-key-0f1e2d3c"
    settings.FRONT_PRICE_API_URL = ""
    return settings


def test_the_environments_credentials_make_the_account_once(env):
    made = account_bootstrap()

    assert (made.name, made.client_id, made.api_key) == ("Ozon", "424242", "env-api-key-0f1e2d3c")
    assert account_bootstrap() is None  # that Client-Id has an account now
    assert Account.objects.count() == 1


def test_it_carries_the_front_price_url_of_the_environment(env):
    env.FRONT_PRICE_API_URL = "https://front.example.com/"

    assert account_bootstrap().front_price_api_url == "https://front.example.com/"


def test_the_name_gets_the_client_id_when_ozon_is_taken(env):
    AccountFactory(name="Ozon", client_id="111")

    made = account_bootstrap()

    assert (made.name, made.client_id) == ("Ozon 424242", "424242")


def test_an_account_the_migration_made_without_a_client_id_is_filled_instead_of_a_second(env):
    migrated = Account.objects.create(name="Ozon", client_id="", api_key="")

    filled = account_bootstrap()

    assert filled.pk == migrated.pk
    fresh = Account.objects.get(pk=migrated.pk)
    assert (fresh.name, fresh.client_id, fresh.api_key) == ("Ozon", "424242", "env-api-key-0f1e2d3c")
    assert Account.objects.count() == 1


def test_without_a_client_id_in_the_environment_nothing_is_made(env):
    env.OZON_CLIENT_ID = "  "

    assert account_bootstrap() is None
    assert not Account.objects.exists()


def test_setup_schedules_bootstraps_the_account_and_schedules_it(env):
    from io import StringIO

    from django.core.management import call_command
    from django_q.models import Schedule

    out = StringIO()
    call_command("setup_schedules", stdout=out)

    account = Account.objects.get(client_id="424242")
    assert "account from the environment: Ozon (Client-Id 424242)" in out.getvalue()
    assert Schedule.objects.filter(name=f"monitor_products:{account.pk}").exists()

"""The API secret (a hash only), masks of stored secrets, and runtime settings changed with their schedules."""

import pytest
from django.core.exceptions import ValidationError
from django_q.models import Schedule

from ozonprice.keys import api_key_check, api_key_create, api_key_revoke
from ozonprice.models import ApiKey, ApiScope, RuntimeSettings
from ozonprice.services import (
    DEFAULT_KEY_NAME,
    HASH_PREFIX,
    api_secret_generate,
    api_secret_is_set,
    runtime_settings_update,
    secret_mask,
)

pytestmark = pytest.mark.django_db


def test_a_new_secret_is_stored_as_a_hash_and_replaces_the_old_one():
    assert not api_secret_is_set() and api_key_check("anything") is None

    first = api_secret_generate()
    second = api_secret_generate()

    stored = ApiKey.objects.get(name="default").secret_hash
    assert stored.startswith(HASH_PREFIX) and first not in stored and second not in stored
    assert api_key_check(second) is not None and api_key_check(first) is None
    assert api_key_check("") is None
    assert api_secret_is_set()


def test_generate_secret_makes_the_default_key_with_every_scope_and_account_and_leaves_named_keys_alone():
    named, named_secret = api_key_create(name="ImageStudio", scopes=["images"])

    api_secret_generate()

    default = ApiKey.objects.get(name=DEFAULT_KEY_NAME)
    assert sorted(default.scopes) == sorted(ApiScope.values) and default.all_accounts
    assert api_key_check(named_secret) == named


def test_generate_secret_revives_a_revoked_default_key():
    api_secret_generate()
    api_key_revoke(key=ApiKey.objects.get(name=DEFAULT_KEY_NAME))
    assert not api_secret_is_set()

    secret = api_secret_generate()

    assert api_key_check(secret) is not None and api_secret_is_set()


@pytest.mark.parametrize(
    ("value", "shown"), [("", ""), ("short-secret", "****"), ("a-long-ozon-api-key-1234", "****1234")]
)
def test_a_secret_shows_at_most_its_last_four_characters(value, shown):
    assert secret_mask(value) == shown


def test_only_changed_settings_are_written():
    runtime = RuntimeSettings.load()

    update = runtime_settings_update(monitoring_interval=runtime.monitoring_interval, guard_interval=None)

    assert update.changed == [] and not update.rescheduled
    assert not Schedule.objects.exists()
    # An account's settings (Client-Id, Api-Key, guard modes) are account_update's (test_account_services).
    with pytest.raises(TypeError):
        runtime_settings_update(ozon_client_id="777")


def test_a_new_interval_reschedules_the_jobs():
    current = RuntimeSettings.load().monitoring_interval

    update = runtime_settings_update(monitoring_interval=current + 5)

    assert update.rescheduled and update.changed == ["monitoring_interval"]
    assert Schedule.objects.exists()


def test_an_invalid_value_is_refused_and_nothing_is_saved():
    before = RuntimeSettings.load()

    with pytest.raises(ValidationError) as refused:
        runtime_settings_update(monitoring_interval=0, price_update_interval=before.price_update_interval + 1)

    assert "monitoring_interval" in refused.value.message_dict
    fresh = RuntimeSettings.load()
    assert (fresh.monitoring_interval, fresh.price_update_interval) == (
        before.monitoring_interval,
        before.price_update_interval,
    )
    assert not Schedule.objects.exists()

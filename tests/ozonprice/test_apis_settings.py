"""GET/PUT /api/settings and POST /api/settings/generate-secret."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_q.models import Schedule, Task
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from ozonprice.accounts import account_run_name
from ozonprice.keys import api_key_create
from ozonprice.models import ApiKey, RuntimeSettings
from ozonprice.schedule import schedules_install
from ozonprice.services import api_secret_generate, api_secret_hash, secret_mask
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/settings"
GENERATE = "/api/settings/generate-secret"
STORED_KEY = "test-api-key-0f1e2d3c4b5a"


@pytest.fixture
def secret():
    return api_secret_generate()


@pytest.fixture
def api(secret, account):
    # The install's one account: requests need not name it.
    return APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})


def all_log_text() -> str:
    return "\n".join(
        " ".join(str(v) for v in row)
        for row in ApiLogEntry.objects.values_list("endpoint", "error_message", "request_payload", "response_payload")
    )


# --- GET --------------------------------------------------------------------


def test_it_shows_the_settings_with_the_secrets_masked(api, ozon_credentials, secret):
    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "account",
        "monitoring_interval",
        "price_update_interval",
        "ozon_client_id",
        "ozon_api_key",
        "front_price_api_url",
        "secret_key",
        "last_update",
        "next_update",
        # the storefront guard's (SPEC §10)
        "promo_guard_mode",
        "guard_interval",
        "discount_requests_mode",
        "discount_decline_comment",
        "showcase_hold",
        "showcase_max_uplift",
    }
    assert (body["promo_guard_mode"], body["discount_requests_mode"], body["showcase_hold"]) == (
        "report",
        "manual",
        False,
    )
    assert body["showcase_max_uplift"] == 15
    assert body["ozon_api_key"] == "****4b5a"
    assert body["secret_key"] == "****"
    assert STORED_KEY not in response.content.decode()
    assert secret not in response.content.decode()
    assert (body["monitoring_interval"], body["price_update_interval"], body["ozon_client_id"]) == (10, 5, "123456")
    assert body["account"] == ozon_credentials.pk


def test_unset_secrets_show_as_empty():
    AccountFactory(api_key="")  # an account whose Api-Key is not entered yet; no API key made
    client = APIClient()
    client.force_login(UserFactory(staff=True, permissions=["ozonprice.view_runtimesettings"]))

    body = client.get(URL).json()

    assert (body["ozon_api_key"], body["secret_key"]) == ("", "")


def test_a_short_secret_is_masked_completely():
    assert secret_mask("abcd1234") == "****"
    assert secret_mask("0123456789abcdef") == "****cdef"


def test_last_and_next_update_come_from_django_q(api, account):
    schedules_install()
    monitor = account_run_name("monitor_products", account)
    next_run = Schedule.objects.get(name=monitor).next_run
    finished = timezone.now() - timedelta(minutes=3)
    Task.objects.create(
        id="a" * 32,
        name="run-1",
        func="catalog.tasks.monitor_products",
        group=monitor,  # django-q2 groups a scheduled run by its schedule's name
        started=finished - timedelta(seconds=20),
        stopped=finished,
        success=True,
    )
    Task.objects.create(
        id="b" * 32,
        name="run-2",
        func="catalog.tasks.monitor_products",
        group=monitor,
        started=finished,
        stopped=finished + timedelta(minutes=1),
        success=False,
    )

    body = api.get(URL).json()

    assert body["last_update"] == finished.astimezone(timezone.get_current_timezone()).isoformat()
    assert body["next_update"] == next_run.astimezone(timezone.get_current_timezone()).isoformat()


def test_without_schedules_or_runs_both_times_are_null(api):
    Schedule.objects.all().delete()  # saving the account installed its schedules

    body = api.get(URL).json()

    assert (body["last_update"], body["next_update"]) == (None, None)


def test_with_two_accounts_the_settings_are_the_named_ones(api, account):
    other = AccountFactory(name="Brand LLC", client_id="777001", promo_guard_mode="remove")

    for reference in (other.pk, other.name, other.client_id):
        body = api.get(URL, {"account": reference}).json()
        assert (body["account"], body["ozon_client_id"], body["promo_guard_mode"]) == (other.pk, "777001", "remove")
    assert api.get(URL, {"account": account.name}).json()["ozon_client_id"] == account.client_id


def test_with_two_accounts_and_none_named_get_and_put_are_a_400_naming_account(api, account):
    AccountFactory(name="Brand LLC", client_id="777001")

    read = api.get(URL)
    write = api.put(URL, {"promo_guard_mode": "remove", "monitoring_interval": 20}, format="json")

    assert (read.status_code, write.status_code) == (400, 400)
    assert list(read.json()["errors"]) == list(write.json()["errors"]) == ["account"]
    account.refresh_from_db()
    assert (account.promo_guard_mode, RuntimeSettings.load().monitoring_interval) == ("report", 10)


def test_a_put_naming_an_account_changes_only_that_account(api, account):
    other = AccountFactory(name="Brand LLC", client_id="777001")

    response = api.put(URL, {"account": "Brand LLC", "promo_guard_mode": "remove"}, format="json")

    assert response.status_code == 200, response.content
    other.refresh_from_db()
    account.refresh_from_db()
    assert (other.promo_guard_mode, account.promo_guard_mode) == ("remove", "report")


def test_a_key_of_one_account_reads_and_changes_only_its_own_settings(account):
    other = AccountFactory(name="Brand LLC", client_id="777001")
    _key, secret = api_key_create(name="brand", scopes=["settings"], accounts=[other])
    brand = APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})

    assert brand.get(URL).json()["account"] == other.pk  # its only account, not named
    assert brand.get(URL, {"account": account.pk}).status_code == 403
    refused = brand.put(URL, {"account": account.name, "ozon_api_key": "stolen-0123456789"}, format="json")

    assert refused.status_code == 403
    assert "may not use the account Ozon" in refused.json()["detail"]
    account.refresh_from_db()
    assert account.api_key == STORED_KEY


def test_before_any_account_the_default_key_gets_a_400_naming_account(secret):
    response = APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"}).get(URL)

    assert response.status_code == 400  # the key may use every account: there is none yet, nothing is refused
    assert response.json()["errors"] == {
        "account": ["No Ozon account is set up yet: add one in the admin (Ozon accounts)."]
    }


# --- PUT --------------------------------------------------------------------


def test_it_changes_the_settings_and_a_new_interval_reschedules_at_once(api, account):
    schedules_install()

    response = api.put(
        URL,
        {
            "monitoring_interval": 30,
            "price_update_interval": 7,
            "front_price_api_url": "https://front.example/",
            "ozon_client_id": "777",
            "ozon_api_key": "new-ozon-key-0123456789",
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"status": "success", "message": "Settings saved; the tasks were rescheduled"}
    runtime = RuntimeSettings.load()
    assert (runtime.monitoring_interval, runtime.price_update_interval) == (30, 7)
    account.refresh_from_db()
    assert (account.front_price_api_url, account.client_id) == ("https://front.example/", "777")
    assert account.api_key == "new-ozon-key-0123456789"
    assert Schedule.objects.get(name=account_run_name("monitor_products", account)).minutes == 30
    assert Schedule.objects.get(name=account_run_name("maintain_mrpc_prices", account)).minutes == 7


def test_a_blank_or_absent_api_key_keeps_the_stored_one(api, ozon_credentials):
    assert api.put(URL, {"ozon_api_key": ""}, format="json").status_code == 200
    assert api.put(URL, {"ozon_client_id": "999"}, format="json").json()["message"] == "Settings saved"

    ozon_credentials.refresh_from_db()
    assert (ozon_credentials.api_key, ozon_credentials.client_id) == (STORED_KEY, "999")


def test_an_empty_body_changes_nothing(api):
    response = api.put(URL, {}, format="json")

    assert response.json() == {"status": "success", "message": "Nothing to change"}


def test_unknown_fields_are_refused_by_name(api):
    response = api.put(URL, {"monitoring_interval": 20, "dry_run": True, "colour": "red"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"colour", "dry_run"}
    assert RuntimeSettings.load().monitoring_interval == 10


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"monitoring_interval": 0}, "monitoring_interval"),
        ({"monitoring_interval": "soon"}, "monitoring_interval"),
        ({"price_update_interval": 100_000}, "price_update_interval"),
        ({"price_update_interval": 2.5}, "price_update_interval"),
        ({"front_price_api_url": "ftp://front.example/"}, "front_price_api_url"),
        ({"front_price_api_url": "not a url"}, "front_price_api_url"),
        ({"ozon_client_id": "12 34"}, "ozon_client_id"),
        ({"ozon_api_key": "key\r\nX-Injected: 1"}, "ozon_api_key"),
        ({"ozon_api_key": ["a list"]}, "ozon_api_key"),
        ({"ozon_api_key": "k" * 256}, "ozon_api_key"),
    ],
)
def test_bad_values_are_a_400_naming_the_field(api, body, field):
    response = api.put(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_malformed_json_and_a_non_object_body_are_400(api):
    broken = api.put(URL, '{"monitoring_interval": ', content_type="application/json")
    listed = api.put(URL, "[1, 2]", content_type="application/json")

    assert broken.status_code == 400 and "detail" in broken.json()
    assert listed.status_code == 400 and "non_field_errors" in listed.json()["errors"]


def test_the_new_api_key_is_in_no_response_and_no_log_row(api):
    response = api.put(URL, {"ozon_api_key": "brand-new-ozon-key-42"}, format="json")

    assert "brand-new-ozon-key-42" not in response.content.decode()
    assert "brand-new-ozon-key-42" not in all_log_text()
    assert ApiLogEntry.objects.filter(direction="in", endpoint=URL, method="PUT").count() == 1


# --- generate-secret --------------------------------------------------------


def test_a_new_secret_is_shown_once_stored_as_a_hash_and_the_old_one_stops_working(api, secret):
    response = api.post(GENERATE)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    new_secret = body["secret_key"]
    assert len(new_secret) >= 40 and new_secret != secret
    assert response["Cache-Control"] == "no-store"
    assert ApiKey.objects.get(name="default").secret_hash == api_secret_hash(new_secret)
    assert api.get(URL).status_code == 401
    assert APIClient(headers={"X-API-Key": new_secret}).get(URL).status_code == 200
    assert new_secret not in all_log_text()


def test_the_settings_api_needs_credentials():
    client = APIClient()

    assert client.get(URL).status_code == 401
    assert client.put(URL, {}, format="json").status_code == 401
    assert client.post(GENERATE).status_code == 401


def test_the_schema_shows_secrets_only_masked_and_takes_the_api_key_write_only():
    components = APIClient().get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    shown = components["RuntimeSettings"]["properties"]
    assert "masked" in shown["ozon_api_key"]["description"]
    assert components["RuntimeSettingsUpdateRequest"]["properties"]["ozon_api_key"]["writeOnly"] is True
    for name, component in components.items():
        properties = set(component.get("properties", {}))
        assert not properties & {"api_secret_hash", "secret_hash", "telegram_bot_token"}, name


def test_the_guard_settings_change_through_the_api(api, account):
    response = api.put(
        URL,
        {
            "promo_guard_mode": "remove",
            "discount_requests_mode": "decline_below_mrpc",
            "showcase_hold": True,
            "showcase_max_uplift": "10",
            "discount_decline_comment": "Ниже МРЦ",
            "guard_interval": 15,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert (account.promo_guard_mode, account.discount_requests_mode, account.showcase_hold) == (
        "remove",
        "decline_below_mrpc",
        True,
    )
    assert (account.showcase_max_uplift, account.discount_decline_comment) == (Decimal("10"), "Ниже МРЦ")
    assert RuntimeSettings.load().guard_interval == 15  # global: every account's guard runs this often


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("promo_guard_mode", "delete"),
        ("discount_requests_mode", "approve_all"),
        ("showcase_hold", "yes"),
        ("showcase_max_uplift", "101"),
        ("showcase_max_uplift", "-1"),
        ("guard_interval", 0),
    ],
)
def test_bad_guard_settings_are_refused_naming_the_field(api, field, value):
    response = api.put(URL, {field: value}, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("url", ["not a url", "ftp://front.example/"])
def test_a_bad_url_is_one_error_with_one_message(api, url):
    response = api.put(URL, {"front_price_api_url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"front_price_api_url": ["Enter a valid URL."]}

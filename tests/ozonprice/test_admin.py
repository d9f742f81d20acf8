"""The core admin: runtime settings on their one row with secrets never shown; task leases read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ozonprice.models import ApiKey, RuntimeSettings, TaskLease
from ozonprice.services import api_secret_generate

pytestmark = pytest.mark.django_db


LOG = reverse("admin:auditlog_apilogentry_changelist")


def test_runtime_settings_open_straight_on_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:ozonprice_runtimesettings_changelist"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:ozonprice_runtimesettings_change", args=[1])
    assert admin_client.get(response["Location"]).status_code == 200


def test_runtime_settings_cannot_be_added_twice_or_deleted(admin_client):
    RuntimeSettings.load()

    assert admin_client.get(reverse("admin:ozonprice_runtimesettings_add")).status_code == 403
    assert admin_client.get(reverse("admin:ozonprice_runtimesettings_delete", args=[1])).status_code == 403


def settings_form(**changes) -> dict:
    """The global settings' form; the credentials and per-account settings are on each account's page."""
    form = {
        "monitoring_interval": "10",
        "price_update_interval": "5",
        "verification_window": "30",
        "deviation_threshold": "1.00",
        "images_limit": "30",
        "guard_interval": "10",
        "notify_emails": "",
        "telegram_chat_id": "",
        "telegram_bot_token": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_stored_secrets_are_never_shown_and_blank_keeps_them(admin_client, ozon_credentials):
    url = reverse("admin:ozonprice_runtimesettings_change", args=[1])
    runtime = RuntimeSettings.load()
    runtime.telegram_bot_token = "bot:stored-0f1e2d3c4b5a"
    runtime.save()
    api_secret_generate()
    stored_hash = ApiKey.objects.get(name="default").secret_hash

    page = admin_client.get(url).content.decode()
    assert runtime.telegram_bot_token not in page
    assert ozon_credentials.api_key not in page
    assert stored_hash not in page
    assert "create_api_key" in page

    assert admin_client.post(url, settings_form(monitoring_interval="15")).status_code == 302
    saved = RuntimeSettings.load()
    assert (saved.monitoring_interval, saved.telegram_bot_token) == (15, "bot:stored-0f1e2d3c4b5a")
    assert ApiKey.objects.get(name="default").secret_hash == stored_hash


def test_a_typed_secret_replaces_the_stored_one_and_the_tick_clears_it(admin_client):
    url = reverse("admin:ozonprice_runtimesettings_change", args=[1])
    RuntimeSettings.load()

    assert admin_client.post(url, settings_form(telegram_bot_token="bot:123")).status_code == 302
    assert RuntimeSettings.load().telegram_bot_token == "bot:123"

    admin_client.post(url, settings_form(monitoring_interval="20"))
    assert RuntimeSettings.load().telegram_bot_token == "bot:123"

    assert admin_client.post(url, settings_form(clear_telegram_bot_token="on")).status_code == 302
    assert RuntimeSettings.load().telegram_bot_token == ""


def test_the_settings_page_has_no_per_account_field(admin_client):
    page = admin_client.get(reverse("admin:ozonprice_runtimesettings_change", args=[RuntimeSettings.load().pk]))

    fields = set(page.context["adminform"].form.fields)
    assert not fields & {"ozon_client_id", "ozon_api_key", "front_price_api_url", "promo_guard_mode", "dry_run"}


def test_task_leases_are_read_only(admin_client):
    TaskLease.acquire("monitor_products", ttl=timedelta(minutes=5))

    assert admin_client.get(reverse("admin:ozonprice_tasklease_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ozonprice_tasklease_add")).status_code == 403
    change = reverse("admin:ozonprice_tasklease_change", args=["monitor_products"])
    assert admin_client.post(change, {"owner": "me"}).status_code == 403
    assert admin_client.get(reverse("admin:ozonprice_tasklease_delete", args=["monitor_products"])).status_code == 403

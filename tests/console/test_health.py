"""GET /health: public, no secrets, components from the API log, a gated live probe, 503 without a database."""

from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.db import DatabaseError
from django.utils import timezone
from django_q.models import Task
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from tests.factories import ApiLogEntryFactory
from tests.fixtures import load_fixture

pytestmark = pytest.mark.django_db

URL = "/health"
LIST_URL = "https://api-seller.ozon.ru/v3/product/list"


def health():
    return APIClient().get(URL)


def test_it_is_public_and_reports_every_component_in_the_documented_shape():
    response = health()

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "components", "accounts", "last_monitoring", "last_price_update"}
    assert body["accounts"] == []  # no account set up yet
    assert set(body["components"]) == {"database", "ozon_api", "front_price_api"}
    assert body["components"]["database"]["status"] == "ok"
    assert body["components"]["database"]["latency_ms"] >= 0
    # Nothing configured, nothing called: unknown, and no probe was possible.
    assert body["components"]["ozon_api"] == {"status": "unknown", "latency_ms": None}
    assert body["status"] == "ok"
    assert (body["last_monitoring"], body["last_price_update"]) == (None, None)


def test_upstream_state_comes_from_the_latest_logged_call(account):
    ApiLogEntryFactory(
        service="ozon", success=False, status_code=503, timestamp=timezone.now() - timedelta(minutes=1), account=account
    )
    ApiLogEntryFactory(service="ozon", success=True, status_code=200, response_time=0.25, account=account)
    ApiLogEntryFactory(service="front_price", success=False, status_code=None, response_time=None, account=account)

    body = health().json()

    assert body["components"]["ozon_api"] == {"status": "ok", "latency_ms": 250.0}
    assert body["components"]["front_price_api"] == {"status": "error", "latency_ms": None}
    assert body["status"] == "degraded"
    assert body["accounts"] == [
        {
            "account": account.pk,
            "ozon_api": {"status": "ok", "latency_ms": 250.0},
            "front_price_api": {"status": "error", "latency_ms": None},
        }
    ]


@pytest.mark.parametrize(("code", "state"), [(400, "ok"), (404, "ok"), (401, "error"), (403, "error"), (429, "error")])
def test_a_refused_request_still_shows_the_service_up_but_bad_credentials_do_not(code, state, account):
    ApiLogEntryFactory(service="ozon", success=False, status_code=code, account=account)

    assert health().json()["components"]["ozon_api"]["status"] == state


def test_a_stale_state_is_probed_live_at_most_once_a_minute(no_network, ozon_credentials):
    ApiLogEntryFactory(
        service="ozon",
        success=False,
        status_code=500,
        timestamp=timezone.now() - timedelta(hours=1),
        account=ozon_credentials,
    )
    no_network.add(responses.POST, LIST_URL, json=load_fixture("product_list_empty"))

    first = health().json()
    second = health().json()

    assert first["components"]["ozon_api"]["status"] == "ok"
    assert second["components"]["ozon_api"]["status"] == "ok"
    assert len(no_network.calls) == 1
    probe = ApiLogEntry.objects.filter(service="ozon").order_by("-id").first()
    assert probe.endpoint == "/v3/product/list" and ozon_credentials.api_key not in probe.request_payload
    assert probe.account == ozon_credentials


def test_the_probe_builds_its_client_in_the_one_place_with_one_quick_try(no_network, ozon_credentials):
    from ozonprice.clients.ozon import OzonClient

    ApiLogEntryFactory(service="ozon", success=False, status_code=500, timestamp=timezone.now() - timedelta(hours=1))
    no_network.add(responses.POST, LIST_URL, status=503, json={"code": 14, "message": "unavailable", "details": []})

    with mock.patch.object(OzonClient, "for_account", wraps=OzonClient.for_account) as built:
        assert health().json()["components"]["ozon_api"]["status"] == "error"

    assert built.call_count == 1
    assert built.call_args.kwargs["rate_limit"] == 0 and built.call_args.kwargs["retry"].max_retries == 0
    assert len(no_network.calls) == 1  # no retry behind a health check


def test_a_failed_probe_reports_an_error_without_a_500(no_network, ozon_credentials):
    first = health()

    assert first.status_code == 200
    assert first.json()["components"]["ozon_api"]["status"] == "error"


def test_the_last_runs_come_from_django_q():
    stopped = timezone.now() - timedelta(minutes=2)
    for pk, func, group in (
        ("a", "catalog.tasks.monitor_products", "monitor_products"),
        ("b", "pricing.tasks.maintain_mrpc_prices", None),
    ):
        Task.objects.create(id=pk * 32, name=pk, func=func, group=group, started=stopped, stopped=stopped)

    body = health().json()

    expected = stopped.astimezone(timezone.get_current_timezone()).isoformat()
    assert (body["last_monitoring"], body["last_price_update"]) == (expected, expected)


def test_it_reveals_no_secret_and_no_account_name(ozon_credentials):
    ozon_credentials.name = "ИП Иванов Иван Иванович"
    ozon_credentials.save()
    ApiLogEntryFactory(service="ozon", account=ozon_credentials)

    body = health().json()
    text = str(body)

    assert [entry["account"] for entry in body["accounts"]] == [ozon_credentials.pk]  # by id only: /health is public
    assert "Иванов" not in text
    assert ozon_credentials.api_key not in text and ozon_credentials.client_id not in text


def test_a_database_that_does_not_answer_gives_503():
    with mock.patch("console.health.connection.cursor", side_effect=DatabaseError("gone")):
        response = health()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["components"]["database"] == {"status": "error", "latency_ms": None}


def test_credentials_that_cannot_be_decrypted_do_not_take_the_health_check_down(ozon_credentials, settings):
    from cryptography.fernet import Fernet

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    response = health()

    assert response.status_code == 200
    assert response.json()["components"]["ozon_api"]["status"] == "unknown"

"""Calls without valid credentials: throttled per client address, audited as metadata only."""

import pytest
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from ozonprice.services import api_secret_generate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
FILLER = "flood-" * 20_000  # 120 kB per body; the audit cap alone would still keep 16 kB of it


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.API_ANON_THROTTLE_RATE = f"{LIMIT}/min"
    api_secret_generate()


def inbound() -> list[ApiLogEntry]:
    return list(ApiLogEntry.objects.filter(direction="in").order_by("id"))


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "not-the-key"}], ids=["no key", "a wrong key"])
def test_a_flood_without_valid_credentials_gets_429_after_the_limit_and_no_body_is_stored(headers):
    client = APIClient(headers=headers)

    codes = [
        client.post("/api/products/set-mrpc", {"items": [{"sku": FILLER, "mrpc": 1}]}, format="json").status_code
        for _ in range(LIMIT + 15)
    ]

    assert codes == [401] * LIMIT + [429] * 15
    rows = inbound()
    assert [row.status_code for row in rows] == codes
    assert all(not row.success and "flood-" not in row.request_payload + row.response_payload for row in rows)
    assert all(len(row.request_payload) < 100 and row.response_payload == "" for row in rows)
    assert rows[0].error_message  # what happened is still there: the reason, the size
    assert rows[0].request_payload.endswith("characters not stored: the caller was refused]")


def test_the_429_says_when_to_come_back():
    client = APIClient()
    for _ in range(LIMIT):
        client.get("/api/products")

    response = client.get("/api/products")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_the_bucket_is_the_client_address_behind_the_proxies(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = APIClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = APIClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert [first.get("/api/products").status_code for _ in range(LIMIT + 1)][-1] == 429
    assert second.get("/api/products").status_code == 401


def test_a_valid_key_is_not_counted_against_the_anonymous_rate():
    client = APIClient(headers={"X-API-Key": api_secret_generate()})

    assert {client.get("/api/products").status_code for _ in range(LIMIT + 2)} == {200}


def test_a_logged_in_user_refused_for_a_missing_permission_keeps_the_body_out_of_the_log_too():
    client = APIClient()
    client.force_login(UserFactory(staff=True, permissions=["catalog.view_sku"]))

    response = client.post("/api/products/set-mrpc", {"items": [{"sku": FILLER, "mrpc": 1}]}, format="json")

    assert response.status_code == 403
    [row] = inbound()
    assert "flood-" not in row.request_payload + row.response_payload
    assert "catalog.change_sku" in row.error_message


def test_an_accepted_call_keeps_its_body(account):  # the install has its account: the call is served
    client = APIClient(headers={"X-API-Key": api_secret_generate()})

    client.post("/api/products/set-mrpc", {"items": [{"sku": "ART-1", "mrpc": 1}]}, format="json")

    [row] = inbound()
    assert "ART-1" in row.request_payload and row.response_payload

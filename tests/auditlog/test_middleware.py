"""The audit middleware: one inbound row per /api/ request, secrets kept out of it."""

import json

import pytest
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from catalog.services.sync import sku_sync_all
from ozonprice.services import api_secret_generate
from tests.factories import SkuFactory
from tests.fakes.ozon import FakeOzon, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret():
    return api_secret_generate()


@pytest.fixture
def api(secret):
    return APIClient(headers={"X-API-Key": secret, "Accept-Language": "en"})


def inbound():
    return list(ApiLogEntry.objects.filter(direction="in").order_by("id"))


def every_text(row: ApiLogEntry) -> str:
    return " ".join([row.endpoint, row.error_message, row.request_payload, row.response_payload])


def test_a_request_is_logged_with_what_was_asked_and_answered(api):
    SkuFactory.create_batch(3)

    api.get("/api/products", {"per_page": 2, "search": "Product"})

    [row] = inbound()
    assert (row.service, row.method, row.endpoint, row.status_code, row.success) == (
        "api",
        "GET",
        "/api/products",
        200,
        True,
    )
    assert row.products_count == 2
    assert row.response_time is not None and row.response_time >= 0
    assert json.loads(row.request_payload) == {"per_page": "2", "search": "Product"}
    assert json.loads(row.response_payload)["total"] == 3
    assert row.error_message == ""


def test_a_refused_request_is_logged_as_an_error_with_the_reason(api):
    body = {"items": [{"sku": "1", "mrpc": 100}], "extra": 1}

    api.post("/api/products/set-mrpc", body, format="json")

    [row] = inbound()
    assert (row.status_code, row.success) == (400, False)
    assert "Invalid input." in row.error_message and "extra" in row.error_message
    assert json.loads(row.request_payload) == body


def test_an_unauthenticated_request_is_logged_and_the_presented_key_is_not(secret):
    APIClient(headers={"X-API-Key": "wrong-" + secret}).get("/api/products")

    [row] = inbound()
    assert (row.status_code, row.success) == (401, False)
    assert secret not in every_text(row)


def test_secret_like_keys_in_a_body_are_masked_wherever_they_sit(api, secret):
    body = {
        "items": [{"sku": "1", "mrpc": 100, "credential": {"api_key": "nested-key-123"}}],
        "password": "hunter2",
        "note": secret,
    }

    api.post("/api/products/set-mrpc", body, format="json")

    [row] = inbound()
    stored = row.request_payload
    assert "nested-key-123" not in stored and "hunter2" not in stored and secret not in stored
    assert json.loads(stored)["password"] == "***"


def test_a_large_body_is_cut_to_the_cap(api, settings, account):
    settings.AUDIT_PAYLOAD_MAX_CHARS = 200

    api.post("/api/products/set-mrpc", {"items": [{"sku": str(i), "mrpc": 100} for i in range(100)]}, format="json")

    [row] = inbound()
    assert len(row.request_payload) < 260
    assert "[truncated" in row.request_payload
    assert row.products_count == 100


def test_the_schema_and_docs_pages_are_not_logged(api):
    api.get("/api/schema/")
    api.get("/api/docs/")
    api.get("/health")

    assert inbound() == []


def test_the_ozon_api_key_is_in_no_log_row_after_a_sync_through_the_api(api, no_network, ozon_credentials):
    FakeOzon(products=[product(i) for i in range(1, 4)]).install(no_network)

    response = api.get("/api/products/fetch")

    assert response.status_code == 200
    sku_sync_all()
    rows = list(ApiLogEntry.objects.all())
    assert {row.direction for row in rows} == {"in", "out"}
    leaks = [row.pk for row in rows if ozon_credentials.api_key in every_text(row)]
    assert leaks == []

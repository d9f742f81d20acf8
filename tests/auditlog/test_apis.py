"""GET /api/api-logs: the documented shape, filters, pagination and bad input."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from auditlog.models import ApiLogEntry
from ozonprice.services import api_secret_generate
from tests.factories import ApiLogEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/api-logs"
ITEM_KEYS = {
    "id",
    "timestamp",
    "endpoint",
    "method",
    "status_code",
    "response_time",
    "products_count",
    "success",
    "error_message",
    "request_payload",
    "response_payload",
    "account",
    "api_key",
}


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day + "T12:00"))


def test_it_lists_log_rows_newest_first_in_the_documented_shape(api):
    old = ApiLogEntryFactory(timestamp=timezone.now() - timedelta(hours=1))
    new = ApiLogEntryFactory(status_code=502, success=False, error_message="Ozon 502")

    body = api.get(URL).json()

    assert set(body) == {"items", "total", "page", "pages"}
    assert (body["total"], body["page"], body["pages"]) == (2, 1, 1)
    assert [item["id"] for item in body["items"]] == [new.id, old.id]
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert (item["status_code"], item["success"], item["error_message"]) == (502, False, "Ozon 502")
    assert item["request_payload"] == '{"limit": 1000}'


@pytest.mark.parametrize(("status", "expected"), [("success", {200}), ("error", {429, 502}), ("429", {429})])
def test_it_filters_by_outcome_or_http_code(api, status, expected):
    ApiLogEntryFactory(status_code=200, success=True)
    ApiLogEntryFactory(status_code=429, success=False)
    ApiLogEntryFactory(status_code=502, success=False)

    body = api.get(URL, {"status": status}).json()

    assert {item["status_code"] for item in body["items"]} == expected


def test_it_filters_by_whole_days(api):
    ApiLogEntryFactory(timestamp=at("2026-03-01"))
    inside = [ApiLogEntryFactory(timestamp=at("2026-03-02")), ApiLogEntryFactory(timestamp=at("2026-03-03"))]
    ApiLogEntryFactory(timestamp=at("2026-03-04"))

    response = api.get(URL, {"start_date": "2026-03-02", "end_date": "2026-03-03"})

    assert sorted(ids(response)) == sorted(row.id for row in inside)


def test_it_pages(api):
    rows = [ApiLogEntryFactory(timestamp=timezone.now() - timedelta(minutes=i)) for i in range(5)]

    body = api.get(URL, {"page": 2, "per_page": 2}).json()

    assert [item["id"] for item in body["items"]] == [rows[2].id, rows[3].id]
    assert (body["total"], body["pages"]) == (5, 3)
    assert api.get(URL, {"page": 9}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "ok"}, "status"),
        ({"status": "600"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-03-05", "end_date": "2026-03-01"}, "end_date"),
        ({"page": "0"}, "page"),
        ({"per_page": "501"}, "per_page"),
        ({"per_page": "many"}, "per_page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, params, field):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid query parameters."
    assert field in response.json()["errors"]


def test_the_log_needs_credentials():
    assert APIClient().get(URL).status_code == 401


def test_it_lists_inbound_requests_the_middleware_recorded(api):
    api.get("/api/products")

    body = api.get(URL).json()

    assert body["items"][0]["endpoint"] == "/api/products"
    assert ApiLogEntry.objects.filter(direction="in").count() == 2

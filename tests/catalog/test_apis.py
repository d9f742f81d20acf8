"""GET /api/products, GET /api/products/fetch, the schema and the docs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.test import APIClient

from catalog.services.sync import SyncResult
from ozonprice.clients.http import ApiError
from ozonprice.exceptions import api_exception_handler
from ozonprice.services import api_secret_generate
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/products"
FETCH = "/api/products/fetch"
ITEM_KEYS = {
    "id",
    "account",
    "product_id",
    "sku",
    "name",
    "product_url",
    "marketing_price",
    "marketing_seller_price",
    "min_price",
    "old_price",
    "price",
    "front_price",
    "mrpc",
    "available",
    "active",
    "front_price_timestamp",
    "update_timestamp",
    "showcase_hold",
}


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# --- the list ---------------------------------------------------------------


def test_it_lists_products_in_the_documented_shape(api):
    sku = SkuFactory(product_id=9_000_000_001, sku=2_000_000_002, mrpc=Decimal("1200.50"), old_price=None)

    body = api.get(PRODUCTS).json()

    assert set(body) == {"items", "total", "page", "pages"}
    assert (body["total"], body["page"], body["pages"]) == (1, 1, 1)
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert item["id"] == sku.id
    assert item["product_id"] == "9000000001"
    assert item["sku"] == "2000000002"
    assert item["price"] == 1000
    assert item["mrpc"] == 1200.5
    assert item["old_price"] is None
    assert isinstance(item["front_price"], float)
    assert item["available"] is True and item["active"] is False
    assert item["front_price_timestamp"] is not None
    assert item["update_timestamp"] is None


def test_prices_go_out_as_json_numbers(api):
    SkuFactory(price=Decimal("1499.90"))

    assert b'"price":1499.9' in api.get(PRODUCTS).content


def test_a_product_without_an_ozon_sku_has_null_sku(api):
    SkuFactory(sku=None)

    assert api.get(PRODUCTS).json()["items"][0]["sku"] is None


def test_it_pages_newest_first_without_overlap(api):
    skus = SkuFactory.create_batch(5)
    newest_first = [s.id for s in reversed(skus)]

    pages = [api.get(PRODUCTS, {"per_page": 2, "page": n}) for n in (1, 2, 3)]

    assert [ids(p) for p in pages] == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]
    assert all(p.json()["total"] == 5 and p.json()["pages"] == 3 for p in pages)
    assert pages[1].json()["page"] == 2


def test_a_page_past_the_end_is_empty_not_404(api):
    SkuFactory.create_batch(3)

    response = api.get(PRODUCTS, {"page": 7})

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 3, "page": 7, "pages": 1}


def test_an_empty_catalogue_has_no_pages(api):
    assert api.get(PRODUCTS).json() == {"items": [], "total": 0, "page": 1, "pages": 0}


def test_per_page_defaults_to_50(api):
    SkuFactory.create_batch(51)

    body = api.get(PRODUCTS).json()

    assert len(body["items"]) == 50
    assert body["pages"] == 2


@pytest.mark.parametrize(
    ("value", "expected"), [("true", {"on"}), ("false", {"off"}), ("1", {"on"}), ("", {"on", "off"})]
)
def test_it_filters_by_active(api, value, expected):
    SkuFactory(name="on", active=True, mrpc=Decimal("1000"))
    SkuFactory(name="off", active=False)

    items = api.get(PRODUCTS, {"active": value}).json()["items"]

    assert {item["name"] for item in items} == expected


@pytest.mark.parametrize(("value", "expected"), [("true", {"in stock"}), ("false", {"sold out"})])
def test_it_filters_by_has_stock(api, value, expected):
    SkuFactory(name="in stock", available=True)
    SkuFactory(name="sold out", available=False)

    items = api.get(PRODUCTS, {"has_stock": value}).json()["items"]

    assert {item["name"] for item in items} == expected


def test_filters_combine(api):
    SkuFactory(name="wanted", active=True, available=True)
    SkuFactory(name="inactive", active=False, available=True)
    SkuFactory(name="sold out", active=True, available=False)

    items = api.get(PRODUCTS, {"active": "true", "has_stock": "true"}).json()["items"]

    assert [item["name"] for item in items] == ["wanted"]


@pytest.mark.parametrize(
    "query",
    ["Garden hose", "garden", "HOSE-25", "hose-2", "777000111", "555000222", "garden 25"],
)
def test_search_finds_a_product_by_name_article_sku_or_product_id(api, query):
    wanted = SkuFactory(name="Garden hose 25 m", offer_id="HOSE-25", sku=777000111, product_id=555000222)
    SkuFactory(name="Watering can", offer_id="CAN-1")

    assert ids(api.get(PRODUCTS, {"search": query})) == [wanted.id]


def test_a_number_matches_ids_exactly_not_as_text(api):
    SkuFactory(name="Lamp", offer_id="L-1", sku=777000111, product_id=555000222)

    assert api.get(PRODUCTS, {"search": "777000"}).json()["total"] == 0


def test_a_numeric_article_is_found_by_part(api):
    wanted = SkuFactory(offer_id="40012345")

    assert ids(api.get(PRODUCTS, {"search": "4001"})) == [wanted.id]


def test_a_number_too_big_for_an_id_is_no_error(api):
    SkuFactory()

    response = api.get(PRODUCTS, {"search": "9" * 40})

    assert response.status_code == 200
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "501"}, "per_page"),
        ({"per_page": "1.5"}, "per_page"),
        ({"active": "maybe"}, "active"),
        ({"has_stock": "perhaps"}, "has_stock"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api, params, bad):
    response = api.get(PRODUCTS, params)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid query parameters."
    assert list(body["errors"]) == [bad]
    assert isinstance(body["errors"][bad][0], str)


def test_the_too_large_per_page_message_is_clear(api):
    body = api.get(PRODUCTS, {"per_page": "501"}).json()

    assert body["errors"] == {"per_page": ["Ensure this value is less than or equal to 500."]}


def test_listing_costs_a_key_check_a_count_and_two_page_queries(api, django_assert_num_queries, settings):
    settings.API_THROTTLE_RATE = None  # the throttle's cache queries are not the listing's
    SkuFactory.create_batch(120)
    api.get(PRODUCTS, {"page": 5})  # the key's first use writes its last use; then at most once a minute

    # key check, the account, COUNT, the page's ids, the page's rows, + the audit row
    with django_assert_num_queries(5 + 1):
        response = api.get(PRODUCTS, {"per_page": 100, "page": 2, "search": "Product"})

    assert len(response.json()["items"]) == 20


def test_a_page_past_the_end_skips_the_page_query(api, django_assert_num_queries, settings):
    settings.API_THROTTLE_RATE = None
    SkuFactory()
    api.get(PRODUCTS, {"page": 5})  # the key's first use writes its last use; then at most once a minute

    with django_assert_num_queries(3 + 1):  # key check, the account, COUNT + the audit row
        api.get(PRODUCTS, {"page": 5})


# --- fetch ------------------------------------------------------------------


def test_fetch_reports_a_successful_sync(api, monkeypatch, account):
    result = SyncResult(fetched=10, created=2, updated=7, errors=[{"product_id": "42", "error": "no info"}])
    monkeypatch.setattr("catalog.apis.sku_sync_all", lambda account: result)

    response = api.get(FETCH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "account": account.pk,
        "fetched": 10,
        "updated": 9,
        "errors": [{"product_id": "42", "error": "no info"}],
    }


def test_fetch_answers_502_with_the_error_when_the_sync_failed(api, monkeypatch, account):
    result = SyncResult(
        fetched=1000,
        updated=1000,
        error="Ozon: 503 Service Unavailable",
        errors=[{"product_id": 7, "error": "no info"}],
    )
    monkeypatch.setattr("catalog.apis.sku_sync_all", lambda account: result)

    response = api.get(FETCH)

    assert response.status_code == 502
    assert response.json() == {
        "status": "error",
        "account": account.pk,
        "fetched": 1000,
        "updated": 1000,
        "errors": [
            {"product_id": None, "error": "Ozon: 503 Service Unavailable"},
            {"product_id": "7", "error": "no info"},
        ],
    }


def test_fetch_needs_credentials_and_then_syncs_nothing(monkeypatch):
    calls = []
    monkeypatch.setattr("catalog.apis.sku_sync_all", lambda: calls.append(1))

    assert APIClient().get(FETCH).status_code == 401
    assert calls == []


# --- the error shape --------------------------------------------------------


def test_a_django_validation_error_is_a_400_naming_the_field():
    response = api_exception_handler(DjangoValidationError({"mrpc": ["Too low."]}), {})

    assert response.status_code == 400
    assert response.data == {"detail": "Invalid input.", "errors": {"mrpc": ["Too low."]}}


def test_an_error_without_a_field_is_filed_under_non_field_errors():
    response = api_exception_handler(DjangoValidationError("Nothing to do."), {})

    assert response.data["errors"] == {"non_field_errors": ["Nothing to do."]}


def test_an_ozon_failure_is_a_502_that_says_so():
    error = ApiError("rate limited", service="ozon", endpoint="/v5/product/info/prices", permanent=False, status=429)

    response = api_exception_handler(error, {})

    assert response.status_code == 502
    assert response.data["detail"].startswith("Ozon API error: ") and "rate limited" in response.data["detail"]


def test_a_bug_is_left_to_djangos_500_handling():
    assert api_exception_handler(ZeroDivisionError(), {}) is None


# --- schema and docs --------------------------------------------------------


def test_the_schema_describes_the_api_key_scheme_and_the_product_endpoints():
    response = APIClient().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert {"/api/products", "/api/products/fetch"} <= set(schema["paths"])
    listing = schema["paths"]["/api/products"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "account",
        "page",
        "per_page",
        "active",
        "has_stock",
        "search",
    }
    assert {"ApiKeyAuth": []} in listing["security"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_are_served_from_local_assets(url):
    response = APIClient().get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn." not in html

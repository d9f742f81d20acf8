"""Bad input to the price edits is a 400 naming the item and field, and nothing is written."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Sku
from ozonprice.services import api_secret_generate
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db

SET_MRPC = "/api/products/set-mrpc"
SET_DISCOUNT = "/api/products/set-discount"


@pytest.fixture
def api():
    return APIClient(headers={"X-API-Key": api_secret_generate(), "Accept-Language": "en"})


@pytest.fixture
def sku():
    return SkuFactory(sku=5001, offer_id="ART-1", mrpc=None)


def item_errors(response, index: int = 0) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["errors"]["items"][str(index)]


@pytest.mark.parametrize(
    "reference", ["²", "٢٠", "２０", "2_0", "1" * 30, str(2**63), 2**63, -5, 1.5, True, None, [], {}]
)
@pytest.mark.parametrize(("url", "value"), [(SET_MRPC, {"mrpc": "1000"}), (SET_DISCOUNT, {"discount": "10"})])
def test_a_sku_that_cannot_be_an_ozon_sku_or_an_article_is_a_400_naming_it(api, sku, url, value, reference):
    response = api.post(url, {"items": [{"sku": "ART-1", **value}, {"sku": reference, **value}]}, format="json")

    assert set(item_errors(response, 1)) == {"sku"}
    assert Sku.objects.get(pk=sku.pk).mrpc is None  # nothing written, not even the good item


@pytest.mark.parametrize(
    "value", ["٢٠٠", "２００", "2_00", "NaN", "Infinity", "-Infinity", "1e400", True, [], {}, None]
)
def test_an_mrpc_that_is_no_plain_number_is_a_400_naming_it(api, sku, value):
    response = api.post(SET_MRPC, {"items": [{"sku": "ART-1", "mrpc": value}]}, format="json")

    assert set(item_errors(response)) == {"mrpc"}


@pytest.mark.parametrize("value", ["٢٠", "２０", "2_0", "NaN", True, None])
def test_a_discount_that_is_no_plain_number_is_a_400_naming_it(api, sku, value):
    response = api.post(SET_DISCOUNT, {"items": [{"sku": "ART-1", "discount": value}]}, format="json")

    assert set(item_errors(response)) == {"discount"}


def test_an_unknown_key_inside_an_item_is_a_400_naming_it(api, sku):
    response = api.post(SET_MRPC, {"items": [{"sku": "ART-1", "mrpc": "1000", "discount": "5"}]}, format="json")

    assert item_errors(response) == {"discount": ["Unknown field."]}
    assert Sku.objects.get(pk=sku.pk).mrpc is None


def test_a_missing_key_inside_an_item_is_a_400_naming_it(api, sku):
    assert set(item_errors(api.post(SET_DISCOUNT, {"items": [{"sku": "ART-1"}]}, format="json"))) == {"discount"}


@pytest.mark.parametrize("twice", [("ART-1", " ART-1 "), ("5001", 5001)])
def test_a_sku_named_twice_in_one_request_is_a_400_naming_the_second(api, sku, twice):
    first, second = twice
    response = api.post(
        SET_MRPC, {"items": [{"sku": first, "mrpc": "1000"}, {"sku": second, "mrpc": "2000"}]}, format="json"
    )

    errors = item_errors(response, 1)["sku"]
    assert "item 0" in errors[0]
    assert Sku.objects.get(pk=sku.pk).mrpc is None


def test_the_same_sku_by_ozon_sku_and_by_article_is_reported_once_per_extra_item(api, sku):
    response = api.post(
        SET_MRPC, {"items": [{"sku": "5001", "mrpc": "1000"}, {"sku": "ART-1", "mrpc": "2000"}]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "partial" and [u["sku"] for u in body["updated"]] == ["5001"]
    assert body["errors"][0]["sku"] == "ART-1" and "more than once" in body["errors"][0]["error"]
    assert Sku.objects.get(pk=sku.pk).mrpc == Decimal("1000")


def test_a_value_out_of_range_stays_a_per_item_error(api, sku):
    other = SkuFactory(offer_id="ART-2", mrpc=None)
    response = api.post(
        SET_MRPC, {"items": [{"sku": "ART-1", "mrpc": "-5"}, {"sku": other.offer_id, "mrpc": 1500}]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "partial"
    assert body["errors"] == [{"sku": "ART-1", "error": "mrpc must be greater than zero"}]


def test_a_numeric_sku_and_a_json_number_both_find_the_sku(api, sku):
    response = api.post(SET_MRPC, {"items": [{"sku": 5001, "mrpc": 1200.5}]}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "success"
    assert Sku.objects.get(pk=sku.pk).mrpc == Decimal("1200.50")


def test_the_schema_shows_the_item_fields(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for request, fields in (("SetMrpcRequest", {"sku", "mrpc"}), ("SetDiscountRequest", {"sku", "discount"})):
        items = components[request]["properties"]["items"]["items"]
        item = components[items["$ref"].rsplit("/", 1)[1]]
        assert set(item["properties"]) == fields and set(item["required"]) == fields

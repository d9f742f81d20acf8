"""The sandbox's Seller API endpoints over real HTTP: paging, Ozon's current shapes, visibility, bad requests."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.products import demo_product
from tests.ozonprice.sandbox.test_server import (
    GONE,
    INFO,
    INFO_FIELDS,
    LIST,
    PRICES,
    STOCKS,
    cursor_all,
    keys,
    list_all,
    post,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("ozon_sandbox", [2500], indirect=True)
def test_paging_covers_every_product_exactly_once(ozon_sandbox):
    active, pages = list_all(ozon_sandbox, "ALL")
    archived, _ = list_all(ozon_sandbox, "ARCHIVED")
    assert len(set(active)) == len(active) and len(set(archived)) == len(archived)
    assert sorted(active + archived) == [100000000 + i for i in range(1, 2501)]
    assert [len(page["items"]) for page in pages] == [1000, 1000, len(active) - 2000]
    assert all(page["total_items"] == len(active) for page in pages)
    assert all("total" not in page for page in pages)
    assert all(not demo_product(1, pid - 100000000).archived for pid in active)
    assert all(demo_product(1, pid - 100000000).archived for pid in archived)
    assert 0 < len(archived) < 250  # about 5 %


def test_list_items_have_ozons_shape(ozon_sandbox):
    item = post(ozon_sandbox, LIST, {"filter": {"visibility": "ALL"}, "limit": 1}).json()["result"]["items"][0]
    assert set(item) == {
        "product_id",
        "offer_id",
        "archived",
        "has_fbo_stocks",
        "has_fbs_stocks",
        "is_discounted",
        "quants",
        "sku",
    }
    product = demo_product(1, item["product_id"] - 100000000)
    assert item["offer_id"] == product.offer_id and item["sku"] == product.sku and item["quants"] == []


def test_list_filter_by_ids_still_applies_visibility(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    archived_id = next(100000000 + i for i in range(1, 301) if catalog.product(i).archived)
    active_id = next(100000000 + i for i in range(1, 301) if not catalog.product(i).archived)
    ids = [str(archived_id), str(active_id), "999"]
    assert list_all(ozon_sandbox, "ALL", product_id=ids)[0] == [active_id]
    assert list_all(ozon_sandbox, "ARCHIVED", product_id=ids)[0] == [archived_id]
    assert list_all(ozon_sandbox, "ALL", offer_id=[f"ART-{active_id - 100000000:06d}"])[0] == [active_id]


def test_info_list_has_no_wrapper_and_only_current_fields(ozon_sandbox):
    ids = [100000001, "100000002", 100009999]  # ints and strings; the last one is unknown
    answer = post(ozon_sandbox, INFO, {"product_id": ids})
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"items"}
    assert [item["id"] for item in data["items"]] == [100000001, 100000002]
    assert not keys(data) & GONE
    for item in data["items"]:
        assert set(item) == INFO_FIELDS
        product = demo_product(1, item["id"] - 100000000)
        assert item["name"] == product.name and item["sku"] == product.sku
        assert (
            item["price"] == str(product.price)
            and item["price"].count(".") == 1
            and len(item["price"].split(".")[1]) == 2
        )
        assert isinstance(item["primary_image"], list) and item["primary_image"] == [product.images[0]]
        assert isinstance(item["color_image"], list)
        assert item["images"] == list(product.images)
        assert item["statuses"]["status"] == "price_sent"
        assert item["stocks"]["has_stock"] == product.has_stock
        assert {s["source"] for s in item["stocks"]["stocks"]} == {"fbo", "fbs"}


def test_info_list_takes_offer_ids_and_skus(ozon_sandbox):
    answer = post(ozon_sandbox, INFO, {"offer_id": ["ART-000003"], "sku": [200000004]}).json()
    assert [item["offer_id"] for item in answer["items"]] == ["ART-000003", "ART-000004"]


def test_v5_prices_are_numbers_and_cursor_paged(make_sandbox):
    sandbox = make_sandbox(products=1200)
    items, last = cursor_all(sandbox, PRICES, limit=500)
    active = [i for i in range(1, 1201) if not demo_product(1, i).archived]
    assert [item["product_id"] for item in items] == [100000000 + i for i in active]
    assert last["total_items"] == len(active) and last["cursor"] == ""
    assert not keys(items) & GONE
    for item in items[:50]:
        price = item["price"]
        product = demo_product(1, item["product_id"] - 100000000)
        for name in ("price", "old_price", "min_price", "marketing_seller_price"):
            assert isinstance(price[name], int | float) and not isinstance(price[name], bool)
            assert Decimal(str(price[name])) == getattr(product, name)
        assert price["marketing_seller_price"] <= price["price"]
        assert set(item) == {
            "product_id",
            "offer_id",
            "acquiring",
            "volume_weight",
            "commissions",
            "marketing_actions",
            "price_indexes",
            "price",
        }


def test_v5_prices_filtered_by_id_apply_visibility_like_ozon(ozon_sandbox):
    catalog = ozon_sandbox.catalog
    archived = [100000000 + i for i in range(1, 301) if catalog.product(i).archived][:2]
    active = [100000000 + i for i in range(1, 301) if not catalog.product(i).archived][:3]
    ids = [str(pid) for pid in archived + active]
    for visibility, expected in (("ALL", active), ("ARCHIVED", archived)):
        body = {"cursor": "", "filter": {"product_id": ids, "visibility": visibility}, "limit": 1000}
        data = post(ozon_sandbox, PRICES, body).json()
        assert [item["product_id"] for item in data["items"]] == expected
        assert data["total_items"] == len(expected) and data["cursor"] == ""


def test_v4_stocks_have_ozons_shape(ozon_sandbox):
    items, last = cursor_all(ozon_sandbox, STOCKS, visibility="ARCHIVED")
    assert items and last["total_items"] == len(items)
    for item in items:
        product = demo_product(1, item["product_id"] - 100000000)
        assert product.archived and item["offer_id"] == product.offer_id
        assert [(s["type"], s["shipment_type"], s["sku"]) for s in item["stocks"]] == [
            ("fbo", "SHIPMENT_TYPE_GENERAL", product.sku),
            ("fbs", "SHIPMENT_TYPE_GENERAL", product.sku),
        ]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (INFO, {"product_id": [str(100000000 + i) for i in range(1001)]}),
        (INFO, {"product_id": ["100000001"] * 600, "offer_id": ["ART-000001"] * 401}),
        (LIST, {"filter": {"visibility": "ALL"}, "limit": 1001}),
        (LIST, {"filter": {"visibility": "ALL"}, "limit": 0}),
        (LIST, {"filter": {"product_id": ["1"] * 1001}, "limit": 10}),
        (LIST, {"filter": {"visibility": "NOT_A_VISIBILITY"}, "limit": 10}),
        (PRICES, {"filter": {"visibility": "ALL"}, "limit": 1001}),
        (PRICES, {"filter": {"visibility": "ALL"}}),
        (PRICES, {"limit": 10}),
        (PRICES, {"filter": {"product_id": ["1"] * 1001}, "limit": 1000}),
        (STOCKS, {"filter": {"visibility": "ALL"}, "limit": 0}),
        (STOCKS, {"filter": {"visibility": "ALL"}, "limit": 10, "cursor": "not base64!"}),
    ],
)
def test_bad_requests_answer_400_with_ozons_body(ozon_sandbox, path, body):
    answer = post(ozon_sandbox, path, body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == 3 and error["details"] == [] and error["message"]

"""The seller's own promotions on the sandbox: `/v1/seller-actions/list`, `products/list`, `products/delete`."""

from decimal import Decimal

import pytest

from tests.ozonprice.sandbox.helpers import active_ids, customer_price, post
from tests.ozonprice.sandbox.ozon_schema import assert_documented

pytestmark = pytest.mark.e2e

LIST, PRODUCTS, DELETE = (
    "/v1/seller-actions/list",
    "/v1/seller-actions/products/list",
    "/v1/seller-actions/products/delete",
)


def call(sandbox, path, body):
    answer = post(sandbox, path, body)
    assert answer.status_code == 200, answer.text
    assert_documented(path, answer.json())
    return answer.json()


def test_list_filters_and_pages_by_offset(make_sandbox):
    sandbox = make_sandbox(products=10)
    autumn = sandbox.add_seller_action("Скидка продавца: осень", 10)
    night = sandbox.add_seller_action("Ночная скидка", 18, action_type="VOUCHER_DISCOUNT")
    summer = sandbox.add_seller_action("Скидка продавца: лето", 30, status="ENDED")
    sandbox.put_in_seller_action(active_ids(sandbox, 1)[0], autumn)
    answer = call(sandbox, LIST, {"limit": 2})
    assert answer["total"] == 3 and [a["action_id"] for a in answer["actions"]] == [autumn, night]
    first = answer["actions"][0]
    assert first["sku_count"] == 1 and first["is_participated"] is True and first["is_turn_on"] is True
    parameters = first["action_parameters"]
    assert parameters["title"] == "Скидка продавца: осень" and parameters["status"] == "ACTIVE"
    assert parameters["discount_type"] == "PERCENT" and parameters["discount_value"] == 10
    assert [a["action_id"] for a in call(sandbox, LIST, {"limit": 2, "offset": 2})["actions"]] == [summer]
    assert [a["action_id"] for a in call(sandbox, LIST, {"limit": 100, "status": ["ENDED"]})["actions"]] == [summer]
    only = call(sandbox, LIST, {"limit": 100, "action_type": ["VOUCHER_DISCOUNT"]})
    assert [a["action_id"] for a in only["actions"]] == [night] and only["total"] == 1
    assert [a["action_id"] for a in call(sandbox, LIST, {"limit": 100, "search": "продавца"})["actions"]] == [
        autumn,
        summer,
    ]
    assert [a["action_id"] for a in call(sandbox, LIST, {"limit": 10, "action_ids": [str(night)]})["actions"]] == [
        night
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "limit: value is required and must be between 1 and 100"),
        ({"limit": 101}, "limit: must be between 1 and 100, got 101"),
        ({"limit": 10, "status": ["LIVE"]}, "status: invalid value 'LIVE'"),
        ({"limit": 10, "action_type": "DISCOUNT"}, "action_type: expected an array"),
        ({"limit": 10, "search": "ab"}, "search: at least 3 characters"),
        ({"limit": 10, "action_ids": [str(i) for i in range(101)]}, "action_ids: from 1 to 100 values"),
    ],
)
def test_list_refuses_bad_requests(make_sandbox, body, message):
    sandbox = make_sandbox(products=5)
    answer = post(sandbox, LIST, body)
    assert answer.status_code == 400 and answer.json()["message"].startswith(message)


def test_products_page_by_cursor_with_has_next(make_sandbox):
    sandbox = make_sandbox(products=40)
    action_id = sandbox.add_seller_action("Скидка продавца", 10)
    members = active_ids(sandbox, 7)
    for product_id in members:
        sandbox.put_in_seller_action(product_id, action_id)
    seen, cursor, calls = [], 0, 0
    while True:
        page = call(sandbox, PRODUCTS, {"action_id": action_id, "limit": 3, "cursor": cursor})
        calls += 1
        seen += [row["product_id"] for row in page["products"]]
        if not page["has_next"]:
            break
        cursor = page["cursor"]
    assert seen == members and calls == 3
    row = call(sandbox, PRODUCTS, {"action_id": action_id, "limit": 1})["products"][0]
    product = sandbox.product(members[0])
    assert row["sku"] == [str(product.sku)] and row["offer_id"] == product.offer_id
    assert row["base_price"] == float(product.price)
    assert Decimal(str(row["action_price"])) == (product.price * Decimal("0.9")).quantize(Decimal(1))
    assert row["is_active"] is True
    answer = post(sandbox, PRODUCTS, {"action_id": action_id})
    assert answer.status_code == 400 and answer.json()["message"].startswith("limit:")
    assert post(sandbox, PRODUCTS, {"action_id": 1, "limit": 10}).status_code == 404


def test_delete_by_skus_and_the_storefront(make_sandbox):
    sandbox = make_sandbox(products=40)
    action_id = sandbox.add_seller_action("Скидка продавца", 20)
    ended = sandbox.add_seller_action("Скидка продавца: лето", 40, status="ENDED")
    product_id = next(p for p in active_ids(sandbox, 40) if sandbox.product(p).price > 1000)
    product = sandbox.set_price(product_id, marketing_seller_price=sandbox.product(product_id).price)
    sandbox.put_in_seller_action(product_id, ended)  # an ended action does not count
    assert customer_price(sandbox, product.sku) == str(product.price)
    sandbox.put_in_seller_action(product_id, action_id)
    lowered = (product.price * Decimal("0.8")).quantize(Decimal(1))
    assert sandbox.showcase_price(product_id) == lowered
    answer = call(sandbox, DELETE, {"action_id": action_id, "skus": [str(product.sku), "299999999"]})
    assert answer == {}
    assert sandbox.seller_actions_of(product_id) == [ended]
    assert customer_price(sandbox, product.sku) == str(product.price)
    for skus in ([], [str(i) for i in range(1001)], ["x"]):
        bad = post(sandbox, DELETE, {"action_id": action_id, "skus": skus})
        assert bad.status_code == 400 and bad.json()["message"].startswith("skus:")
    assert post(sandbox, DELETE, {"action_id": 1, "skus": ["200000001"]}).status_code == 404

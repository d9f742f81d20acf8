"""Ozon's promotions on the sandbox: `/v1/actions*`, deactivation, action prices, the storefront minimum."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from tests.ozonprice.sandbox.helpers import AUTH, active_ids, card_price, customer_price, post
from tests.ozonprice.sandbox.ozon_schema import assert_documented, mismatches, response_schema

pytestmark = pytest.mark.e2e

ACTIONS, PRODUCTS, DEACTIVATE = "/v1/actions", "/v1/actions/products", "/v1/actions/products/deactivate"
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def actions(sandbox) -> list[dict]:
    answer = requests.get(sandbox.url + ACTIONS, headers=AUTH, timeout=10)
    assert answer.status_code == 200
    assert_documented(ACTIONS, answer.json())
    return answer.json()["result"]


def every_product(sandbox, action_id: int, limit: int) -> tuple[list[int], int]:
    """Page through an action as a client must (by last_id, until a short page); returns ids and calls."""
    ids, last_id, calls = [], 0, 0
    while True:
        answer = post(sandbox, PRODUCTS, {"action_id": action_id, "limit": limit, "last_id": last_id})
        calls += 1
        assert answer.status_code == 200, answer.text
        assert_documented(PRODUCTS, answer.json())
        result = answer.json()["result"]
        ids += [row["id"] for row in result["products"]]
        if len(result["products"]) < limit:
            return ids, calls
        last_id = result["last_id"]


def test_the_schema_checker_catches_what_ozon_does_not_document():
    schema = response_schema(DEACTIVATE)
    assert mismatches(schema, {"result": {"product_ids": [1], "rejected": []}}) == []
    assert mismatches(schema, {"result": {"product_ids": ["1"], "rejected": [], "x": 1}}) == [
        "$.result.x: not documented",
        "$.result.product_ids[0]: expected a number, got '1'",
    ]
    assert mismatches(schema, {"result": {"product_ids": []}}) == ["$.result.rejected: missing"]


def test_actions_list_in_ozons_shape(make_sandbox, sandbox_clock):
    sandbox = make_sandbox(products=20, clock=sandbox_clock, wall_start=START)
    assert actions(sandbox) == []
    ids = active_ids(sandbox, 3)
    first = sandbox.add_action("Ozon: Товары дня", 12, days=10, potential=50)
    short = sandbox.add_action("Ozon: полдня", 30, days=0.5, starts_in_days=0)
    for product_id in ids:
        sandbox.put_in_action(product_id, first)
    listed = actions(sandbox)
    assert [row["id"] for row in listed] == [first, short]
    row = listed[0]
    assert row["title"] == "Ozon: Товары дня" and row["action_type"] == "DISCOUNT"
    assert row["date_start"] == "2026-10-31T12:00:00Z" and row["date_end"] == "2026-11-10T12:00:00Z"
    assert row["participating_products_count"] == 3 and row["is_participating"] is True
    assert row["potential_products_count"] == 50 and row["discount_value"] == 12
    assert listed[1]["is_participating"] is False
    sandbox_clock.advance(86_400)  # the half-day action has ended: gone from the list
    assert [row["id"] for row in actions(sandbox)] == [first]


def test_action_products_page_by_last_id_and_total_is_not_the_count(make_sandbox):
    sandbox = make_sandbox(products=60)
    action_id = sandbox.add_action("Ozon: распродажа", 20, potential=500)
    members = active_ids(sandbox, 23)
    for product_id in reversed(members):
        sandbox.put_in_action(product_id, action_id, auto=product_id % 2 == 0)
    ids, calls = every_product(sandbox, action_id, limit=5)
    assert ids == sorted(members) and calls == 5
    ids, calls = every_product(sandbox, action_id, limit=23)  # a full last page: one more, empty, call
    assert ids == sorted(members) and calls == 2
    first = post(sandbox, PRODUCTS, {"action_id": action_id, "limit": 1}).json()["result"]
    assert first["total"] == 500  # "products available for the action", not those in it
    row = first["products"][0]
    product = sandbox.product(row["id"])
    assert row["price"] == float(product.price)
    assert Decimal(str(row["action_price"])) == (product.price * Decimal("0.8")).quantize(Decimal(1))
    assert row["add_mode"] == ("AUTO" if row["id"] % 2 == 0 else "MANUAL")
    # A string last_id (as Ozon's example shows) works too; after the last product the page is empty.
    tail = post(sandbox, PRODUCTS, {"action_id": action_id, "last_id": str(max(members))}).json()["result"]
    assert tail["products"] == [] and tail["last_id"] == max(members)
    assert sandbox.calls[PRODUCTS] == 9


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "action_id: value is required"),
        ({"action_id": "x"}, "action_id: invalid value 'x'"),
        ({"action_id": 70001, "limit": 0}, "limit: must be between 1 and 1000, got 0"),
        ({"action_id": 70001, "limit": 1001}, "limit: must be between 1 and 1000, got 1001"),
        ({"action_id": 70001, "offset": 10}, "offset: switched off since 5 May 2025, page with last_id"),
    ],
)
def test_action_products_refuses_bad_requests(make_sandbox, body, message):
    sandbox = make_sandbox(products=5)
    sandbox.add_action()
    answer = post(sandbox, PRODUCTS, body)
    assert answer.status_code == 400 and answer.json() == {"code": 3, "message": message, "details": []}


def test_unknown_action_is_ozons_not_found(make_sandbox):
    sandbox = make_sandbox(products=5)
    for path, body in ((PRODUCTS, {"action_id": 1}), (DEACTIVATE, {"action_id": 1, "product_ids": [100000001]})):
        answer = post(sandbox, path, body)
        assert answer.status_code == 404
        assert answer.json() == {"code": 5, "message": "action 1 not found", "details": []}


def test_deactivate_removes_and_rejects_per_item(make_sandbox):
    sandbox = make_sandbox(products=30)
    a, b, c, d = active_ids(sandbox, 4)
    action_id = sandbox.add_action("Ozon: распродажа", 15)
    sandbox.put_in_action(a, action_id)
    sandbox.put_in_action(b, action_id, auto=False)
    sandbox.put_in_action(c, action_id, removable=False)
    answer = post(sandbox, DEACTIVATE, {"action_id": action_id, "product_ids": [a, str(b), c, d, 199999999, a]})
    assert answer.status_code == 200
    assert_documented(DEACTIVATE, answer.json())
    assert answer.json()["result"] == {
        "product_ids": [a, b],
        "rejected": [
            {"product_id": c, "reason": "the product cannot be removed from this action"},
            {"product_id": d, "reason": "the product does not participate in the action"},
            {"product_id": 199999999, "reason": "the product does not participate in the action"},
        ],
    }
    assert sandbox.actions_of(a) == [] and sandbox.actions_of(c) == [action_id]
    assert every_product(sandbox, action_id, limit=10)[0] == [c]


def test_a_frozen_action_rejects_every_item(make_sandbox):
    sandbox = make_sandbox(products=10)
    (a,) = active_ids(sandbox, 1)
    action_id = sandbox.add_action(frozen=True)
    sandbox.put_in_action(a, action_id)
    result = post(sandbox, DEACTIVATE, {"action_id": action_id, "product_ids": [a]}).json()["result"]
    assert result == {
        "product_ids": [],
        "rejected": [{"product_id": a, "reason": "the action is frozen: its product list cannot be changed"}],
    }
    assert actions(sandbox)[0]["freeze_date"] != ""


@pytest.mark.parametrize("product_ids", [[], "1", ["x"], list(range(100000001, 100001002))])
def test_deactivate_refuses_bad_id_lists(make_sandbox, product_ids):
    sandbox = make_sandbox(products=5)
    action_id = sandbox.add_action()
    answer = post(sandbox, DEACTIVATE, {"action_id": action_id, "product_ids": product_ids})
    assert answer.status_code == 400 and answer.json()["message"].startswith("product_ids:")


def test_the_showcase_is_the_lowest_of_price_discount_and_actions(make_sandbox):
    sandbox = make_sandbox(products=30)
    product_id = next(p for p in active_ids(sandbox, 30) if sandbox.product(p).price > 1000)
    sandbox.set_price(product_id, marketing_seller_price=sandbox.product(product_id).price)
    product = sandbox.product(product_id)
    price = product.price
    assert customer_price(sandbox, product.sku) == str(price)
    sandbox.set_marketplace_discount(product_id, 5)
    mild = sandbox.add_action("Ozon: мягкая", 3)
    sandbox.put_in_action(product_id, mild)
    assert sandbox.showcase_price(product_id) == (price * Decimal("0.95")).quantize(Decimal(1))  # 5 % beats 3 %
    deep = sandbox.add_action("Ozon: глубокая", 20)
    sandbox.put_in_action(product_id, deep)
    expected = (price * Decimal("0.8")).quantize(Decimal(1))
    assert sandbox.showcase_price(product_id) == expected
    # prices/details and the Front Price API show the same showcase price.
    assert customer_price(sandbox, product.sku) == str(expected.quantize(Decimal("0.01")))
    assert card_price(sandbox, product.sku) == float(expected)
    post(sandbox, DEACTIVATE, {"action_id": deep, "product_ids": [product_id]})
    assert sandbox.showcase_price(product_id) == (price * Decimal("0.95")).quantize(Decimal(1))
    sandbox.end_action(mild)
    sandbox.set_marketplace_discount(product_id, None)
    assert sandbox.showcase_price(product_id) == price


def test_the_action_price_follows_a_price_raise_after_the_storefront_delay(make_sandbox, sandbox_clock):
    sandbox = make_sandbox(products=30, storefront_delay_s=600, clock=sandbox_clock)
    product_id = next(p for p in active_ids(sandbox, 30) if sandbox.product(p).old_price == 0)
    action_id = sandbox.add_action("Ozon: распродажа", 10)
    sandbox.put_in_action(product_id, action_id)
    before = sandbox.showcase_price(product_id)
    new_price = (sandbox.product(product_id).price * 2).quantize(Decimal(1))
    item = {"product_id": product_id, "price": str(new_price), "old_price": "0"}
    assert post(sandbox, "/v1/product/import/prices", {"prices": [item]}).json()["result"][0]["updated"]
    # The Actions API shows Ozon's new action price at once; the storefront lags.
    row = post(sandbox, PRODUCTS, {"action_id": action_id}).json()["result"]["products"][0]
    raised = (new_price * Decimal("0.9")).quantize(Decimal(1))  # whole roubles
    assert row["price"] == float(new_price) and row["action_price"] == float(raised)
    assert sandbox.showcase_price(product_id) == before
    sandbox_clock.advance(600)
    assert sandbox.showcase_price(product_id) == raised > before


def test_calls_are_counted_per_endpoint(make_sandbox):
    sandbox = make_sandbox(products=5)
    action_id = sandbox.add_action()
    actions(sandbox)
    actions(sandbox)
    post(sandbox, PRODUCTS, {"action_id": action_id})
    assert sandbox.calls[ACTIONS] == 2 and sandbox.calls[PRODUCTS] == 1


def test_actions_need_ozons_credentials(make_sandbox):
    sandbox = make_sandbox(products=5)
    answer = requests.get(sandbox.url + ACTIONS, headers={"Client-Id": "x", "Api-Key": "y"}, timeout=10)
    assert answer.status_code == 401
    assert post(sandbox, ACTIONS, {}).status_code == 405

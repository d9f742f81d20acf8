"""The min-price timer on the sandbox: `/v1/product/action/timer/status` and `…/update`, and what it guards."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.ozonprice.sandbox.helpers import active_ids, post
from tests.ozonprice.sandbox.ozon_schema import assert_documented

pytestmark = pytest.mark.e2e

STATUS, UPDATE = "/v1/product/action/timer/status", "/v1/product/action/timer/update"
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
DAY = 86_400


def statuses(sandbox, product_ids) -> list[dict]:
    answer = post(sandbox, STATUS, {"product_ids": [str(p) for p in product_ids]})
    assert answer.status_code == 200, answer.text
    assert_documented(STATUS, answer.json())
    return answer.json()["statuses"]


def test_status_and_update_on_the_sandbox_clock(make_sandbox, sandbox_clock):
    sandbox = make_sandbox(products=10, clock=sandbox_clock, wall_start=START, min_price_timer_days=30)
    a, b = active_ids(sandbox, 2)
    sandbox.set_min_price_for_auto_actions(b, True)
    # Never renewed: lapsed at the sandbox's start. Unknown ids are left out.
    assert statuses(sandbox, [a, b, 100999999]) == [
        {"expired_at": "2026-11-01T12:00:00Z", "min_price_for_auto_actions_enabled": False, "product_id": a},
        {"expired_at": "2026-11-01T12:00:00Z", "min_price_for_auto_actions_enabled": True, "product_id": b},
    ]
    sandbox_clock.advance(DAY)
    answer = post(sandbox, UPDATE, {"product_ids": [str(a), 100999999]})
    assert answer.status_code == 200
    assert_documented(UPDATE, answer.json())  # documented without a body: {}
    assert statuses(sandbox, [a])[0]["expired_at"] == "2026-12-02T12:00:00Z"
    assert sandbox.timer_running(a) and not sandbox.timer_running(b)
    sandbox_clock.advance(30 * DAY)
    assert not sandbox.timer_running(a)
    sandbox.renew_timer(a, days=2)
    assert sandbox.timer_running(a)
    sandbox.expire_timer(a)
    assert not sandbox.timer_running(a)


@pytest.mark.parametrize("path", [STATUS, UPDATE])
@pytest.mark.parametrize("product_ids", [None, [], ["x"], [str(100000000 + i) for i in range(1001)]])
def test_at_most_1000_product_ids(make_sandbox, path, product_ids):
    sandbox = make_sandbox(products=5)
    body = {} if product_ids is None else {"product_ids": product_ids}
    answer = post(sandbox, path, body)
    assert answer.status_code == 400 and answer.json()["message"].startswith("product_ids:")


def test_1000_ids_are_one_call(make_sandbox):
    sandbox = make_sandbox(products=1000)
    ids = [str(100000000 + i) for i in range(1, 1001)]
    assert post(sandbox, UPDATE, {"product_ids": ids}).status_code == 200
    assert all(sandbox.timer_running(int(i)) for i in ids if sandbox.product(int(i)) is not None)
    assert sandbox.calls[UPDATE] == 1


def test_a_running_timer_keeps_auto_added_action_prices_at_min_price(make_sandbox):
    sandbox = make_sandbox(products=40)
    product_id = next(p for p in active_ids(sandbox, 40) if sandbox.product(p).min_price > 0)
    product = sandbox.product(product_id)
    sandbox.set_price(product_id, marketing_seller_price=product.price)
    deep = sandbox.add_action("Ozon: глубокая", 50)
    sandbox.put_in_action(product_id, deep, auto=True)
    half = (product.price / 2).quantize(Decimal(1))
    assert half < product.min_price
    # Lapsed timer: Ozon's automatic promotion goes under min_price.
    sandbox.set_min_price_for_auto_actions(product_id, True)
    assert sandbox.action_price(product_id, deep) == half == sandbox.showcase_price(product_id)
    # Running timer and the flag: no lower than min_price.
    sandbox.renew_timer(product_id)
    assert sandbox.action_price(product_id, deep) == product.min_price == sandbox.showcase_price(product_id)
    row = post(sandbox, "/v1/actions/products", {"action_id": deep}).json()["result"]["products"][0]
    assert row["action_price"] == float(product.min_price) and row["max_action_price"] == float(half)
    # Without the flag the timer guards nothing.
    sandbox.set_min_price_for_auto_actions(product_id, False)
    assert sandbox.action_price(product_id, deep) == half
    # A product the seller added by hand is never lifted.
    sandbox.set_min_price_for_auto_actions(product_id, True)
    sandbox.put_in_action(product_id, deep, auto=False)
    assert sandbox.action_price(product_id, deep) == half


def test_an_import_can_switch_the_min_price_guard_on(make_sandbox):
    sandbox = make_sandbox(products=10)
    (product_id,) = active_ids(sandbox, 1)
    product = sandbox.product(product_id)
    item = {
        "product_id": product_id,
        "price": str(product.price),
        "old_price": "0",
        "min_price": str((product.price * Decimal("0.9")).quantize(Decimal(1))),
        "min_price_for_auto_actions_enabled": True,
    }
    assert post(sandbox, "/v1/product/import/prices", {"prices": [item]}).json()["result"][0]["updated"]
    assert statuses(sandbox, [product_id])[0]["min_price_for_auto_actions_enabled"] is True


def test_auto_adding_respects_the_products_flag(make_sandbox):
    sandbox = make_sandbox(products=40)
    ids = active_ids(sandbox, 40)
    on = next(p for p in ids if sandbox.product(p).auto_add_to_ozon_actions_list_enabled)
    off = next(p for p in ids if not sandbox.product(p).auto_add_to_ozon_actions_list_enabled)
    action_id = sandbox.add_action()
    assert sandbox.auto_add(action_id, [on, off]) == [on]
    # DISABLED stops new additions only: a product already in stays in.
    sandbox.update(on, auto_add_to_ozon_actions_list_enabled=False)
    assert sandbox.auto_add(action_id, [on]) == [] and sandbox.actions_of(on) == [action_id]

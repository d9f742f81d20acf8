"""The sandbox's test controls for promotions, the min-price timer and discount requests, driven directly (no HTTP)."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.server import OzonSandbox
from tests.e2e.conftest import FakeClock

D = Decimal
DAY = 86_400


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sandbox(clock):
    return OzonSandbox(products=5, clock=clock)


@pytest.fixture
def ids(sandbox):
    catalog = sandbox.catalog
    return [catalog.product_id_of(i) for i in catalog.active_indices()[:3]]


def test_a_product_put_in_an_ozon_action_gets_the_discounted_action_price(sandbox, ids):
    action = sandbox.add_action(discount_percent=20)
    assert sandbox._product(ids[0]).price == D("12900.00")  # the seeded catalogue

    sandbox.put_in_action(ids[0], action)

    assert sandbox.actions_of(ids[0]) == [action] and sandbox.actions_of(ids[1]) == []
    assert sandbox.action_price(ids[0], action) == D("10320.00")


def test_taking_a_product_out_says_whether_it_was_in(sandbox, ids):
    action = sandbox.add_action()
    sandbox.put_in_action(ids[0], action, auto=False)

    assert sandbox.take_out_of_action(ids[0], action) is True
    assert sandbox.take_out_of_action(ids[0], action) is False
    assert sandbox.actions_of(ids[0]) == []


def test_an_action_runs_from_its_start_until_it_is_ended(sandbox):
    running = sandbox.add_action()
    later = sandbox.add_action(starts_in_days=2)

    assert sandbox.promotion_running("ozon", running) and not sandbox.promotion_running("ozon", later)
    sandbox.end_action(running)
    assert not sandbox.promotion_running("ozon", running)


def test_ozons_automatic_adding_takes_only_products_that_allow_it(sandbox, ids):
    action = sandbox.add_action()
    assert [sandbox._product(i).auto_add_to_ozon_actions_list_enabled for i in ids] == [True, True, False]

    added = sandbox.auto_add(action, ids)

    assert added == ids[:2]
    assert sandbox.actions_of(ids[1]) == [action] and sandbox.actions_of(ids[2]) == []


def test_freezing_an_action_can_be_undone(sandbox):
    action = sandbox.add_action()

    sandbox.freeze_action(action)
    assert sandbox.promotions.action(action).frozen
    sandbox.freeze_action(action, frozen=False)
    assert not sandbox.promotions.action(action).frozen


def test_a_sellers_action_prices_its_products_at_its_discount(sandbox, ids):
    action = sandbox.add_seller_action(discount_percent=10)
    ended = sandbox.add_seller_action(status="PAUSED")
    assert sandbox._product(ids[1]).price == D("709.00")  # the seeded catalogue

    sandbox.put_in_seller_action(ids[1], action)

    assert sandbox.seller_actions_of(ids[1]) == [action] and sandbox.seller_actions_of(ids[0]) == []
    assert sandbox.seller_action_price(ids[1], action) == D("638.00")
    assert sandbox.promotion_running("seller", action) and not sandbox.promotion_running("seller", ended)


def test_the_min_price_timer_is_renewed_for_the_days_given_and_expired_at_will(sandbox, ids, clock):
    assert not sandbox.timer_running(ids[0])  # never renewed

    sandbox.renew_timer(ids[0], days=2)
    assert sandbox.timer_running(ids[0]) and not sandbox.timer_running(ids[1])
    clock.advance(3 * DAY)
    assert not sandbox.timer_running(ids[0])

    sandbox.renew_timer(ids[0])
    sandbox.expire_timer(ids[0])
    assert not sandbox.timer_running(ids[0])


def test_the_min_price_flag_is_set_as_an_import_would_set_it(sandbox, ids):
    index = sandbox._product(ids[0]).index

    sandbox.set_min_price_for_auto_actions(ids[0], True)
    assert sandbox.price_desk.flag(index, "min_price_for_auto_actions_enabled")
    sandbox.set_min_price_for_auto_actions(ids[0], False)
    assert not sandbox.price_desk.flag(index, "min_price_for_auto_actions_enabled")


def test_a_discount_request_is_new_for_the_product_at_the_requested_price(sandbox, ids):
    product = sandbox._product(ids[2])

    task = sandbox.discount_request(sandbox.add_discount_request(ids[2], "850.5", quantity=2))

    assert (task.status, task.sku, task.name) == ("NEW", product.sku, product.name)
    assert (task.requested_price, task.original_price, task.min_auto_price) == (
        D("850.50"),
        product.price,
        product.min_price,
    )
    assert task.quantity_max == 2


def test_a_product_the_sandbox_does_not_have_is_a_key_error_naming_it(sandbox):
    with pytest.raises(KeyError, match="no product 999 in the sandbox"):
        sandbox.add_discount_request(999, 100)
    with pytest.raises(KeyError, match="no product 999"):
        sandbox.action_price(999, sandbox.add_action())

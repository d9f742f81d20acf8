"""Ozon applies accepted prices late, and an import's answer can come after the client gave up."""

import time
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.server import OzonSandbox
from tests.ozonprice.sandbox.helpers import AUTH, IMPORT, active_ids, info, post, v5

pytestmark = pytest.mark.e2e


def item(product_id: int, price: str = "1000") -> dict:
    return {"product_id": product_id, "price": price, "old_price": "0", "min_price": "0"}


def test_an_accepted_price_shows_in_v5_and_info_only_after_the_apply_delay(make_sandbox, clock):
    sandbox = make_sandbox(products=20, price_apply_delay_s=30, clock=clock)
    product_id = active_ids(sandbox, 1)[0]
    before, info_before = v5(sandbox, product_id)["price"], info(sandbox, product_id)["price"]

    answer = post(sandbox, IMPORT, {"prices": [item(product_id)]})

    assert answer.json()["result"][0]["updated"] is True  # accepted at once…
    assert v5(sandbox, product_id)["price"] == before  # …shown later
    assert info(sandbox, product_id)["price"] == info_before
    clock.advance(29)
    assert v5(sandbox, product_id)["price"] == before
    clock.advance(1)
    assert Decimal(str(v5(sandbox, product_id)["price"])) == Decimal("1000")
    assert sandbox.product(product_id).price == Decimal("1000.00")
    assert sandbox.price_changes_last_hour(product_id) == 1  # the budget counts at acceptance


def test_imports_of_one_product_apply_in_the_order_ozon_took_them(make_sandbox, clock):
    sandbox = make_sandbox(products=20, price_apply_delay_s=10, clock=clock)
    product_id = active_ids(sandbox, 1)[0]
    post(sandbox, IMPORT, {"prices": [item(product_id, "1000")]})
    clock.advance(5)
    post(sandbox, IMPORT, {"prices": [item(product_id, "1200")]})
    clock.advance(5)
    assert sandbox.product(product_id).price == Decimal("1000.00")
    clock.advance(5)
    assert sandbox.product(product_id).price == Decimal("1200.00")


def test_without_a_delay_an_accepted_price_shows_at_once(ozon_sandbox):
    product_id = active_ids(ozon_sandbox, 1)[0]
    post(ozon_sandbox, IMPORT, {"prices": [item(product_id)]})
    assert Decimal(str(v5(ozon_sandbox, product_id)["price"])) == Decimal("1000")


def test_a_negative_apply_delay_is_refused():
    with pytest.raises(ValueError, match="price_apply_delay_s"):
        OzonSandbox(products=1, price_apply_delay_s=-1)


def test_a_late_answer_comes_after_the_clients_timeout_but_ozon_took_the_import(ozon_sandbox):
    product_id = active_ids(ozon_sandbox, 1)[0]
    ozon_sandbox.answer_late_next(IMPORT, after_s=1.0)

    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        requests.post(ozon_sandbox.url + IMPORT, json={"prices": [item(product_id)]}, headers=AUTH, timeout=(5, 0.3))

    assert time.monotonic() - started < 1.0
    assert ozon_sandbox.product(product_id).price == Decimal("1000.00")  # applied before the answer
    assert ozon_sandbox.price_imports == [[item(product_id)]]
    # Only the next call was late: the one after answers at once.
    answer = post(ozon_sandbox, IMPORT, {"prices": [item(product_id, "1100")]})
    assert answer.status_code == 200 and answer.json()["result"][0]["updated"] is True


def test_a_late_answer_waits_for_the_apply_delay_like_any_import(make_sandbox, clock):
    sandbox = make_sandbox(products=20, price_apply_delay_s=30, clock=clock)
    product_id = active_ids(sandbox, 1)[0]
    before = sandbox.product(product_id).price
    sandbox.answer_late_next(IMPORT, after_s=0.5)

    with pytest.raises(requests.ReadTimeout):
        requests.post(sandbox.url + IMPORT, json={"prices": [item(product_id)]}, headers=AUTH, timeout=(5, 0.2))

    assert sandbox.product(product_id).price == before
    clock.advance(30)
    assert sandbox.product(product_id).price == Decimal("1000.00")


def test_stopping_the_sandbox_does_not_wait_for_a_late_answer(make_sandbox):
    sandbox = make_sandbox(products=5)
    product_id = active_ids(sandbox, 1)[0]
    sandbox.answer_late_next(IMPORT, after_s=60)
    with pytest.raises(requests.ReadTimeout):
        requests.post(sandbox.url + IMPORT, json={"prices": [item(product_id)]}, headers=AUTH, timeout=(5, 0.2))

    started = time.monotonic()
    sandbox.stop()

    assert time.monotonic() - started < 5

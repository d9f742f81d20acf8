"""The sandbox's saved state (`--state-file`): a restart continues where the sandbox stopped."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ozonprice.sandbox.server import OzonSandbox
from ozonprice.sandbox.state import state_dump, state_load, state_read, state_write

DEMO = {"products": 60, "seed": 3, "promotions": True}


def changed_sandbox() -> OzonSandbox:
    """A sandbox after a price import, an archive, a removal from a promotion and a discount decision."""
    sandbox = OzonSandbox(**DEMO)
    seeding = sandbox.promotion_seeding
    first = sandbox.catalog.product(1)
    sandbox.set_price(first.product_id, price=first.price + 100, min_price=first.price + 100)
    sandbox.price_desk.set_flag(1, "min_price_for_auto_actions_enabled", True)
    sandbox.archive([sandbox.catalog.product(2).product_id])
    sandbox.set_marketplace_discount(sandbox.catalog.product(3).product_id, 7)
    member, actions = next(iter(seeding.in_actions.items()))
    sandbox.promotions.take_out(sandbox.catalog.index_of_product_id(member), actions[0])
    task_id = next(iter(seeding.discount_requests))
    assert sandbox.discounts.decide(task_id, "DECLINED", comment="no") is None
    return sandbox


def _without_times(value):
    """The dump with its clock offsets (floats) blanked: they move on between two dumps."""
    if isinstance(value, dict):
        return {key: _without_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return "<time>" if isinstance(value, float) else value


def test_a_restored_sandbox_answers_as_the_one_saved(tmp_path):
    before = changed_sandbox()
    path = tmp_path / "state.json"
    state_write(path, state_dump(before))

    after = OzonSandbox(**DEMO)
    state_load(after, state_read(path))

    restored, saved = state_dump(after), state_dump(before)
    # Timers are kept relative to the sandbox's clock, which moved on a little meanwhile.
    restored, saved = restored["accounts"]["sandbox"], saved["accounts"]["sandbox"]
    timers = restored["promotions"].pop("timers"), saved["promotions"].pop("timers")
    assert timers[0].keys() == timers[1].keys()
    assert all(abs(timers[0][k] - timers[1][k]) < 5 for k in timers[0])
    assert _without_times(restored) == _without_times(saved)
    for index in range(1, 61):
        old, new = before.catalog.product(index), after.catalog.product(index)
        assert new == old
        if new is not None:
            assert after.storefront.showcase(new) == before.storefront.showcase(old)
    assert after.catalog.product(1).price == before.catalog.product(1).price
    assert after.price_desk.flag(1, "min_price_for_auto_actions_enabled")
    assert after.marketplace_discount(after.catalog.product(3).product_id) == Decimal(7)
    task_id = next(iter(before.promotion_seeding.discount_requests))
    assert after.discounts.task(task_id).status == "DECLINED"


def test_without_a_saved_state_the_sandbox_starts_seeded(tmp_path):
    assert state_read(tmp_path / "none.json") is None


def test_a_state_of_another_catalogue_is_refused():
    saved = state_dump(OzonSandbox(**DEMO))
    with pytest.raises(ValueError, match="60 products of seed 3"):
        state_load(OzonSandbox(products=61, seed=3, promotions=True), saved)


def test_the_state_file_is_json_written_whole(tmp_path):
    path = tmp_path / "demo" / "state.json"
    state_write(path, state_dump(changed_sandbox()))
    assert json.loads(path.read_text())["version"] == 2
    assert not path.with_name("state.json.tmp").exists()


def test_each_account_is_saved_and_restored_on_its_own():
    two = {"products": 20, "accounts": [{"client_id": "a", "api_key": "ka"}, {"client_id": "b", "api_key": "kb"}]}
    before = OzonSandbox(**two)
    second = before.account("b")
    product = second.catalog.product(second.catalog.first + 4)
    second.set_price(product.product_id, price=product.price + 100)
    second.archive([second.catalog.product(second.catalog.first).product_id])

    saved = state_dump(before)
    # Only the account's own indices are kept, not the million before its first one.
    assert len(saved["accounts"]["b"]["catalog"]["states"]) == 2 * 20
    after = OzonSandbox(**two)
    state_load(after, json.loads(json.dumps(saved)))
    assert after.account("b").product(product.product_id).price == product.price + 100
    assert after.account("b").catalog.count(2) == second.catalog.count(2)
    assert after.account("a").catalog._overrides == {}


def test_a_one_account_state_of_before_loads_into_the_first_account():
    sandbox = changed_sandbox()
    old = state_dump(sandbox)["accounts"]["sandbox"]
    old.pop("first")
    old["catalog"]["states"] = "00" + old["catalog"]["states"]  # version 1 kept index 0 too
    after = OzonSandbox(**DEMO, accounts=[{"client_id": "sandbox", "api_key": "k"}, {"client_id": "x", "api_key": "y"}])
    state_load(after, {"version": 1, **old})
    assert after.catalog.product(1).price == sandbox.catalog.product(1).price
    assert after.catalog.product(2).archived


def test_a_state_naming_an_account_the_sandbox_does_not_serve_is_refused():
    saved = state_dump(OzonSandbox(products=5, accounts=2))
    with pytest.raises(ValueError, match="sandbox-2"):
        state_load(OzonSandbox(products=5), saved)

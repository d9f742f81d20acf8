"""The deterministic demo promotions (`promotions=True`, `ozon_sandbox --demo-promotions`) and the proof's scenario."""

import signal
import subprocess
import sys
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import requests  # noqa: TID251 - tests talk to the sandbox directly

from ozonprice.sandbox.demo_promotions import guard_scenario
from tests.e2e.conftest import FakeClock
from tests.ozonprice.sandbox.helpers import AUTH, post

pytestmark = pytest.mark.e2e

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def snapshot(sandbox) -> dict:
    """Everything a client can read about the promotions, over HTTP."""
    actions = requests.get(sandbox.url + "/v1/actions", headers=AUTH, timeout=10).json()["result"]
    products = {
        a["id"]: post(sandbox, "/v1/actions/products", {"action_id": a["id"], "limit": 1000}).json() for a in actions
    }
    seller = post(sandbox, "/v1/seller-actions/list", {"limit": 100}).json()
    tasks = post(sandbox, "/v2/actions/discounts-task/list", {"limit": 50}).json()
    return {"actions": actions, "products": products, "seller": seller, "tasks": tasks}


def test_the_demo_seeding_is_deterministic(make_sandbox):
    one = make_sandbox(products=600, seed=3, promotions=True, clock=FakeClock(), wall_start=START)
    two = make_sandbox(products=600, seed=3, promotions=True, clock=FakeClock(), wall_start=START)
    other = make_sandbox(products=600, seed=4, promotions=True, clock=FakeClock(), wall_start=START)
    assert one.promotion_seeding == two.promotion_seeding
    assert snapshot(one) == snapshot(two)
    assert one.promotion_seeding.in_promotions != other.promotion_seeding.in_promotions
    showcase = [one.showcase_price(p) for p in sorted(one.promotion_seeding.in_promotions)]
    assert showcase == [two.showcase_price(p) for p in sorted(two.promotion_seeding.in_promotions)]


def test_the_demo_shares(make_sandbox):
    sandbox = make_sandbox(products=3000, promotions=True)
    seeding = sandbox.promotion_seeding
    active = len(sandbox.catalog.active_indices())
    assert 0.36 < len(seeding.in_promotions) / active < 0.44
    assert 0.08 < len(seeding.marketplace_discounts) / active < 0.12
    assert 0.03 < len(seeding.discount_requests) / active < 0.07
    assert seeding.unremovable and seeding.lapsed_timers and seeding.in_seller_actions
    # Promotions put products 8–25 % under their price (or at min_price, where the timer guards it).
    under = 0
    for product_id in seeding.in_actions:
        product = sandbox.product(product_id)
        lowest = min(
            sandbox.action_price(product_id, a) for a in seeding.action_ids if a in seeding.in_actions[product_id]
        )
        eight_off = (product.price * 92 / 100).quantize(Decimal(1), ROUND_HALF_UP)
        assert lowest <= eight_off or lowest == product.min_price
        under += lowest < product.price
    assert under == len(seeding.in_actions)
    tasks = [sandbox.discount_request(t) for t in seeding.discount_requests]
    assert all(t.status == "NEW" and t.requested_price < t.original_price for t in tasks)
    statuses = requests.get(sandbox.url + "/v1/actions", headers=AUTH, timeout=10).json()["result"]
    assert sum(a["participating_products_count"] for a in statuses) >= len(seeding.in_actions)


def test_the_guard_scenario_can_be_cleared_within_bounded_calls(make_sandbox):
    """What the proof does to Ozon's actions: read each one, remove every member, ⌈n/1000⌉ calls an action."""
    sandbox = make_sandbox(**guard_scenario())
    seeding = sandbox.promotion_seeding
    assert sandbox.catalog.size == 3000 and seeding.unremovable == []
    deactivations = 0
    for action_id in seeding.action_ids:
        members, last_id = [], 0
        while True:
            page = post(sandbox, "/v1/actions/products", {"action_id": action_id, "limit": 1000, "last_id": last_id})
            rows = page.json()["result"]["products"]
            members += [row["id"] for row in rows]
            if len(rows) < 1000:
                break
            last_id = page.json()["result"]["last_id"]
        for start in range(0, len(members), 1000):
            result = post(
                sandbox,
                "/v1/actions/products/deactivate",
                {"action_id": action_id, "product_ids": members[start : start + 1000]},
            ).json()["result"]
            assert result["rejected"] == []
            deactivations += 1
    assert deactivations == len(seeding.action_ids) == sandbox.calls["/v1/actions/products/deactivate"]
    assert all(sandbox.actions_of(p) == [] for p in seeding.in_actions)


def test_the_command_seeds_the_demo_promotions():
    command = [sys.executable, str(MANAGE), "ozon_sandbox", "--port", "0", "--products", "50", "--demo-promotions"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        options = process.stdout.readline().strip()
        assert "; demo promotions: " in options and " products in 6 actions, " in options
        answer = requests.get(url + "/v1/actions", headers=AUTH, timeout=10)
        assert answer.status_code == 200 and len(answer.json()["result"]) == 4
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()

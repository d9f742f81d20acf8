"""The storefront guard's proof over real HTTP: 3,000 SKUs, promotions, marketplace discounts, buyer requests.

The sandbox is seeded as the issue asks (`guard_scenario`): about 40 % of the products
sit in Ozon's or the seller's promotions 8–25 % under their price, about 10 % carry a
marketplace discount of 3–12 %, and some buyers have asked for discounts 3–30 % under the
price. Every SKU gets an MRPC 5 % under its price, so the new price drags every action
price along, the guard has breaches to find both before and after maintenance, and the
buyer requests fall on both sides of the MRPC.

The run is what the scheduler does over a few slots: sync, guard, maintenance, showcase
fetch and verification, the guard again (its next slot), the second maintenance (the
showcase hold) and a last verification. The verification window is set to one minute and
Django's clock moved past it, so the changes under a marketplace discount are closed
(recorded as such) and the hold may act on them, as it would after the window in real time.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.models import DiscountRequestsMode, PromoGuardMode, RuntimeSettings, ShowcaseSource
from ozonprice.sandbox.demo_promotions import guard_scenario
from pricing.models import DiscountDecision, DiscountRequest, PromoExit, PromoOutcome
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard
from pricing.services.verify import price_changes_verify
from tests.factories import account_default

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
DELAY = 0.2  # the sandbox's storefront follows a new price this much later
MRPC_SHARE = Decimal("0.95")
ONE_PERCENT = Decimal("1.01")


def settle() -> None:
    time.sleep(DELAY + 0.1)


def configure(*, mode: str, requests_mode: str, hold: bool) -> None:
    runtime = RuntimeSettings.load()
    runtime.showcase_source = ShowcaseSource.OZON_DETAILS  # what the buyer sees (Premium Pro in the sandbox)
    runtime.promo_guard_mode, runtime.discount_requests_mode = mode, requests_mode
    runtime.showcase_hold, runtime.verification_window = hold, 1
    runtime.save()
    # The per-account settings are the account's (the runtime's showcase source is the catalogue's until part F1).
    account = account_default()
    account.showcase_source = ShowcaseSource.OZON_DETAILS
    account.promo_guard_mode, account.discount_requests_mode, account.showcase_hold = mode, requests_mode, hold
    account.save()


def mrpc_for_all() -> dict[int, Decimal]:
    skus = list(Sku.objects.filter(available=True, archived=False, price__gt=0).order_by("id"))
    for sku in skus:
        sku.mrpc = (sku.price * MRPC_SHARE).quantize(Decimal("1"), ROUND_HALF_UP)
        sku.discount, sku.active = Decimal("0"), True
    Sku.objects.bulk_update(skus, ["mrpc", "discount", "active"])
    return {s.product_id: s.mrpc for s in skus}


def under_mrpc_promotions(sandbox, mrpc: dict[int, Decimal]) -> dict[int, list[tuple[str, int, Decimal]]]:
    """Every SKU still in a promotion whose action price is under its MRPC, as Ozon holds it now."""
    breaches: dict[int, list[tuple[str, int, Decimal]]] = {}
    for product_id, floor in mrpc.items():
        for action_id in sandbox.actions_of(product_id):
            price = sandbox.action_price(product_id, action_id)
            if price < floor and sandbox.promotion_running("ozon", action_id):
                breaches.setdefault(product_id, []).append(("ozon", action_id, price))
        for action_id in sandbox.seller_actions_of(product_id):
            price = sandbox.seller_action_price(product_id, action_id)
            if price < floor and sandbox.promotion_running("seller", action_id):
                breaches.setdefault(product_id, []).append(("seller", action_id, price))
    return breaches


def requests_below(sandbox, mrpc: dict[int, Decimal]) -> tuple[set[int], set[int]]:
    seeded = sandbox.promotion_seeding.discount_requests
    below = {
        task
        for task, pid in seeded.items()
        if pid in mrpc and sandbox.discount_request(task).requested_price < mrpc[pid]
    }
    return below, set(seeded) - below  # at or above MRPC, or a product with no MRPC: the manager's


@pytest.mark.parametrize("ozon_sandbox", [guard_scenario(storefront_delay_s=DELAY)], indirect=True)
def test_the_guard_holds_the_mrpc_on_the_storefront(sandbox_account):
    sandbox = sandbox_account
    configure(mode=PromoGuardMode.REMOVE, requests_mode=DiscountRequestsMode.DECLINE_BELOW_MRPC, hold=True)
    assert sku_sync_all().ok
    mrpc = mrpc_for_all()
    n = len(mrpc)
    seeding = sandbox.promotion_seeding
    assert n > 2000 and len(seeding.in_promotions) > 0.35 * n and len(seeding.marketplace_discounts) > 0.08 * n
    below, above = requests_below(sandbox, mrpc)
    assert below and above  # requests on both sides of the MRPC
    sandbox.reset_calls()

    first = promotions_guard()  # before maintenance: the breaches at today's prices
    assert first.ok, first.summary()
    assert prices_maintain().ok  # MRPC out: min_price = MRPC, promotions' auto-add off
    settle()
    assert showcase_prices_fetch().ok and price_changes_verify().ok
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):  # past the one-minute window
        closed = price_changes_verify()
        assert closed.ok, closed.summary()
        second = promotions_guard()  # its next slot: action prices followed the new price
        assert second.ok, second.summary()
        assert showcase_prices_fetch().ok
        held = prices_maintain()  # the showcase hold raises what a marketplace discount pulls under
        assert held.ok, held.summary()
        settle()
        assert showcase_prices_fetch().ok and price_changes_verify().ok

    # 0 SKUs remain in a promotion under MRPC.
    assert under_mrpc_promotions(sandbox, mrpc) == {}
    # ≥ 99 % of the active SKUs show a storefront price within [MRPC, MRPC + 1 %].
    showing = {pid: sandbox.showcase_price(pid) for pid in mrpc}
    inside = [pid for pid, seen in showing.items() if seen is not None and mrpc[pid] <= seen <= mrpc[pid] * ONE_PERCENT]
    outside = {pid: (showing[pid], mrpc[pid]) for pid in set(mrpc) - set(inside)}
    assert len(inside) >= 0.99 * n, f"{len(outside)} of {n} outside [MRPC, MRPC+1%]: {list(outside.items())[:10]}"
    # 0 requests approved below MRPC, every below-MRPC request declined, the others left to the manager.
    tasks = {task: sandbox.discount_request(task) for task in seeding.discount_requests}
    assert not [t for t in tasks.values() if t.status == "APPROVED"]
    assert {task for task, t in tasks.items() if t.status == "DECLINED"} == below
    assert {task for task, t in tasks.items() if t.status == "NEW"} == above
    assert (
        set(
            DiscountRequest.objects.filter(decision=DiscountDecision.DECLINED_BELOW_MRPC).values_list(
                "ozon_id", flat=True
            )
        )
        == below
    )
    # Every removal is recorded, with who and why.
    removed = PromoExit.objects.filter(outcome=PromoOutcome.REMOVED)
    assert removed.count() == first.removed + second.removed > 0
    assert not PromoExit.objects.filter(outcome=PromoOutcome.REFUSED).exists()

    # Ozon calls per endpoint, for two guard runs (N SKUs watched, A Ozon actions, S seller actions):
    calls = Counter(sandbox.calls)
    actions, seller_actions = len(seeding.action_ids), len(seeding.seller_action_ids) + 1
    members = Counter(a for ids in seeding.in_actions.values() for a in ids)
    # /v1/actions: one list per run.
    assert calls["/v1/actions"] == 2
    # /v1/actions/products: ⌊members/100⌋ + 1 pages per action and run (paging stops on a short page).
    assert calls["/v1/actions/products"] <= 2 * sum(members[a] // 100 + 1 for a in seeding.action_ids)
    # deactivate: at most ⌈breaches in the action / 1000⌉ per action and run.
    assert calls["/v1/actions/products/deactivate"] <= 2 * actions * math.ceil(n / 1000)
    # seller actions: one list page per run, ⌈members/limit⌉ + 1 product pages per action, deletes batched.
    assert calls["/v1/seller-actions/list"] <= 2 * math.ceil(seller_actions / 100)
    assert calls["/v1/seller-actions/products/delete"] <= 2 * len(seeding.seller_action_ids) * math.ceil(n / 1000)
    seller_members = Counter(a for ids in seeding.in_seller_actions.values() for a in ids)
    assert calls["/v1/seller-actions/products/list"] <= 2 * sum(
        math.ceil(seller_members[a] / 100) + 1 for a in seeding.seller_action_ids
    )
    # min-price timers: ⌈N/1000⌉ status reads per run, ⌈R/1000⌉ renewals and as many read-backs (R renewed).
    renewals = math.ceil(first.timers_renewed / 1000) + math.ceil(second.timers_renewed / 1000)
    assert calls["/v1/product/action/timer/status"] <= 2 * math.ceil(n / 1000) + renewals
    assert calls["/v1/product/action/timer/update"] <= renewals
    # discount requests: ⌈NEW/50⌉ + 1 list pages and ⌈declines/50⌉ decline calls per run.
    assert calls["/v2/actions/discounts-task/list"] <= 2 * (math.ceil(len(tasks) / 50) + 1)
    assert calls["/v1/actions/discounts-task/decline"] <= math.ceil(len(below) / 50) + 1
    # the price imports: ⌈N/1000⌉ for MRPC, ⌈held/1000⌉ for the hold.
    assert calls["/v1/product/import/prices"] <= 2 * math.ceil(n / 1000)


@pytest.mark.parametrize("ozon_sandbox", [guard_scenario(storefront_delay_s=DELAY)], indirect=True)
def test_in_report_mode_the_same_run_changes_nothing_on_ozon_and_reports_every_breach(sandbox_account):
    sandbox = sandbox_account
    configure(mode=PromoGuardMode.REPORT, requests_mode=DiscountRequestsMode.MANUAL, hold=False)
    assert sku_sync_all().ok
    mrpc = mrpc_for_all()
    before = under_mrpc_promotions(sandbox, mrpc)
    assert before
    sandbox.reset_calls()

    result = promotions_guard()

    assert result.ok, result.summary()
    assert under_mrpc_promotions(sandbox, mrpc) == before  # nothing removed
    for path in (
        "/v1/actions/products/deactivate",
        "/v1/seller-actions/products/delete",
        "/v1/actions/discounts-task/decline",
        "/v1/actions/discounts-task/approve",
        "/v1/product/import/prices",
    ):
        assert sandbox.calls.get(path, 0) == 0, path
    reported = set(
        PromoExit.objects.filter(outcome=PromoOutcome.REPORTED, standing=True).values_list(
            "sku__product_id", "action_kind", "action_id"
        )
    )
    assert reported == {(pid, kind, action) for pid, rows in before.items() for kind, action, _price in rows}
    assert result.breaches == len(reported) and (result.removed, result.declined) == (0, 0)
    assert all(sandbox.discount_request(t).status == "NEW" for t in sandbox.promotion_seeding.discount_requests)

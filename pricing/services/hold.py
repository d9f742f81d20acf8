"""The showcase hold in price maintenance: which SKUs it covers and the price it sets (SPEC §10).

The rule itself is pure (`pricing.rules.showcase_hold_price`); this module
feeds it what only the database knows, per chunk of SKUs:

- whether the hold is on for the SKU (`Sku.showcase_hold`, or its account's
  setting when that is empty);
- a showcase observation it may act on. The observation must be exact (the
  `ozon_seller_price` source is only an upper bound: the hold never acts on
  it) and fresh: taken once Ozon held the current price. So while the SKU's
  last sent change is still in flight (sent, unknown, or applied and not yet
  settled by verification — the showcase may lag Ozon's price), the hold waits,
  and after it settles only an observation from no earlier than when Ozon
  applied it counts. Acting on a showcase of the previous price would raise
  twice for one discount.

Without a usable observation the hold keeps a price it set itself (within
MRPC and the max uplift): it never raises on a guess. A price above MRPC that
the hold did not set (its last change is not the hold's) is not kept: it goes
down to MRPC, or as far towards it as the showcase allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.models import Account, RuntimeSettings, ShowcaseSource
from pricing.models import IN_FLIGHT_STATUSES, PriceChange, Reason
from pricing.rules import HoldDecision, HoldStep, Targets, showcase_hold_price, showcase_hold_targets

# Sources that report the price a buyer sees; `ozon_seller_price` is only an upper bound of it.
EXACT_SOURCES = (ShowcaseSource.FRONT_API, ShowcaseSource.OZON_DETAILS)


@dataclass(frozen=True)
class HoldPlan:
    targets: Targets
    decision: HoldDecision
    showcase: Decimal | None  # the observation the decision used; None when it waited
    own: bool  # the price Ozon holds is one the hold set

    @property
    def moves_price(self) -> bool:
        """Whether the hold, not the plain MRPC rule, decides this SKU's price now."""
        return self.targets.price != self.targets.min_price or (self.own and self.decision.step == HoldStep.STEP_DOWN)


def showcase_hold_on(sku: Sku, *, default: bool) -> bool:
    """The SKU's own choice, or its account's setting (`default`) when it has none."""
    return default if sku.showcase_hold is None else sku.showcase_hold


def showcase_hold_plan(
    skus: list[Sku], *, account: Account | None = None, threshold: Decimal | None = None
) -> dict[int, HoldPlan]:
    """The hold's targets per `Sku.id`, for the SKUs (with MRPC) it covers. Two queries at most.

    `skus` are `account`'s (None: the only account): its showcase source, hold
    switch and max uplift decide. `threshold`: the global deviation threshold
    (None: read from the runtime settings).
    Raises nothing: a SKU whose discount cannot be shown at the hold's price is
    left out (plain MRPC maintenance reports the discount's problem itself).
    """
    account = account if account is not None else account_resolve()
    if account.showcase_source not in EXACT_SOURCES:
        return {}
    covered = [s for s in skus if s.mrpc and showcase_hold_on(s, default=account.showcase_hold)]
    if not covered:
        return {}
    if threshold is None:
        threshold = RuntimeSettings.load().deviation_threshold
    latest = _latest_changes(covered)
    usable = _usable_showcases(covered, latest)
    plans = {}
    for sku in covered:
        mrpc = sku.mrpc
        assert mrpc is not None, "covered holds only SKUs with MRPC"
        showcase = usable.get(sku.id)
        last = latest.get(sku.id)
        own = last is not None and last.reason == Reason.SHOWCASE_HOLD and last.expected_price == sku.price
        decision = showcase_hold_price(
            mrpc=mrpc,
            price=sku.price,
            showcase=showcase,
            threshold=threshold,
            max_uplift=account.showcase_max_uplift,
            own=own,
        )
        try:
            targets = showcase_hold_targets(mrpc=mrpc, discount=sku.discount, price=decision.price)
        except ValueError:  # DiscountError included
            continue
        plans[sku.id] = HoldPlan(targets=targets, decision=decision, showcase=showcase, own=own)
    return plans


def _latest_changes(skus: list[Sku]) -> dict[int, PriceChange]:
    """Each SKU's last change sent to Ozon (one query)."""
    last = (
        PriceChange.objects.filter(sku_id=OuterRef("sku_id"), dispatched_at__isnull=False)
        .order_by("-dispatched_at", "-id")
        .values("id")[:1]
    )
    return {
        c.sku_id: c
        for c in PriceChange.objects.filter(sku_id__in=[s.id for s in skus], id=Subquery(last)).only(
            "sku_id", "status", "reason", "expected_price", "dispatched_at", "applied_at", "finished_at"
        )
    }


def _usable_showcases(skus: list[Sku], latest: dict[int, PriceChange]) -> dict[int, Decimal]:
    """The showcase per `Sku.id` that the hold may act on (exact and fresh); others are left out."""
    usable = {}
    for sku in skus:
        if sku.front_price is None or sku.front_price_timestamp is None or sku.front_price_source not in EXACT_SOURCES:
            continue
        change = latest.get(sku.id)
        if change is not None:
            if change.status in IN_FLIGHT_STATUSES and change.finished_at is None:
                continue  # Ozon may not hold it yet, or the showcase may not show it yet
            sent_at = change.applied_at or change.dispatched_at
            assert sent_at is not None, "_latest_changes reads dispatched changes only"
            if sku.front_price_timestamp < sent_at:
                continue  # a showcase of the price before it
        usable[sku.id] = sku.front_price
    return usable

"""Pure price maths: MRPC and discount → what to send to Ozon. Decimal only, no Django.

Ozon's gap rules for `old_price` (docs/ozon-api.md §4, SPEC §2.1): the gap
`old_price − price` must be more than 20 RUB when the price is up to 400, more
than 5 % of `old_price` from 400 to 10 000, more than 500 RUB above 10 000, and
less than 90 % of `old_price`. Ozon's own sources disagree on the edges (is 400
in the 20-RUB tier or the 5 % tier, "more than" or "at least"), so at a tier
edge both tiers' rules apply, and every bound keeps a safety margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import Enum

ZERO = Decimal("0")
CENT = Decimal("0.01")
ROUBLE = Decimal("1")
HUNDRED = Decimal("100")

LOW_TIER_MAX = Decimal("400")
TOP_TIER_MIN = Decimal("10000")
LOW_TIER_GAP = Decimal("20")
TOP_TIER_GAP = Decimal("500")
MID_TIER_SHARE = Decimal("0.05")
MAX_GAP_SHARE = Decimal("0.90")
# Margins kept inside Ozon's bounds: one rouble on the absolute gaps, half a
# point on the shares.
GAP_MARGIN = Decimal("1")
SHARE_MARGIN = Decimal("0.005")
MAX_DISCOUNT = Decimal("90")  # the domain's discount is 0 ≤ d < 90
# A change of more than 50 % sends a product into Ozon's price quarantine.
QUARANTINE_SHARE = Decimal("0.50")


@dataclass(frozen=True)
class Targets:
    """What Ozon should hold for one product. `old_price` 0 means "no crossed-out price"."""

    price: Decimal
    old_price: Decimal
    min_price: Decimal

    def as_ozon(self) -> dict[str, str]:
        """Ozon's import wants strings with a decimal point; `"0"` resets old_price."""
        return {
            "price": money_str(self.price),
            "old_price": "0" if self.old_price == ZERO else money_str(self.old_price),
            "min_price": money_str(self.min_price),
        }

    def held_by(self, *, price: Decimal | None, old_price: Decimal | None, min_price: Decimal | None) -> bool:
        """Whether prices Ozon holds (a SKU's recorded ones) are these targets: nothing to send."""
        return holds(
            price=price,
            old_price=old_price,
            min_price=min_price,
            target_price=self.price,
            target_old_price=self.old_price,
            target_min_price=self.min_price,
        )

    def shown_discount(self) -> Decimal:
        """The discount a buyer sees, in whole percent as Ozon rounds it."""
        if self.old_price <= ZERO:
            return ZERO
        return ((self.old_price - self.price) / self.old_price * HUNDRED).quantize(ROUBLE, ROUND_HALF_UP)


class Refusal(Enum):
    NOT_AVAILABLE = "not_available"
    NO_MRPC = "no_mrpc"
    NO_SHOWCASE_PRICE = "no_showcase_price"


class DiscountError(ValueError):
    """A discount Ozon would reject for this MRPC, with the range of discounts that pass.

    `smallest` and `largest` are None when no discount passes at this MRPC (or
    the discount is out of the domain's range). Its text is a diagnostic for
    logs; the one message people read is `pricing.services.edits.discount_error_message`.
    """

    def __init__(
        self, *, mrpc: Decimal, discount: Decimal, smallest: Decimal | None, largest: Decimal | None = None
    ) -> None:
        self.mrpc, self.discount, self.smallest, self.largest = mrpc, discount, smallest, largest
        super().__init__(f"discount {discount}% at MRPC {mrpc}: {self.problem()}")

    def out_of_range(self) -> bool:
        return not ZERO <= self.discount < MAX_DISCOUNT

    def problem(self) -> str:
        if self.out_of_range():
            return f"out of range (0 to less than {MAX_DISCOUNT})"
        if self.smallest is None:
            return "no discount passes"
        if self.discount < self.smallest:
            return f"too small, the smallest that works is {self.smallest}%"
        return f"too big, the largest that works is {self.largest}%"


def money_str(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def old_price_for(mrpc: Decimal, discount: Decimal) -> Decimal:
    """`MRPC / (1 − d/100)` rounded to whole roubles; 0 for no discount."""
    if discount == ZERO:
        return ZERO
    return (mrpc / (ROUBLE - discount / HUNDRED)).quantize(ROUBLE, ROUND_HALF_UP)


def holds(
    *,
    price: Decimal | None,
    old_price: Decimal | None,
    target_price: Decimal | None,
    target_old_price: Decimal | None,
    min_price: Decimal | None = None,
    target_min_price: Decimal | None = None,
) -> bool:
    """Whether Ozon already holds the targets, so there is nothing to send (or a sent change landed).

    Ozon reports "no crossed-out price" as 0 or leaves `old_price` out: both
    mean 0 here, as in `Targets`. The min price is compared only when
    `target_min_price` is given: Ozon's price read-back is judged on the price
    and the old price alone.
    """
    if (price, old_price or ZERO) != (target_price, target_old_price):
        return False
    return target_min_price is None or min_price == target_min_price


def gap_is_valid(price: Decimal, old_price: Decimal) -> bool:
    """Whether Ozon accepts this `old_price` next to `price` under every reading of its rules."""
    if old_price == ZERO:
        return True
    return _gap_big_enough(price, old_price) and _gap_not_too_big(price, old_price)


def _gap_big_enough(price: Decimal, old_price: Decimal) -> bool:
    gap = old_price - price
    needed = []
    if price <= LOW_TIER_MAX:
        needed.append(LOW_TIER_GAP)
    if LOW_TIER_MAX <= price <= TOP_TIER_MIN:
        needed.append((MID_TIER_SHARE + SHARE_MARGIN) * old_price)
    if price >= TOP_TIER_MIN:
        needed.append(TOP_TIER_GAP)
    return gap > max(needed) + GAP_MARGIN


def _gap_not_too_big(price: Decimal, old_price: Decimal) -> bool:
    return old_price - price < (MAX_GAP_SHARE - SHARE_MARGIN) * old_price


def discount_passes(mrpc: Decimal, discount: Decimal) -> bool:
    return ZERO <= discount < MAX_DISCOUNT and gap_is_valid(mrpc, old_price_for(mrpc, discount))


def smallest_valid_discount(mrpc: Decimal) -> Decimal | None:
    """The least discount above zero (in 0.01 % steps) that Ozon accepts, or None if none does.

    A bigger discount only widens the gap, so "big enough" turns true once and
    stays true: a binary search over hundredths of a percent finds the edge.
    """
    lo, hi = 1, int(MAX_DISCOUNT * 100) - 1
    if not _gap_big_enough(mrpc, old_price_for(mrpc, Decimal(hi) / 100)):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if _gap_big_enough(mrpc, old_price_for(mrpc, Decimal(mid) / 100)):
            hi = mid
        else:
            lo = mid + 1
    smallest = (Decimal(lo) / 100).quantize(CENT)
    return smallest if discount_passes(mrpc, smallest) else None


def largest_valid_discount(mrpc: Decimal) -> Decimal | None:
    """The greatest discount below 90 % that Ozon accepts, or None if none does.

    "Not too big" is true for small discounts and turns false once, so the
    same binary search finds its edge.
    """
    smallest = smallest_valid_discount(mrpc)
    if smallest is None:
        return None
    lo, hi = int(smallest * 100), int(MAX_DISCOUNT * 100) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _gap_not_too_big(mrpc, old_price_for(mrpc, Decimal(mid) / 100)):
            lo = mid
        else:
            hi = mid - 1
    return (Decimal(lo) / 100).quantize(CENT)


def targets_for(mrpc: Decimal, discount: Decimal) -> Targets:
    """The prices that show MRPC with `discount` crossed out. Raises DiscountError if Ozon would refuse."""
    if mrpc is None or mrpc <= ZERO:
        raise ValueError("MRPC must be greater than zero")
    if not ZERO <= discount < MAX_DISCOUNT:
        raise DiscountError(mrpc=mrpc, discount=discount, smallest=None)
    given, mrpc = mrpc, mrpc.quantize(CENT, ROUND_HALF_UP)
    old_price = old_price_for(mrpc, discount)
    if not gap_is_valid(mrpc, old_price):
        smallest, largest = smallest_valid_discount(mrpc), largest_valid_discount(mrpc)
        # The MRPC as given: the message names the number the manager typed.
        raise DiscountError(mrpc=given, discount=discount, smallest=smallest, largest=largest)
    return Targets(price=mrpc, old_price=old_price, min_price=mrpc)


def can_activate(*, available: bool, mrpc: Decimal | None, front_price: Decimal | None) -> Refusal | None:
    """None when price maintenance may start, else the first reason it may not."""
    if not available:
        return Refusal.NOT_AVAILABLE
    if mrpc is None or mrpc <= ZERO:
        return Refusal.NO_MRPC
    if front_price is None or front_price <= ZERO:
        return Refusal.NO_SHOWCASE_PRICE
    return None


def is_quarantine_change(current: Decimal | None, new: Decimal) -> bool:
    """Whether moving from `current` to `new` is a change Ozon quarantines (> 50 %), with margin.

    A change of exactly 50 % counts too: we keep clear of the edge.
    """
    if current is None or current <= ZERO:
        return False
    return abs(new - current) / current >= QUARANTINE_SHARE


# --- the showcase hold (SPEC §10): raise the price so a marketplace discount lands the showcase at MRPC ---
# Ozon shows whole roubles and may round either way: the raise aims half a rouble above
# the showcase target, so a showcase rounded down by up to half a rouble still reaches it.
HOLD_MARGIN = Decimal("0.5")
# The raise may leave the showcase a few roubles above MRPC (its ceil, the margin and the
# showcase's rounding): a step down needs the showcase more than this above MRPC too, so
# the hold never steps down from its own raise.
HOLD_SLACK = Decimal("3")


class HoldStep(Enum):
    RAISE = "raise"  # the showcase is under MRPC: price up
    KEEP = "keep"  # the showcase is at MRPC (within the band): nothing to do
    STEP_DOWN = "step_down"  # the discount ended or shrank: price down towards MRPC
    WAIT = "wait"  # no usable observation: hold the current price within the bounds


@dataclass(frozen=True)
class HoldDecision:
    price: Decimal
    step: HoldStep
    cap: Decimal  # MRPC × (1 + max uplift / 100): the hold never goes above it


def showcase_hold_cap(mrpc: Decimal, max_uplift: Decimal) -> Decimal:
    """The highest price the hold may set: MRPC × (1 + max_uplift/100), down to the kopeck."""
    return max(mrpc, (mrpc * (ROUBLE + max_uplift / HUNDRED)).quantize(CENT, ROUND_FLOOR))


def showcase_hold_price(
    *,
    mrpc: Decimal,
    price: Decimal | None,
    showcase: Decimal | None,
    threshold: Decimal,
    max_uplift: Decimal,
    own: bool = True,
) -> HoldDecision:
    """The seller price that lands the showcase at MRPC under a marketplace discount.

    `price` is what Ozon holds now, `showcase` a fresh, exact observation of the
    showcase *at that price* (None when there is none: the hold then keeps the
    price), `threshold` the deviation threshold in %, `max_uplift` in %.
    `own` says the current price is one the hold set: only such a price is
    kept without an observation or within the band; any other price above
    MRPC goes down as far as the showcase allows (to MRPC without one).

    - Showcase under MRPC: `price' = ceil(price × (⌈MRPC⌉ + ½) / showcase)`.
      Whether Ozon takes a percentage (showcase = price × (1 − d)) or a fixed
      sum (price − D), the new showcase is at least MRPC: for a percentage
      exactly, for a fixed sum the ratio over-corrects by D² / (MRPC − D).
    - Showcase above MRPC by more than the threshold (and `HOLD_SLACK`) while
      the price is above MRPC: step down to `⌈MRPC⌉ + ½ + (price − showcase)`,
      or to MRPC once the showcase shows no discount (⌈MRPC⌉ if the showcase
      is in whole roubles). Whatever the discount's
      kind, the showcase at the lower price stays at or above MRPC: a step
      down is never followed by a raise while the discount is steady.
    - The result is always within [MRPC, cap].

    Guarantee (property-tested): a steady percentage discount costs one raise
    while it lasts and one step down when it ends. A steady fixed discount the
    same, plus at most one corrective step down when the raise's over-correction
    exceeds the band (D large against MRPC). It never oscillates: raises happen
    only under MRPC, and a step down never brings the showcase under MRPC.
    """
    mrpc = mrpc.quantize(CENT, ROUND_HALF_UP)
    cap = showcase_hold_cap(mrpc, max_uplift)
    current = price if price is not None and price > ZERO else mrpc
    kept = min(max(current, mrpc), cap)
    if showcase is None or showcase <= ZERO:
        return HoldDecision(kept if own else mrpc, HoldStep.WAIT, cap)
    aim = mrpc.to_integral_value(ROUND_CEILING) + HOLD_MARGIN  # the showcase is in whole roubles
    cut = current - showcase  # what the marketplace takes off the seller price
    new = kept
    if showcase < mrpc:
        if cut > ZERO:
            new = max(kept, min((current * aim / showcase).to_integral_value(ROUND_CEILING), cap))
    elif current > mrpc and (
        not own or (showcase > mrpc * (ROUBLE + threshold / HUNDRED) and showcase > mrpc + HOLD_SLACK)
    ):
        if cut > ZERO:
            lower = (aim + cut).to_integral_value(ROUND_CEILING)
        elif showcase == showcase.to_integral_value():
            # A showcase in whole roubles may hide a discount under half a rouble, and shows
            # MRPC with kopecks rounded either way: the whole rouble above MRPC is safe.
            lower = mrpc.to_integral_value(ROUND_CEILING)
        else:
            lower = mrpc
        new = min(max(lower, mrpc), kept)
    step = HoldStep.RAISE if new > current else HoldStep.STEP_DOWN if new < current else HoldStep.KEEP
    return HoldDecision(new, step, cap)


def showcase_hold_targets(*, mrpc: Decimal, discount: Decimal, price: Decimal) -> Targets:
    """Targets at the hold's price: `old_price` from the discount rule on that price, `min_price` MRPC.

    The min price stays MRPC: the hold must not raise Ozon's floor for its
    promotions. If the discount fails Ozon's gap rules at the new price (a tier
    edge crossed on the way up), the nearest discount that passes is shown
    instead. Raises DiscountError if none does.
    """
    mrpc = mrpc.quantize(CENT, ROUND_HALF_UP)
    try:
        targets = targets_for(price, discount)
    except DiscountError as error:
        nearest = error.smallest if error.smallest is not None and discount < error.smallest else error.largest
        if nearest is None:
            raise
        targets = targets_for(price, nearest)
    return Targets(price=targets.price, old_price=targets.old_price, min_price=mrpc)

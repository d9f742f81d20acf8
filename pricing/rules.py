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
from decimal import ROUND_HALF_UP, Decimal
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

    `smallest` and `largest` are None when no discount passes at this MRPC.
    """

    def __init__(self, message: str, *, smallest: Decimal | None, largest: Decimal | None = None) -> None:
        super().__init__(message)
        self.smallest = smallest
        self.largest = largest


def money_str(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def old_price_for(mrpc: Decimal, discount: Decimal) -> Decimal:
    """`MRPC / (1 − d/100)` rounded to whole roubles; 0 for no discount."""
    if discount == ZERO:
        return ZERO
    return (mrpc / (ROUBLE - discount / HUNDRED)).quantize(ROUBLE, ROUND_HALF_UP)


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
        raise DiscountError(f"discount must be from 0 to less than {MAX_DISCOUNT}", smallest=None)
    mrpc = mrpc.quantize(CENT, ROUND_HALF_UP)
    old_price = old_price_for(mrpc, discount)
    if not gap_is_valid(mrpc, old_price):
        smallest, largest = smallest_valid_discount(mrpc), largest_valid_discount(mrpc)
        if smallest is None:
            problem = "no discount passes Ozon's rules at this MRPC"
        elif discount < smallest:
            problem = f"a {discount}% discount is too small for Ozon at this MRPC; the smallest that works is {smallest}%"
        else:
            problem = f"a {discount}% discount is too big for Ozon at this MRPC; the largest that works is {largest}%"
        raise DiscountError(problem, smallest=smallest, largest=largest)
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

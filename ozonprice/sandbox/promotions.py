"""Promotions on the sandbox: Ozon's actions, the seller's own actions, the min-price timer.

An action defines a discount in percent. A product's action price follows its
price: `action_price = price × (1 − d/100)` in whole roubles, so raising the
price raises the action price. The storefront (`storefront.py`) uses the price
it currently shows (it lags imports by `storefront_delay_s`); the Actions API
answers with the price Ozon holds now.

How the min-price timer is modelled (simply): a product added to an Ozon
action *automatically* (`add_mode` "AUTO") gets `max(price × (1 − d), min_price)`
as its action price while three things hold — its timer runs (`expired_at` is
in the future on the sandbox clock), `min_price_for_auto_actions_enabled` was
last sent as true in a price import (or set by a test), and `min_price` > 0.
Otherwise, and always for products the seller added ("MANUAL"), the action
price is the plain discount, which may fall below `min_price`. A timer that was
never renewed counts as lapsed at the sandbox's start.

An action counts on the storefront while `date_start ≤ now < date_end`; a
seller action while its status is ACTIVE and it is turned on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ozonprice.sandbox.products import DemoProduct
from ozonprice.sandbox.wallclock import WallClock

HUNDRED = Decimal(100)
ROUBLE = Decimal(1)
DAY_S = 86_400.0
AUTO, MANUAL = "AUTO", "MANUAL"
# Ids far from product ids and skus, so a mix-up in a client shows at once.
FIRST_ACTION_ID = 70_001
FIRST_SELLER_ACTION_ID = 90_001
SELLER_STATUSES = ("ACTIVE", "ENDED", "PLANNED", "PAUSED")
SELLER_TYPES = (
    "DISCOUNT",
    "VOUCHER_DISCOUNT",
    "DISCOUNT_WITH_CONDITION",
    "INSTALLMENT",
    "INDIVIDUAL_DISCOUNT_BY_PRODUCTS",
    "OZON_ACCOUNT_DISCOUNT",
    "MULTI_LEVEL_DISCOUNT_ON_AMOUNT",
)


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    """`price` less `percent` %, in whole roubles (at least 1)."""
    value = (price * (HUNDRED - percent) / HUNDRED).quantize(ROUBLE, ROUND_HALF_UP)
    return max(value, ROUBLE).quantize(Decimal("0.01"))


def _percent(value: float | Decimal) -> Decimal:
    percent = Decimal(str(value))
    if not 0 < percent < HUNDRED:
        raise ValueError("a promotion's discount is more than 0 and less than 100 percent")
    return percent


@dataclass
class Member:
    """A product in an Ozon action."""

    add_mode: str = AUTO
    # False: deactivation refuses it (Ozon keeps some products in; the sandbox marks them).
    removable: bool = True


@dataclass
class OzonAction:
    id: int
    title: str
    discount_percent: Decimal
    starts: float  # sandbox clock
    ends: float
    action_type: str = "DISCOUNT"
    description: str = ""
    # Set: the product list may not change (Ozon's `freeze_date`); deactivation refuses every item.
    frozen: bool = False
    # Products that could join (`potential_products_count`; also the answer's `total`).
    potential: int = 0
    members: dict[int, Member] = field(default_factory=dict)  # by catalogue index


@dataclass
class SellerAction:
    id: int
    title: str
    discount_percent: Decimal
    starts: float
    ends: float
    action_type: str = "DISCOUNT"
    status: str = "ACTIVE"
    is_turn_on: bool = True
    members: set[int] = field(default_factory=set)  # catalogue indices

    @property
    def running(self) -> bool:
        return self.status == "ACTIVE" and self.is_turn_on


class Promotions:
    """Every action and who is in it, the min-price timers; thread-safe."""

    def __init__(self, wall: WallClock, *, timer_days: float, min_price_guarded: Callable[[int], bool]) -> None:
        if timer_days <= 0:
            raise ValueError("min_price_timer_days must be > 0")
        self.wall = wall
        self.timer_s = timer_days * DAY_S
        # Whether `min_price_for_auto_actions_enabled` is on for a catalogue index.
        self.min_price_guarded = min_price_guarded
        self.lock = threading.RLock()
        self.actions: dict[int, OzonAction] = {}
        self.seller_actions: dict[int, SellerAction] = {}
        # index → ids of the (Ozon / seller) actions it is in: the storefront asks per product.
        self._in_actions: dict[int, set[int]] = {}
        self._in_seller_actions: dict[int, set[int]] = {}
        # index → sandbox-clock moment its min-price timer ends; absent = lapsed at start.
        self._timers: dict[int, float] = {}

    # --- Ozon actions ---------------------------------------------------------------
    def add_action(
        self,
        title: str,
        discount_percent: float | Decimal,
        *,
        days: float = 30,
        starts_in_days: float = -1,
        action_type: str = "DISCOUNT",
        frozen: bool = False,
        potential: int = 0,
        description: str = "",
    ) -> int:
        with self.lock:
            action_id = FIRST_ACTION_ID + len(self.actions)
            starts = self.wall.clock() + starts_in_days * DAY_S
            self.actions[action_id] = OzonAction(
                id=action_id,
                title=title,
                discount_percent=_percent(discount_percent),
                starts=starts,
                ends=starts + days * DAY_S,
                action_type=action_type,
                description=description,
                frozen=frozen,
                potential=potential,
            )
            return action_id

    def action(self, action_id: int) -> OzonAction:
        action = self.actions.get(action_id)
        if action is None:
            raise KeyError(f"no action {action_id} in the sandbox")
        return action

    def put_in(self, index: int, action_id: int, *, auto: bool = True, removable: bool = True) -> None:
        with self.lock:
            action = self.action(action_id)
            action.members[index] = Member(AUTO if auto else MANUAL, removable)
            action.potential = max(action.potential, len(action.members))
            self._in_actions.setdefault(index, set()).add(action_id)

    def take_out(self, index: int, action_id: int) -> bool:
        with self.lock:
            action = self.action(action_id)
            if action.members.pop(index, None) is None:
                return False
            self._in_actions.get(index, set()).discard(action_id)
            return True

    def actions_of(self, index: int) -> list[int]:
        """The Ozon actions product `index` is in, running or not."""
        return sorted(self._in_actions.get(index, ()))

    def running(self, action: OzonAction | SellerAction) -> bool:
        return action.starts <= self.wall.clock() < action.ends

    def ozon_action_price(self, action: OzonAction, index: int, product: DemoProduct, price: Decimal) -> Decimal:
        """The action price of product `index` at seller price `price` (see the module doc on the timer)."""
        value = discounted(price, action.discount_percent)
        member = action.members.get(index)
        if (
            member is not None
            and member.add_mode == AUTO
            and product.min_price > 0
            and self.timer_running(index)
            and self.min_price_guarded(index)
        ):
            value = max(value, min(product.min_price, price))
        return value

    # --- the seller's own actions ---------------------------------------------------------
    def add_seller_action(
        self,
        title: str,
        discount_percent: float | Decimal,
        *,
        days: float = 14,
        starts_in_days: float = -1,
        status: str = "ACTIVE",
        action_type: str = "DISCOUNT",
    ) -> int:
        if status not in SELLER_STATUSES:
            raise ValueError(f"status must be one of {SELLER_STATUSES}")
        if action_type not in SELLER_TYPES:
            raise ValueError(f"action_type must be one of {SELLER_TYPES}")
        with self.lock:
            action_id = FIRST_SELLER_ACTION_ID + len(self.seller_actions)
            starts = self.wall.clock() + starts_in_days * DAY_S
            self.seller_actions[action_id] = SellerAction(
                id=action_id,
                title=title,
                discount_percent=_percent(discount_percent),
                starts=starts,
                ends=starts + days * DAY_S,
                action_type=action_type,
                status=status,
            )
            return action_id

    def seller_action(self, action_id: int) -> SellerAction:
        action = self.seller_actions.get(action_id)
        if action is None:
            raise KeyError(f"no seller action {action_id} in the sandbox")
        return action

    def put_in_seller_action(self, index: int, action_id: int) -> None:
        with self.lock:
            self.seller_action(action_id).members.add(index)
            self._in_seller_actions.setdefault(index, set()).add(action_id)

    def take_out_of_seller_action(self, index: int, action_id: int) -> bool:
        with self.lock:
            action = self.seller_action(action_id)
            if index not in action.members:
                return False
            action.members.discard(index)
            self._in_seller_actions.get(index, set()).discard(action_id)
            return True

    def seller_actions_of(self, index: int) -> list[int]:
        return sorted(self._in_seller_actions.get(index, ()))

    # --- the storefront -------------------------------------------------------------------
    def lowest_price(self, product: DemoProduct, price: Decimal) -> Decimal | None:
        """The lowest action price among the running actions (Ozon's and the seller's) the product is in."""
        index = product.index
        ozon_ids, seller_ids = self._in_actions.get(index), self._in_seller_actions.get(index)
        if not ozon_ids and not seller_ids:
            return None
        lowest: Decimal | None = None
        with self.lock:
            for action_id in ozon_ids or ():
                action = self.actions[action_id]
                if self.running(action):
                    value = self.ozon_action_price(action, index, product, price)
                    lowest = value if lowest is None else min(lowest, value)
            for action_id in seller_ids or ():
                seller = self.seller_actions[action_id]
                if seller.running:
                    value = discounted(price, seller.discount_percent)
                    lowest = value if lowest is None else min(lowest, value)
        return lowest

    # --- the min-price timer ------------------------------------------------------------
    def timer_expiry(self, index: int) -> float:
        """When product `index`'s min-price timer ends (sandbox clock)."""
        return self._timers.get(index, self.wall.origin)

    def timer_running(self, index: int) -> bool:
        return self.timer_expiry(index) > self.wall.clock()

    def renew_timers(self, indices: Iterable[int], *, seconds: float | None = None) -> None:
        """Restart the timers: they run `seconds` (default: `timer_days`) from now."""
        until = self.wall.clock() + (self.timer_s if seconds is None else seconds)
        with self.lock:
            for index in indices:
                self._timers[index] = until

    def expire_timer(self, index: int) -> None:
        with self.lock:
            self._timers[index] = self.wall.clock()

"""What buyers see: the storefront price, lagging behind the seller's prices.

Two numbers per product:

* the seller-side storefront price, reported as v5 `marketing_seller_price`
  (and `price.amount` of `/v1/product/prices/details`): the demo catalogue's
  seller promotion at first; after an accepted price import it *follows* the
  new `price`, but only `delay_s` later (Ozon's storefront lags its API);
* the showcase price (`customer_price` of prices/details, `card_price` of the
  Front Price API): the **lowest** of the seller-side price less a
  **marketplace discount** where Ozon co-funds one (a deterministic share of
  products, a pure function of seed and index, or set per product by tests),
  the action prices of the running promotions the product is in (Ozon's and
  the seller's, `promotions.py`) and an approved buyer discount request
  (`discounts.py`). Action prices follow the `price` the storefront shows,
  which lags an import by `delay_s` like the seller-side price.

Pending changes sit in a heap; `settle()` applies those that fell due and is
one comparison when nothing is due, so the catalogue endpoints stay fast.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ozonprice.sandbox.catalog import Catalog
from ozonprice.sandbox.products import DemoProduct, _mix, rub

if TYPE_CHECKING:
    from ozonprice.sandbox.discounts import DiscountDesk
    from ozonprice.sandbox.promotions import Promotions

HUNDRED = Decimal(100)
ROUBLE = Decimal(1)
ZERO = Decimal(0)
# The salt of the marketplace-discount draw in `_mix` (others use 0–2).
_DISCOUNT_SALT = 11
_SHARE_SCALE = 1_000_000


class Storefront:
    def __init__(
        self,
        catalog: Catalog,
        *,
        delay_s: float,
        discount_share: float,
        discount_percent: float | Decimal,
        clock: Callable[[], float],
    ) -> None:
        if delay_s < 0:
            raise ValueError("storefront_delay_s must be ≥ 0")
        if not 0.0 <= discount_share <= 1.0:
            raise ValueError("marketplace_discount_share must be between 0 and 1")
        percent = Decimal(str(discount_percent))
        if not ZERO <= percent < HUNDRED:
            raise ValueError("marketplace_discount_percent must be from 0 to less than 100")
        self.catalog = catalog
        self.delay_s = delay_s
        self.discount_share = discount_share
        self.discount_percent_default = percent
        self.clock = clock
        self._threshold = round(discount_share * _SHARE_SCALE)
        self._lock = threading.Lock()
        # (due, sequence, index, seller price): a heap ordered by due time, then arrival.
        self._pending: list[tuple[float, int, int, Decimal]] = []
        self._sequence = 0
        # Per-index marketplace discounts set by tests (0 = none), over the seeded draw.
        self._discounts: dict[int, Decimal] = {}
        # Per-index `price` the storefront has followed to (absent: the catalogue's price).
        self._followed: dict[int, Decimal] = {}
        # Set by the sandbox: promotions and approved discount requests lower the showcase.
        self.promotions: Promotions | None = None
        self.discount_requests: DiscountDesk | None = None

    # --- the seller-side storefront price ----------------------------------------
    def follow(self, index: int, price: Decimal, *, shown: Decimal | None = None) -> None:
        """After an accepted import: the storefront moves to `price` once `delay_s` has passed.

        `shown` is the price before the import: the storefront keeps computing action prices from it meanwhile.
        """
        if self.delay_s == 0:
            self._apply(index, price)
            return
        with self._lock:
            if shown is not None:
                self._followed.setdefault(index, shown)
            self._sequence += 1
            heapq.heappush(self._pending, (self.clock() + self.delay_s, self._sequence, index, price))

    def settle(self) -> None:
        """Apply every change that fell due (cheap when none did: one comparison)."""
        pending = self._pending
        if not pending or pending[0][0] > self.clock():
            return
        with self._lock:
            now = self.clock()
            due = []
            while pending and pending[0][0] <= now:
                due.append(heapq.heappop(pending))
            # Applied under the lock, in order: a later import of a product wins.
            for _due, _sequence, index, price in due:
                self._apply(index, price)

    def _apply(self, index: int, price: Decimal) -> None:
        product = self.catalog.product(index)
        if product is None:  # removed meanwhile: nothing to show
            return
        # The listing's updated_at stays: the storefront moving is not a seller edit.
        self.catalog.update(product.product_id, marketing_seller_price=price, updated_at=product.updated_at)
        self._followed[index] = price

    def forget(self, index: int) -> None:
        """A test set the price directly: the storefront shows the catalogue's price at once."""
        self._followed.pop(index, None)

    def shown_price(self, product: DemoProduct) -> Decimal:
        """The seller's `price` as the storefront knows it (action prices are computed from it)."""
        return self._followed.get(product.index, product.price)

    # --- the marketplace discount -------------------------------------------------
    def discount_percent(self, index: int) -> Decimal:
        """Ozon's co-funded discount on product `index`, in percent (0 = none)."""
        override = self._discounts.get(index)
        if override is not None:
            return override
        if self._threshold and _mix(self.catalog.seed, index, _DISCOUNT_SALT) % _SHARE_SCALE < self._threshold:
            return self.discount_percent_default
        return ZERO

    def set_discount(self, index: int, percent: float | Decimal | None) -> None:
        """Set (or, with None or 0, take away) Ozon's discount on one product."""
        value = ZERO if percent is None else Decimal(str(percent))
        if not ZERO <= value < HUNDRED:
            raise ValueError("a marketplace discount is from 0 to less than 100 percent")
        with self._lock:
            self._discounts[index] = value

    def showcase(self, product: DemoProduct) -> Decimal:
        """The price the buyer sees: the lowest of the seller's price (less Ozon's discount, in whole
        roubles), the running promotions' action prices and an approved discount request."""
        shown = product.marketing_seller_price
        percent = self.discount_percent(product.index)
        if percent:
            shown = rub((shown * (HUNDRED - percent) / HUNDRED).quantize(ROUBLE, ROUND_HALF_UP))
        if self.promotions is not None:
            action_price = self.promotions.lowest_price(product, self.shown_price(product))
            if action_price is not None and action_price < shown:
                shown = action_price
        if self.discount_requests is not None:
            approved = self.discount_requests.approved_price(product.index)
            if approved is not None and approved < shown:
                shown = approved
        return shown

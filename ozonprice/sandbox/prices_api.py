"""Price writes and the showcase price: `/v1/product/import/prices`, `/v1/product/prices/details`.

The import answers per item inside a 200, as Ozon does: an item that fails
never fails the batch. An accepted item changes price / old_price /
min_price (and net_price, currency, VAT, promotion flags) in v3 info and v5
prices `apply_delay_s` later (0: at once; Ozon itself takes seconds to
minutes); the storefront follows later still (`storefront.py`). Each product
takes at most `PRICE_CHANGES_PER_HOUR` accepted changes in a rolling hour;
the next one is the item error Ozon documents.
"""

from __future__ import annotations

import heapq
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.price_checks import check_item, check_request_item, error
from ozonprice.sandbox.products import DemoProduct
from ozonprice.sandbox.routing import OzonError, Request, Route, int64_list, invalid_argument

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

MAX_PRICE_ITEMS = 1000
MAX_SKUS = 1000
PRICE_CHANGES_PER_HOUR = 10
HOUR_S = 3600.0
LIMIT_CODE = "error limiting"
LIMIT_MESSAGE = "error limiting: acquire limit per item: items limit: limit exceeded"
NOT_FOUND_CODE, NOT_FOUND_MESSAGE = "NOT_FOUND_ERROR", "product not found"
# What the import records per product but the catalogue has no field for.
RECORDED_FLAGS = (
    "min_price_for_auto_actions_enabled",
    "auto_add_to_ozon_actions_list_enabled",
    "auto_action_enabled",
    "price_strategy_enabled",
    "currency_code",
    "vat",
)


def premium_required() -> OzonError:
    return OzonError(403, 7, "Premium Pro subscription is required")


class PriceDesk:
    """The price import's memory: batches received, the hourly budget, flags sent, forced rejections."""

    def __init__(self, clock: Callable[[], float], *, apply_delay_s: float = 0.0) -> None:
        if apply_delay_s < 0:
            raise ValueError("price_apply_delay_s must be ≥ 0")
        self.clock = clock
        self.apply_delay_s = apply_delay_s
        self.lock = threading.Lock()
        # Accepted, not yet applied: (due, sequence, product_id, changes), a heap by due time, then arrival.
        self._pending: list[tuple[float, int, int, dict[str, Any]]] = []
        self._sequence = 0
        # Every batch answered with 200, as received (`prices` lists), oldest first.
        self.imports: list[list[Any]] = []
        self._changes: dict[int, deque[float]] = {}
        self._flags: dict[int, dict[str, Any]] = {}
        self._rejections: dict[int, tuple[str, str]] = {}

    def reject(self, index: int, code: str | None, message: str) -> None:
        with self.lock:
            if code is None:
                self._rejections.pop(index, None)
            else:
                self._rejections[index] = (code, message)

    def flags(self, index: int) -> dict[str, Any]:
        with self.lock:
            return dict(self._flags.get(index, {}))

    def flag(self, index: int, name: str) -> bool:
        """A recorded boolean flag (False until an import or a test set it); lock-free: one dict read."""
        return self._flags.get(index, {}).get(name) is True

    def set_flag(self, index: int, name: str, value: Any) -> None:
        with self.lock:
            self._flags.setdefault(index, {})[name] = value

    def changes_last_hour(self, index: int) -> int:
        with self.lock:
            return len(self._window(index, self.clock()))

    def _window(self, index: int, now: float) -> deque[float]:
        window = self._changes.setdefault(index, deque())
        while window and window[0] <= now - HOUR_S:
            window.popleft()
        return window

    def process(self, sandbox: Shop, item: dict[str, Any]) -> dict[str, Any]:
        """One item's answer (called under `lock`); an accepted item changes the catalogue."""
        product, product_id, offer_id = _resolve(sandbox, item)
        answer: dict[str, Any] = {"product_id": product_id, "offer_id": offer_id, "updated": False, "errors": []}
        if product is None:
            answer["errors"] = [error(NOT_FOUND_CODE, NOT_FOUND_MESSAGE)]
            return answer
        rejection = self._rejections.get(product.index)
        if rejection is not None:
            answer["errors"] = [error(*rejection)]
            return answer
        changes, errors = check_item(item, product)
        if errors:
            answer["errors"] = errors
            return answer
        now = self.clock()
        window = self._window(product.index, now)
        if len(window) >= PRICE_CHANGES_PER_HOUR:
            answer["errors"] = [error(LIMIT_CODE, LIMIT_MESSAGE)]
            return answer
        window.append(now)
        if self.apply_delay_s:
            self._sequence += 1
            heapq.heappush(self._pending, (now + self.apply_delay_s, self._sequence, product.product_id, changes))
        else:
            _apply(sandbox, product.product_id, changes)
        recorded = {name: item[name] for name in RECORDED_FLAGS if item.get(name) not in (None, "")}
        self._flags.setdefault(product.index, {}).update(recorded)
        answer["updated"] = True
        return answer

    def settle(self, sandbox: Shop) -> None:
        """Apply the accepted prices that fell due (cheap when none did: one comparison)."""
        pending = self._pending
        if not pending or pending[0][0] > self.clock():
            return
        with self.lock:
            now = self.clock()
            # In order, under the lock: a later import of a product wins.
            while pending and pending[0][0] <= now:
                _due, _sequence, product_id, changes = heapq.heappop(pending)
                _apply(sandbox, product_id, changes)


def _apply(sandbox: Shop, product_id: int, changes: dict[str, Any]) -> None:
    """An accepted item reaches v3 info and v5 prices; the storefront follows `storefront_delay_s` later."""
    product = sandbox.catalog.by_product_id(product_id)
    if product is None:  # removed meanwhile: nothing to apply
        return
    # The storefront (marketing_seller_price) keeps its value until it follows.
    updated = sandbox.catalog.update(product_id, **changes, marketing_seller_price=product.marketing_seller_price)
    sandbox.storefront.follow(product.index, updated.price, shown=product.price)


def _resolve(sandbox: Shop, item: dict[str, Any]) -> tuple[DemoProduct | None, int, str]:
    """The product an item means (`offer_id` wins over `product_id`) and the ids to answer with."""
    catalog = sandbox.catalog
    offer_id = item.get("offer_id") or ""
    raw_product_id = item.get("product_id")
    product_id = int(raw_product_id) if raw_product_id not in (None, "") else 0
    if offer_id:
        index = catalog.index_of_offer_id(offer_id)
        product = catalog.product(index) if index is not None else None
    elif product_id:
        product = catalog.by_product_id(product_id)
    else:
        product = None
    if product is None:
        return None, product_id, offer_id
    return product, product.product_id, product.offer_id


def import_prices(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/product/import/prices — ≤ 1000 items; per-item results inside a 200."""
    prices = request.body.get("prices")
    if not isinstance(prices, list):
        raise invalid_argument("prices: value is required and must be an array")
    if not prices:
        raise invalid_argument("prices: at least one item is required")
    if len(prices) > MAX_PRICE_ITEMS:
        raise invalid_argument(f"prices: at most {MAX_PRICE_ITEMS} items per request, got {len(prices)}")
    for position, item in enumerate(prices):
        check_request_item(item, position)
    desk = sandbox.price_desk
    with desk.lock:
        desk.imports.append(prices)
        return {"result": [desk.process(sandbox, item) for item in prices]}


def _money(amount: Any, currency: str) -> dict[str, str]:
    return {"amount": str(amount), "currency": currency}


def prices_details(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/product/prices/details — Premium Pro only (else 403); `customer_price` is the showcase."""
    if not sandbox.premium_pro:
        raise premium_required()
    skus = int64_list(request.body, "skus", most=MAX_SKUS)
    catalog, storefront = sandbox.catalog, sandbox.storefront
    prices = []
    for sku in dict.fromkeys(skus):
        index = catalog.index_of_sku(sku)
        product = catalog.product(index) if index is not None else None
        if product is None:
            continue
        prices.append(
            {
                "sku": product.sku,
                "offer_id": product.offer_id,
                "customer_price": _money(storefront.showcase(product), product.currency_code),
                "price": _money(product.marketing_seller_price, product.currency_code),
                # Ozon's own share of the discount, in percent.
                "discount_percent": float(storefront.discount_percent(product.index)),
            }
        )
    return {"prices": prices}


PRICE_ROUTES: dict[str, Route] = {
    "/v1/product/import/prices": Route(import_prices),
    "/v1/product/prices/details": Route(prices_details),
}

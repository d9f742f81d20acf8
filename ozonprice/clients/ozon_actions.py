"""Ozon's promotions, the min-price timer and buyer discount requests, mixed into `OzonClient`.

Every path, field and limit here is checked against the official OpenAPI
document (docs/ozon-openapi-2026-04.json):

* `GET /v1/actions`: Ozon's promotions, `result[]{id, title, action_type,
  is_participating, participating_products_count, …}`; ids are numbers.
* `POST /v1/actions/products`: the products in one, `{action_id, limit,
  last_id}` → `result{products[]{id, price, action_price, add_mode, …},
  total, last_id}`. `offset` is deprecated (switched off 5 May 2025) yet still
  marked required: sent as 0; `total` is not used. The only documented `limit` is its default, 100.
* `POST /v1/actions/products/deactivate`: `{action_id, product_ids[]}` →
  `result{product_ids[], rejected[{product_id, reason}]}`. No maximum is
  documented; 1000 ids a call, as the sibling methods (timer, seller delete).
* `POST /v1/seller-actions/list`: `{limit (1–100), offset, status[]}` →
  `actions[]{action_id, action_parameters{title, status, …}, …}, total`.
* `POST /v1/seller-actions/products/list`: `{action_id, limit (1–100),
  cursor}` → `products[]{product_id, sku[], action_price, is_active, …},
  cursor, has_next`.
* `POST /v1/seller-actions/products/delete`: `{action_id, skus[] (≤ 1000)}`,
  a 200 without a documented body.
* `POST /v1/product/action/timer/status` and `/timer/update`:
  `{product_ids[] (≤ 1000, strings)}`; status answers
  `statuses[]{product_id, expired_at, min_price_for_auto_actions_enabled}`.
Buyers' discount requests are in `ozon_discount_tasks.py`.

Writes (deactivate, delete, timer update) go out with
`idempotent=False`: the seam re-sends them only when they certainly did not
run (no connection, a 429). Repeating a removal would be harmless to the
state, but a blind repeat after a timeout makes its answer misleading (a
product the first attempt removed comes back "rejected: not in the
promotion"). Instead the caller records "no answer" and the next guard run
reads the promotion back, the way price imports are reconciled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime

from ozonprice.clients.ozon_values import OzonResponseError, money, ozon_id, reading

if TYPE_CHECKING:
    from ozonprice.clients.http import HttpSeam

ACTIONS = "/v1/actions"
ACTION_PRODUCTS = "/v1/actions/products"
ACTION_DEACTIVATE = "/v1/actions/products/deactivate"
SELLER_ACTIONS = "/v1/seller-actions/list"
SELLER_PRODUCTS = "/v1/seller-actions/products/list"
SELLER_DELETE = "/v1/seller-actions/products/delete"
TIMER_STATUS = "/v1/product/action/timer/status"
TIMER_UPDATE = "/v1/product/action/timer/update"

# Page sizes and batch limits (see the module docstring for each one's source).
ACTION_PRODUCTS_LIMIT = 100
DEACTIVATE_MAX = 1000
SELLER_ACTIONS_LIMIT = 100
SELLER_PRODUCTS_LIMIT = 100
SELLER_DELETE_MAX = 1000
TIMER_MAX = 1000
# A seller's action that has ended cannot pull a price down any more.
SELLER_ACTION_STATUSES = ("ACTIVE", "PLANNED", "PAUSED")


@dataclass(frozen=True)
class OzonAction:
    """One of Ozon's promotions (`GET /v1/actions`)."""

    id: int
    title: str
    action_type: str
    is_participating: bool
    participating_products_count: int


@dataclass(frozen=True)
class ActionProduct:
    """A product taking part in one of Ozon's promotions."""

    product_id: int
    price: Decimal | None
    action_price: Decimal | None
    add_mode: str


@dataclass(frozen=True)
class DeactivateResult:
    removed: list[int]
    rejected: dict[int, str]  # product_id -> Ozon's reason


@dataclass(frozen=True)
class SellerAction:
    """One of the seller's own promotions (`/v1/seller-actions/list`)."""

    id: int
    title: str
    status: str
    action_type: str


@dataclass(frozen=True)
class SellerActionProduct:
    product_id: int
    offer_id: str
    skus: list[int]
    action_price: Decimal | None
    base_price: Decimal | None
    is_active: bool


@dataclass(frozen=True)
class TimerStatus:
    product_id: int
    expires_at: datetime | None
    min_price_for_auto_actions_enabled: bool


class ActionsMixin:
    """Typed methods over Ozon's promotion and min-price timer methods."""

    http: HttpSeam

    # --- Ozon's promotions --------------------------------------------------
    def actions_list(self) -> list[OzonAction]:
        data = self.http.get(ACTIONS).data
        with reading(ACTIONS):
            return [
                OzonAction(
                    id=_whole(row["id"]),
                    title=str(row.get("title") or ""),
                    action_type=str(row.get("action_type") or ""),
                    is_participating=bool(row.get("is_participating", True)),
                    participating_products_count=_whole(row.get("participating_products_count") or 0),
                )
                for row in data["result"]
            ]

    def action_products_pages(
        self, *, action_id: int, limit: int = ACTION_PRODUCTS_LIMIT
    ) -> Iterator[list[ActionProduct]]:
        """The products in one promotion, a page at a time.

        Pages by `last_id`; stops on an empty or short page, a missing `last_id`,
        or one that did not move. `total` is not used. `offset` is sent as 0:
        the document still marks it required, and 0 skips nothing. A page of
        products already served (Ozon paging by offset again) is a broken
        listing, not the end of it: an error, so no breach goes unseen quietly.
        """
        last_id: Any = None
        seen: set[int] = set()
        while True:
            payload: dict[str, Any] = {"action_id": action_id, "limit": limit, "offset": 0}
            if last_id is not None:
                payload["last_id"] = last_id
            data = self.http.post(
                ACTION_PRODUCTS, payload, idempotent=True, products_count=lambda d: len(d["result"]["products"])
            ).data
            with reading(ACTION_PRODUCTS):
                result = data["result"]
                rows = result["products"]
                page = [
                    ActionProduct(
                        product_id=_whole(row["id"]),
                        price=money(row.get("price")),
                        action_price=money(row.get("action_price")),
                        add_mode=str(row.get("add_mode") or ""),
                    )
                    for row in rows
                ]
                next_id = result.get("last_id")
            if page and seen.issuperset(p.product_id for p in page):
                raise OzonResponseError(
                    f"Ozon served the products of promotion {action_id} again after last_id {last_id!r}",
                    service="ozon",
                    endpoint=ACTION_PRODUCTS,
                    permanent=False,
                )
            seen.update(p.product_id for p in page)
            if page:
                yield page
            if len(rows) < limit or next_id in (None, "", 0) or next_id == last_id:
                return
            last_id = next_id

    def action_products_deactivate(self, *, action_id: int, product_ids: Sequence[int]) -> DeactivateResult:
        """Take products out of one of Ozon's promotions (≤ 1000 a call); Ozon answers per product."""
        check_batch(product_ids, DEACTIVATE_MAX)
        if not product_ids:
            return DeactivateResult(removed=[], rejected={})
        payload = {"action_id": action_id, "product_ids": list(product_ids)}
        data = self.http.post(ACTION_DEACTIVATE, payload, idempotent=False, products_count=len(product_ids)).data
        with reading(ACTION_DEACTIVATE):
            result = data["result"]
            return DeactivateResult(
                removed=[_whole(pid) for pid in result.get("product_ids") or []],
                rejected={
                    _whole(row["product_id"]): str(row.get("reason") or "") for row in result.get("rejected") or []
                },
            )

    # --- the seller's own promotions ----------------------------------------
    def seller_actions_pages(
        self, *, statuses: Sequence[str] = SELLER_ACTION_STATUSES, limit: int = SELLER_ACTIONS_LIMIT
    ) -> Iterator[list[SellerAction]]:
        """The seller's promotions, a page at a time (offset paging; stops on a short or empty page)."""
        offset = 0
        while True:
            payload = {"limit": limit, "offset": offset, "status": list(statuses)}
            data = self.http.post(SELLER_ACTIONS, payload, idempotent=True).data
            with reading(SELLER_ACTIONS):
                rows = data.get("actions") or []
                page = [
                    SellerAction(
                        id=_whole(row["action_id"]),
                        title=str((row.get("action_parameters") or {}).get("title") or ""),
                        status=str((row.get("action_parameters") or {}).get("status") or ""),
                        action_type=str((row.get("action_parameters") or {}).get("type") or ""),
                    )
                    for row in rows
                ]
            if page:
                yield page
            if len(rows) < limit:
                return
            offset += len(rows)

    def seller_action_products_pages(
        self, *, action_id: int, limit: int = SELLER_PRODUCTS_LIMIT
    ) -> Iterator[list[SellerActionProduct]]:
        """The products of one seller's promotion (cursor paging; stops when `has_next` is false,
        on an empty page, or on a cursor that did not move)."""
        cursor: Any = None
        while True:
            payload: dict[str, Any] = {"action_id": action_id, "limit": limit}
            if cursor is not None:
                payload["cursor"] = cursor
            data = self.http.post(
                SELLER_PRODUCTS, payload, idempotent=True, products_count=lambda d: len(d["products"])
            ).data
            with reading(SELLER_PRODUCTS):
                rows = data.get("products") or []
                page = [
                    SellerActionProduct(
                        product_id=_whole(row["product_id"]),
                        offer_id=str(row.get("offer_id") or ""),
                        skus=[ozon_id(s) for s in row.get("sku") or []],
                        action_price=money(row.get("action_price")),
                        base_price=money(row.get("base_price")),
                        is_active=bool(row.get("is_active", True)),
                    )
                    for row in rows
                ]
                has_next = bool(data.get("has_next"))
                next_cursor = data.get("cursor")
            if page:
                yield page
            if not rows or not has_next or next_cursor in (None, "") or next_cursor == cursor:
                return
            cursor = next_cursor

    def seller_action_products_delete(self, *, action_id: int, skus: Sequence[int]) -> None:
        """Take products (by Ozon SKU, ≤ 1000 a call) out of a seller's promotion.

        Ozon documents a bare 200 ("Товары удалены"), no per-item answer.
        """
        check_batch(skus, SELLER_DELETE_MAX)
        if not skus:
            return
        payload = {"action_id": action_id, "skus": [str(s) for s in skus]}
        self.http.post(SELLER_DELETE, payload, idempotent=False, products_count=len(skus))

    # --- the min-price timer -----------------------------------------------
    def timer_status(self, *, product_ids: Sequence[int]) -> list[TimerStatus]:
        """When each product's min-price timer runs out (≤ 1000 ids a call)."""
        check_batch(product_ids, TIMER_MAX)
        if not product_ids:
            return []
        payload = {"product_ids": [str(pid) for pid in product_ids]}
        data = self.http.post(TIMER_STATUS, payload, idempotent=True, products_count=len(product_ids)).data
        with reading(TIMER_STATUS):
            return [
                TimerStatus(
                    product_id=ozon_id(row["product_id"]),
                    expires_at=ozon_datetime(row.get("expired_at")),
                    min_price_for_auto_actions_enabled=bool(row.get("min_price_for_auto_actions_enabled")),
                )
                for row in data.get("statuses") or []
            ]

    def timer_update(self, *, product_ids: Sequence[int]) -> None:
        """Renew the min-price timer of these products (≤ 1000 ids a call); a bare 200."""
        check_batch(product_ids, TIMER_MAX)
        if not product_ids:
            return
        payload = {"product_ids": [str(pid) for pid in product_ids]}
        self.http.post(TIMER_UPDATE, payload, idempotent=False, products_count=len(product_ids))


# --- parsing (shared with ozon_discount_tasks.py) ------------------------------------
def _whole(value: Any) -> int:
    """Ozon's v1 promotion methods type ids as JSON doubles (`66011` or `66011.0`); an id is whole."""
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        if value != int(value):
            raise ValueError(f"not an Ozon id: {value!r}")
        value = int(value)
    return ozon_id(value)


def ozon_datetime(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"not a date-time: {str(value)[:40]!r}")
    # Ozon's API works in UTC (docs/ozon-api.md §7): a time without an offset is UTC.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def check_batch(items: Sequence[Any], limit: int) -> None:
    if len(items) > limit:
        raise ValueError(f"Ozon takes at most {limit} items per call here, got {len(items)}")

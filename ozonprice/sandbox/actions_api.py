"""Ozon's promotions on the sandbox: `/v1/actions*` and the min-price timer.

* `GET /v1/actions` — the actions not ended yet, in `result[]`.
* `POST /v1/actions/products` — the products in one action, by product_id,
  paged by `last_id` (the last product_id of the page, a number as the
  OpenAPI document types it; a digit string is accepted too). `limit`
  defaults to 100; the document sets no maximum, the sandbox takes up to 1000.
  `offset` is switched off since 5 May 2025: a non-zero one is a 400.
  `total` is Ozon's "products available for the action" — not the number
  taking part — so a client that pages by it goes wrong, as on Ozon.
* `POST /v1/actions/products/deactivate` — per-item answer inside a 200:
  removed ids in `product_ids`, the others in `rejected[{product_id, reason}]`.
* `POST /v1/product/action/timer/status` / `…/update` — ≤ 1000 product ids.

An unknown `action_id` is Ozon's 404 `{code: 5, message}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.promotions import OzonAction, discounted
from ozonprice.sandbox.routing import OzonError, Request, Route, int64_list, int64_value, invalid_argument
from ozonprice.sandbox.shapes import number
from ozonprice.sandbox.wallclock import iso

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_IDS = 1000
FROZEN = "the action is frozen: its product list cannot be changed"
NOT_IN_ACTION = "the product does not participate in the action"
NOT_REMOVABLE = "the product cannot be removed from this action"


def action_not_found(action_id: int) -> OzonError:
    return OzonError(404, 5, f"action {action_id} not found")


def _action(sandbox: Shop, action_id: int) -> OzonAction:
    action = sandbox.promotions.actions.get(action_id)
    if action is None:
        raise action_not_found(action_id)
    return action


def _action_row(sandbox: Shop, action: OzonAction) -> dict[str, Any]:
    wall = sandbox.wall
    members = len(action.members)
    return {
        "id": action.id,
        "title": action.title,
        "action_type": action.action_type,
        "description": action.description,
        "date_start": iso(wall.at(action.starts)),
        "date_end": iso(wall.at(action.ends)),
        "freeze_date": iso(wall.at(action.starts)) if action.frozen else "",
        "potential_products_count": max(action.potential, members),
        "participating_products_count": members,
        "is_participating": members > 0,
        "is_voucher_action": False,
        "banned_products_count": 0,
        "with_targeting": False,
        "order_amount": 0,
        "discount_type": "PERCENT",
        "discount_value": number(action.discount_percent),
    }


def actions_list(sandbox: Shop, request: Request) -> dict[str, Any]:
    """GET /v1/actions — the actions that have not ended, by id."""
    promotions, now = sandbox.promotions, sandbox.clock()
    with promotions.lock:
        actions = [a for _, a in sorted(promotions.actions.items()) if a.ends > now]
        return {"result": [_action_row(sandbox, action) for action in actions]}


def action_products(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/actions/products — one page of the action's products after `last_id`."""
    body = request.body
    action_id = int64_value(body, "action_id", required=True)
    limit = int64_value(body, "limit", default=DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid_argument(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if int64_value(body, "offset"):
        raise invalid_argument("offset: switched off since 5 May 2025, page with last_id")
    after = int64_value(body, "last_id")
    catalog, promotions = sandbox.catalog, sandbox.promotions
    with promotions.lock:
        action = _action(sandbox, action_id)
        indices = sorted(action.members)
        rows: list[dict[str, Any]] = []
        for index in indices:
            if len(rows) == limit:
                break
            if catalog.product_id_of(index) <= after:
                continue
            product = catalog.product(index)
            if product is None:  # deleted on Ozon: gone from its actions' lists too
                continue
            plain = discounted(product.price, action.discount_percent)
            price = promotions.ozon_action_price(action, index, product, product.price)
            rows.append(
                {
                    "id": product.product_id,
                    "price": number(product.price),
                    "action_price": number(price),
                    "alert_max_action_price_failed": False,
                    "alert_max_action_price": number(plain),
                    "max_action_price": number(plain),
                    "add_mode": action.members[index].add_mode,
                    "min_stock": 0,
                    "stock": 0,
                    "current_boost": 0,
                    "price_min_elastic": 0,
                    "price_max_elastic": 0,
                    "min_boost": 0,
                    "max_boost": 0,
                }
            )
        total = max(action.potential, len(action.members))
    last_id = rows[-1]["id"] if rows else after
    return {"result": {"products": rows, "total": total, "last_id": last_id}}


def action_products_deactivate(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/actions/products/deactivate — per-item: removed, or rejected with a reason."""
    action_id = int64_value(request.body, "action_id", required=True)
    product_ids = list(dict.fromkeys(int64_list(request.body, "product_ids", most=MAX_IDS)))
    catalog, promotions = sandbox.catalog, sandbox.promotions
    removed: list[int] = []
    rejected: list[dict[str, Any]] = []
    with promotions.lock:
        action = _action(sandbox, action_id)
        for product_id in product_ids:
            index = catalog.index_of_product_id(product_id)
            member = action.members.get(index) if index is not None else None
            if action.frozen:
                rejected.append({"product_id": product_id, "reason": FROZEN})
            elif member is None or catalog.product(index) is None:  # type: ignore[arg-type]
                rejected.append({"product_id": product_id, "reason": NOT_IN_ACTION})
            elif not member.removable:
                rejected.append({"product_id": product_id, "reason": NOT_REMOVABLE})
            else:
                promotions.take_out(index, action_id)  # type: ignore[arg-type]
                removed.append(product_id)
    return {"result": {"product_ids": removed, "rejected": rejected}}


def timer_status(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/product/action/timer/status — `expired_at` per known product, in the order asked."""
    catalog, promotions = sandbox.catalog, sandbox.promotions
    statuses = []
    for product_id in dict.fromkeys(int64_list(request.body, "product_ids", most=MAX_IDS)):
        index = catalog.index_of_product_id(product_id)
        if index is None or catalog.product(index) is None:
            continue
        statuses.append(
            {
                "expired_at": iso(sandbox.wall.at(promotions.timer_expiry(index))),
                "min_price_for_auto_actions_enabled": promotions.min_price_guarded(index),
                "product_id": product_id,
            }
        )
    return {"statuses": statuses}


def timer_update(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/product/action/timer/update — the timers run `min_price_timer_days` from now (no answer body)."""
    catalog = sandbox.catalog
    indices = []
    for product_id in int64_list(request.body, "product_ids", most=MAX_IDS):
        index = catalog.index_of_product_id(product_id)
        if index is not None and catalog.product(index) is not None:
            indices.append(index)
    sandbox.promotions.renew_timers(indices)
    return {}


ACTION_ROUTES: dict[str, Route] = {
    "/v1/actions": Route(actions_list, method="GET"),
    "/v1/actions/products": Route(action_products),
    "/v1/actions/products/deactivate": Route(action_products_deactivate),
    "/v1/product/action/timer/status": Route(timer_status),
    "/v1/product/action/timer/update": Route(timer_update),
}

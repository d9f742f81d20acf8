"""The seller's own promotions on the sandbox: `/v1/seller-actions/*`.

* `list` — `limit` (1–100, required) and `offset`; filters `action_ids`
  (≤ 100), `action_type`, `status`, `search` (≥ 3 characters, in the title);
  the answer has `actions[]` and `total`.
* `products/list` — `action_id`, `limit` (1–100, required), `cursor`; the
  answer's `cursor` is the last product_id of the page and `has_next` says
  whether more follow.
* `products/delete` — `action_id` and `skus` (1–1000); Ozon documents no
  answer body, so the sandbox answers `{}`. Unknown skus are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonprice.sandbox.promotions import SELLER_STATUSES, SELLER_TYPES, SellerAction, discounted
from ozonprice.sandbox.routing import (
    OzonError,
    Request,
    Route,
    int64_list,
    int64_value,
    invalid_argument,
    string_list,
)
from ozonprice.sandbox.shapes import number
from ozonprice.sandbox.wallclock import iso

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

MAX_LIMIT = 100
MAX_ACTION_IDS = 100
MAX_SKUS = 1000


def _limit(body: dict[str, Any]) -> int:
    if body.get("limit") in (None, ""):
        raise invalid_argument(f"limit: value is required and must be between 1 and {MAX_LIMIT}")
    limit = int64_value(body, "limit")
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid_argument(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _seller_action(sandbox: Shop, action_id: int) -> SellerAction:
    action = sandbox.promotions.seller_actions.get(action_id)
    if action is None:
        raise OzonError(404, 5, f"action {action_id} not found")
    return action


def _action_row(sandbox: Shop, action: SellerAction) -> dict[str, Any]:
    wall = sandbox.wall
    return {
        "action_id": action.id,
        "action_parameters": {
            "addresses": [],
            "auto_stop_action_reason": "UNSPECIFIED",
            "budget": 0,
            "budget_spent": 0,
            "date_end": iso(wall.at(action.ends)),
            "date_start": iso(wall.at(action.starts)),
            "discount_levels": [],
            "discount_type": "PERCENT",
            "discount_value": number(action.discount_percent),
            "is_legal_entities_segment": False,
            "min_action_percent": 0,
            "min_order_amount": 0,
            "picked_segments": [],
            "status": action.status,
            "title": action.title,
            "type": action.action_type,
            "voucher_parameters": {"count_codes": 0, "is_private": False, "type": "UNSPECIFIED"},
            "warehouses": [],
        },
        "allow_delete": not action.members,
        "highlight_url": "",
        "is_editable": action.status != "ENDED",
        "is_participated": bool(action.members),
        "is_turn_on": action.is_turn_on,
        "sku_count": len(action.members),
    }


def seller_actions_list(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/seller-actions/list — the seller's actions by id, filtered, offset-paged."""
    body = request.body
    limit = _limit(body)
    offset = int64_value(body, "offset")
    action_ids = set(int64_list(body, "action_ids", most=MAX_ACTION_IDS, required=False))
    types = set(string_list(body, "action_type", allowed=SELLER_TYPES))
    statuses = set(string_list(body, "status", allowed=SELLER_STATUSES))
    search = body.get("search")
    if search not in (None, "") and (not isinstance(search, str) or len(search) < 3):
        raise invalid_argument("search: at least 3 characters")
    needle = (search or "").casefold()
    promotions = sandbox.promotions
    with promotions.lock:
        matching = [
            action
            for _, action in sorted(promotions.seller_actions.items())
            if (not action_ids or action.id in action_ids)
            and (not types or action.action_type in types)
            and (not statuses or action.status in statuses)
            and needle in action.title.casefold()
        ]
        rows = [_action_row(sandbox, action) for action in matching[offset : offset + limit]]
    return {"actions": rows, "total": len(matching)}


def seller_action_products(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/seller-actions/products/list — the action's products after `cursor`, by product_id."""
    body = request.body
    action_id = int64_value(body, "action_id", required=True)
    limit = _limit(body)
    after = int64_value(body, "cursor")
    catalog, promotions = sandbox.catalog, sandbox.promotions
    with promotions.lock:
        action = _seller_action(sandbox, action_id)
        products = []
        for index in sorted(action.members):
            if catalog.product_id_of(index) <= after:
                continue
            product = catalog.product(index)
            if product is not None:
                products.append(product)
                if len(products) > limit:
                    break
    has_next = len(products) > limit
    products = products[:limit]
    rows = []
    for product in products:
        price = discounted(product.price, action.discount_percent)
        rows.append(
            {
                "action_price": number(price),
                "base_price": number(product.price),
                "currency": product.currency_code,
                "discount_percent": number(action.discount_percent),
                "is_active": action.running,
                "min_seller_price": number(product.min_price),
                "name": product.name,
                "offer_id": product.offer_id,
                "price": number(price),
                "product_id": product.product_id,
                "quant_size": 1,
                "quant_type": "GENERAL",
                "sku": [str(product.sku)],
            }
        )
    cursor = products[-1].product_id if products else after
    return {"cursor": cursor, "has_next": has_next, "products": rows}


def seller_action_products_delete(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v1/seller-actions/products/delete — take the skus out of the action."""
    action_id = int64_value(request.body, "action_id", required=True)
    skus = int64_list(request.body, "skus", most=MAX_SKUS)
    catalog, promotions = sandbox.catalog, sandbox.promotions
    with promotions.lock:
        _seller_action(sandbox, action_id)
        for sku in skus:
            index = catalog.index_of_sku(sku)
            if index is not None:
                promotions.take_out_of_seller_action(index, action_id)
    return {}


SELLER_ACTION_ROUTES: dict[str, Route] = {
    "/v1/seller-actions/list": Route(seller_actions_list),
    "/v1/seller-actions/products/list": Route(seller_action_products),
    "/v1/seller-actions/products/delete": Route(seller_action_products_delete),
}

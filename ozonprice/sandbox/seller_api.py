"""The sandbox's Ozon Seller API endpoints: request checks, paging, answers.

Every handler takes the sandbox and the `Request` and returns the answer as a
dict, or raises `OzonError` for an error answer. `SELLER_ROUTES` maps paths to
routes; `OzonSandbox.add_route` adds more (price import, pictures, a Front
Price API route) without touching the HTTP plumbing.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from ozonprice.sandbox import shapes
from ozonprice.sandbox.catalog import ACTIVE, ARCHIVED, Catalog, DemoProduct
from ozonprice.sandbox.products import PRODUCT_ID_BASE, SKU_BASE
from ozonprice.sandbox.routing import Request, Route, invalid_argument

if TYPE_CHECKING:
    from ozonprice.sandbox.shop import Shop

# Ozon's limit for list pages and id filters on every method here (§1–3, §6).
MAX_LIMIT = 1000
MAX_IDS = 1000

# Ozon's visibility filter values (OpenAPI enums of the list/prices/stocks
# requests). The archived ones select archived products; every other value is
# served like ALL ("everything except archived") — the sandbox has no
# moderation or supply states to tell them apart.
ARCHIVED_VISIBILITIES = frozenset({"ARCHIVED", "AUTO_ARCHIVED", "MANUAL_ARCHIVED", "SEASONAL_AUTO_ARCHIVED"})
VISIBILITIES = ARCHIVED_VISIBILITIES | frozenset(
    {
        "ALL",
        "VISIBLE",
        "INVISIBLE",
        "EMPTY_STOCK",
        "NOT_MODERATED",
        "MODERATED",
        "DISABLED",
        "STATE_FAILED",
        "READY_TO_SUPPLY",
        "VALIDATION_STATE_PENDING",
        "VALIDATION_STATE_FAIL",
        "VALIDATION_STATE_SUCCESS",
        "TO_SUPPLY",
        "IN_SALE",
        "REMOVED_FROM_SALE",
        "BANNED",
        "OVERPRICED",
        "CRITICALLY_OVERPRICED",
        "EMPTY_BARCODE",
        "BARCODE_EXISTS",
        "QUARANTINE",
        "OVERPRICED_WITH_STOCK",
        "PARTIAL_APPROVED",
        "VISIBLE_WITH_FBO_STOCK",
        "SHOWCASE_SELECT_ACTIVE",
    }
)


# --- request parsing --------------------------------------------------------
def _object(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_argument(f"{name}: expected an object")
    return value


def _limit(body: dict[str, Any], *, required: bool) -> int:
    value = body.get("limit")
    if value is None or value == "":
        if required:
            raise invalid_argument(f"limit: value is required and must be between 1 and {MAX_LIMIT}")
        return MAX_LIMIT
    try:
        # Protobuf JSON accepts 64-bit integers as strings too.
        limit = int(value) if not isinstance(value, bool | float) else None
    except (TypeError, ValueError):
        limit = None
    if limit is None:
        raise invalid_argument(f"limit: invalid value {value!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid_argument(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    return limit


def _visibility_state(filter_: dict[str, Any]) -> int:
    visibility = filter_.get("visibility") or "ALL"
    if not isinstance(visibility, str) or visibility not in VISIBILITIES:
        raise invalid_argument(f"filter.visibility: invalid value {visibility!r}")
    return ARCHIVED if visibility in ARCHIVED_VISIBILITIES else ACTIVE


def _id_list(container: dict[str, Any], key: str, label: str) -> list[Any]:
    values = container.get(key)
    if values is None:
        return []
    if not isinstance(values, list):
        raise invalid_argument(f"{label}: expected an array")
    if len(values) > MAX_IDS:
        raise invalid_argument(f"{label}: at most {MAX_IDS} values per request, got {len(values)}")
    return values


def _int_ids(values: list[Any], label: str) -> list[int]:
    """int64 identifiers, sent as numbers or strings (protobuf JSON allows both)."""
    # Whole-list C-speed checks: a sync sends ~300 lists of 1000 ids.
    if all(type(value) is int or (type(value) is str and value.isdigit()) for value in values):
        return list(map(int, values))
    bad = next(v for v in values if not (type(v) is int or (type(v) is str and v.isdigit())))
    raise invalid_argument(f"{label}: invalid value {bad!r}")


def _indices(
    catalog: Catalog, *, product_ids: list[Any], offer_ids: list[Any], skus: list[Any], label: str
) -> list[int]:
    """Catalogue indices of the given identifiers, ascending, unknown ones dropped."""
    first, last = catalog.first, catalog.last
    found = {
        i for i in (n - PRODUCT_ID_BASE for n in _int_ids(product_ids, f"{label}product_id")) if first <= i <= last
    }
    found.update(i for i in (n - SKU_BASE for n in _int_ids(skus, f"{label}sku")) if first <= i <= last)
    found.update(i for i in map(catalog.index_of_offer_id, offer_ids) if i is not None)
    return sorted(found)


def encode_position(catalog: Catalog, index: int) -> str:
    """An opaque `last_id` / `cursor` like Ozon's: base64 of `[<last product_id>]`."""
    return base64.b64encode(f"[{catalog.product_id_of(index)}]".encode()).decode()


def decode_position(catalog: Catalog, token: Any, name: str) -> int:
    """The catalogue index after which the next page starts (0 = from the start)."""
    if token in (None, ""):
        return 0
    try:
        value = json.loads(base64.b64decode(str(token), validate=True))
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], int):
            return catalog.index_of_product_id_unchecked(value[0])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise invalid_argument(f"{name}: invalid value")


def _page(
    catalog: Catalog, state: int, wanted: list[int] | None, after: int, limit: int
) -> tuple[list[int], bool, int]:
    """One page of indices in `state` after `after`: (indices, more follow, total matching)."""
    if wanted is None:
        indices, more = catalog.scan(state, after, limit)
        return indices, more, catalog.count(state)
    states = catalog.states
    matching = [i for i in wanted if states[i] == state]
    rest = [i for i in matching if i > after]
    return rest[:limit], len(rest) > limit, len(matching)


def _filtered_page(
    sandbox: Shop, body: dict[str, Any], position_key: str, *, limit_required: bool
) -> tuple[list[DemoProduct], str, int]:
    """The shared part of list / prices / stocks: filter, visibility, paging."""
    catalog = sandbox.catalog
    filter_ = _object(body.get("filter"), "filter")
    if limit_required and "filter" not in body:
        raise invalid_argument("filter: value is required")
    limit = _limit(body, required=limit_required)
    state = _visibility_state(filter_)
    product_ids = _id_list(filter_, "product_id", "filter.product_id")
    offer_ids = _id_list(filter_, "offer_id", "filter.offer_id")
    skus = _id_list(filter_, "skus", "filter.skus")
    wanted = None
    if product_ids or offer_ids or skus:
        wanted = _indices(catalog, product_ids=product_ids, offer_ids=offer_ids, skus=skus, label="filter.")
    after = decode_position(catalog, body.get(position_key), position_key)
    indices, more, total = _page(catalog, state, wanted, after, limit)
    products = [p for p in map(catalog.product, indices) if p is not None]
    next_position = encode_position(catalog, indices[-1]) if more and indices else ""
    return products, next_position, total


# --- endpoints ----------------------------------------------------------------
def product_list(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v3/product/list — paged by `last_id`; `ALL` excludes archived; no `total`."""
    products, last_id, total = _filtered_page(sandbox, request.body, "last_id", limit_required=False)
    return {"result": {"items": [shapes.list_item(p) for p in products], "total_items": total, "last_id": last_id}}


def product_info_list(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v3/product/info/list — ≤ 1000 ids across the three arrays; no `result` wrapper."""
    body = request.body
    product_ids = _id_list(body, "product_id", "product_id")
    offer_ids = _id_list(body, "offer_id", "offer_id")
    skus = _id_list(body, "sku", "sku")
    count = len(product_ids) + len(offer_ids) + len(skus)
    if count > MAX_IDS:
        raise invalid_argument(
            f"at most {MAX_IDS} products per request across offer_id, product_id and sku, got {count}"
        )
    catalog = sandbox.catalog
    indices = _indices(catalog, product_ids=product_ids, offer_ids=offer_ids, skus=skus, label="")
    products = [p for p in map(catalog.product, indices) if p is not None]
    return {"items": [shapes.info_item(p) for p in products]}


def product_prices(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v5/product/info/prices — cursor-paged; `filter` and `limit` (1–1000) required."""
    products, cursor, total = _filtered_page(sandbox, request.body, "cursor", limit_required=True)
    return {"cursor": cursor, "items": [shapes.price_item(p) for p in products], "total_items": total}


def product_stocks(sandbox: Shop, request: Request) -> dict[str, Any]:
    """POST /v4/product/info/stocks — cursor-paged like v5 prices."""
    products, cursor, total = _filtered_page(sandbox, request.body, "cursor", limit_required=True)
    return {"cursor": cursor, "items": [shapes.stock_item(p) for p in products], "total_items": total}


SELLER_ROUTES: dict[str, Route] = {
    "/v3/product/list": Route(product_list),
    "/v3/product/info/list": Route(product_info_list),
    "/v5/product/info/prices": Route(product_prices),
    "/v4/product/info/stocks": Route(product_stocks),
}

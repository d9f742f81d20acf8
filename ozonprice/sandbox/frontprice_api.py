"""A fake Front Price API (SPEC §2.2): the storefront reader a seller runs.

`GET /api/v1/seller/{seller_id}?page=N` (no Ozon auth) pages through every
product on the storefront — not archived, not removed — `items_per_page` at a
time, in catalogue order. `price.card_price` is the showcase price
(`storefront.py`); `final` (without the Ozon card) is a little above it.
Its base URL is the sandbox's own URL.

Seller ids: with `front_seller_id=None` (the default) any seller id is
served the same catalogue; with a string, only that id is, and others get
404. With several sandbox accounts, an id is the account whose
`front_seller_id` it is (else the first that serves any id). Errors are this API's own JSON, `{"detail": ...}`, not Ozon's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ozonprice.sandbox.routing import OzonError, Request, Route
from ozonprice.sandbox.shapes import number

if TYPE_CHECKING:
    from ozonprice.sandbox.products import DemoProduct
    from ozonprice.sandbox.shop import Shop

PATH = "/api/v1/seller/"
HUNDRED = Decimal(100)
ROUBLE = Decimal(1)
# What paying without the Ozon card costs more than `card_price`.
CARD_BENEFIT = Decimal("0.03")


class FrontError(OzonError):
    """An error of the Front Price API, in its own `{"detail": ...}` shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, status, message)

    def body(self) -> dict[str, Any]:
        return {"detail": self.message}


def _page_number(query: dict[str, str] | Any) -> int:
    raw = query.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise FrontError(400, f"page must be a positive integer, got {raw!r}")
    return int(raw)


def _row(sandbox: Shop, p: DemoProduct, seller_id: str) -> dict[str, Any]:
    card = sandbox.storefront.showcase(p)
    final = card + max(ROUBLE, (card * CARD_BENEFIT).quantize(ROUBLE, ROUND_HALF_UP))
    original = max(p.old_price, p.price, final)
    discount = original - final
    return {
        "sku_id": str(p.sku),
        "name": p.name,
        "price": {
            "original": number(original),
            "discount": number(discount),
            "discount_percent": int((discount / original * HUNDRED).quantize(ROUBLE, ROUND_HALF_UP)),
            "final": number(final),
            "card_price": number(card),
        },
        "seller_id": seller_id,
        "quantity": max(p.fbo_present - p.fbo_reserved, 0) + max(p.fbs_present - p.fbs_reserved, 0),
        "currency": p.currency_code,
    }


def seller_page(sandbox: Shop, request: Request) -> dict[str, Any]:
    """GET /api/v1/seller/{seller_id}?page=N — one page of the seller's storefront."""
    seller_id = unquote(request.path[len(PATH) :])
    if not seller_id or "/" in seller_id:
        raise FrontError(404, "Not Found")
    # With several accounts, the seller id picks whose storefront this is.
    owner = getattr(sandbox, "sandbox", None)
    shop = owner.shop_of_seller(seller_id) if owner is not None else sandbox
    if shop is None or (shop.front_seller_id is not None and seller_id != shop.front_seller_id):
        raise FrontError(404, f"seller {seller_id} not found")
    sandbox = shop
    page = _page_number(request.query)
    size = sandbox.front_page_size
    indices = sandbox.catalog.active_indices()
    total = len(indices)
    chunk = indices[(page - 1) * size : page * size]
    products = [p for p in map(sandbox.catalog.product, chunk) if p is not None]
    return {
        "pagination": {
            "current_page": page,
            "total_pages": -(-total // size),
            "items_per_page": size,
            "total_items": total,
        },
        "products": [_row(sandbox, p, seller_id) for p in products],
        "metadata": {
            "seller_id": seller_id,
            "source": "ozon-sandbox (test double)",
            "currency": "RUB",
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }


FRONT_ROUTES: dict[str, Route] = {PATH: Route(seller_page, method="GET", prefix=True, ozon_auth=False)}

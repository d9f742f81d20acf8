"""How the sandbox renders a `DemoProduct` in each Ozon answer.

Shapes follow Ozon's current Seller API (docs/ozon-api.md §1–3, §6 and the
OpenAPI file), including what is *gone*: no `marketing_price` (off since
12 Nov 2025), no `images360` (off since 10 Jul 2026), no `total` (off since
23 Nov 2026). Money is a string ("1299.00") in v3 info and a JSON number in v5.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from ozonprice.sandbox.products import DemoProduct

# The seller's promotion period shown in v5 `marketing_actions`.
PERIOD_FROM, PERIOD_TO = "2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z"


def number(amount: Decimal) -> int | float:
    """A v5 money value: Ozon writes whole amounts without a fraction (499, 1299.5).

    Via float: a two-decimal amount prints back as the same number (repr is
    the shortest round-trip form), and it is 4× cheaper than Decimal arithmetic.
    """
    value = float(amount)
    return int(value) if value.is_integer() else value


# Ozon's logistics cost per item grows in steps with volume weight: (kg up to, roubles).
_DELIVERY_TIERS = (
    (0.2, 46.5),
    (0.5, 58.0),
    (1.0, 76.0),
    (2.0, 95.5),
    (5.0, 129.0),
    (10.0, 198.0),
    (25.0, 345.0),
    (1e9, 690.0),
)


def delivery_amount(volume_weight: float) -> float:
    """Ozon's logistics cost per item, by volume-weight tier (roubles)."""
    for limit, amount in _DELIVERY_TIERS:
        if volume_weight <= limit:
            return amount
    return _DELIVERY_TIERS[-1][1]


def list_item(p: DemoProduct) -> dict[str, Any]:
    """An item of `/v3/product/list` (`result.items[]`)."""
    return {
        "product_id": p.product_id,
        "offer_id": p.offer_id,
        "archived": p.archived,
        "has_fbo_stocks": p.has_fbo_stocks,
        "has_fbs_stocks": p.has_fbs_stocks,
        "is_discounted": p.is_discounted,
        "quants": [],
        "sku": p.sku,
    }


@lru_cache(maxsize=8)
def _info_price_indexes(currency: str) -> dict[str, Any]:
    # The same for every demo product: built once and shared (the encoder only reads it).
    empty = {"minimal_price": "", "minimal_price_currency": currency, "price_index_value": 0}
    return {
        "color_index": "COLOR_INDEX_WITHOUT_INDEX",
        "external_index_data": empty,
        "ozon_index_data": empty,
        "self_marketplaces_index_data": empty,
    }


def _info_commissions(p: DemoProduct) -> list[dict[str, Any]]:
    price = float(p.price)
    delivery = delivery_amount(p.volume_weight)
    return [
        {
            "delivery_amount": delivery,
            "percent": p.sales_percent,
            "return_amount": delivery,
            "sale_schema": "FBO",
            "value": round(price * p.sales_percent / 100, 2),
        },
        {
            "delivery_amount": delivery,
            "percent": p.sales_percent + 2,
            "return_amount": delivery,
            "sale_schema": "FBS",
            "value": round(price * (p.sales_percent + 2) / 100, 2),
        },
    ]


def info_item(p: DemoProduct) -> dict[str, Any]:
    """An item of `/v3/product/info/list` (`items[]`, no `result` wrapper)."""
    has_stock = p.has_stock
    return {
        "id": p.product_id,
        "offer_id": p.offer_id,
        "sku": p.sku,
        "name": p.name,
        "barcodes": [p.barcode],
        "description_category_id": p.description_category_id,
        "type_id": p.type_id,
        "model_info": {"model_id": p.product_id + 500_000_000, "count": 1},
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "price": str(p.price),
        "old_price": str(p.old_price),
        "min_price": str(p.min_price),
        "currency_code": p.currency_code,
        "vat": p.vat,
        # Added 28 Sep 2026; the demo products declare no customs value.
        "declared_price": {"amount": "", "currency": p.currency_code},
        "price_indexes": _info_price_indexes(p.currency_code),
        "commissions": _info_commissions(p),
        "images": list(p.images),
        "primary_image": [p.primary_image] if p.primary_image else [],
        "color_image": [p.color_image] if p.color_image else [],
        "stocks": {
            "has_stock": has_stock,
            "stocks": [
                {"present": p.fbo_present, "reserved": p.fbo_reserved, "sku": p.sku, "source": "fbo"},
                {"present": p.fbs_present, "reserved": p.fbs_reserved, "sku": p.sku, "source": "fbs"},
            ],
        },
        "statuses": {
            "status": "price_sent",
            "status_name": "Продается",
            "status_description": "",
            "status_tooltip": "",
            "status_failed": "",
            "moderate_status": "approved",
            "validation_status": "success",
            "is_created": True,
            "status_updated_at": p.updated_at,
        },
        "visibility_details": {"has_price": True, "has_stock": has_stock},
        # Only "AVAILABLE" is attested (added 6 Oct 2025); other values are not
        # documented, so an unavailable product simply has no entry.
        "availabilities": (
            [{"availability": "AVAILABLE", "reasons": [], "sku": p.sku, "source": "sds"}]
            if has_stock and not p.archived
            else []
        ),
        "is_archived": p.archived,
        "is_autoarchived": False,
        "is_discounted": p.is_discounted,
        "is_kgt": p.is_kgt,
        "is_super": p.is_super,
        "is_prepayment_allowed": True,  # deprecated by Ozon, still sent
        "discounted_fbo_stocks": 0,
        "has_discounted_fbo_item": False,
        "promotions": [],
        "sources": [
            {
                "created_at": p.created_at,
                "quant_code": "",
                "shipment_type": "SHIPMENT_TYPE_GENERAL",
                "sku": p.sku,
                "source": "sds",
            }
        ],
        "errors": [],
        "volume_weight": p.volume_weight,
    }


@lru_cache(maxsize=8)
def _v5_price_indexes(currency: str) -> dict[str, Any]:
    # v5 says min_price / min_price_currency where v3 info says minimal_price (§3).
    empty = {"min_price": 0, "min_price_currency": currency, "price_index_value": 0}
    return {
        "color_index": "WITHOUT_INDEX",
        "external_index_data": empty,
        "ozon_index_data": empty,
        "self_marketplaces_index_data": empty,
    }


@lru_cache(maxsize=256)
def _price_commissions(delivery: float, percent: float) -> dict[str, Any]:
    # Shared between items (the encoder only reads it): few tier/percent pairs exist.
    return {
        "fbo_deliv_to_customer_amount": round(delivery * 0.25, 2),
        "fbo_direct_flow_trans_max_amount": round(delivery * 1.2, 2),
        "fbo_direct_flow_trans_min_amount": round(delivery * 0.8, 2),
        "fbo_return_flow_amount": delivery,
        "fbs_deliv_to_customer_amount": round(delivery * 1.5, 2),
        "fbs_direct_flow_trans_max_amount": round(delivery * 1.5, 2),
        "fbs_direct_flow_trans_min_amount": delivery,
        "fbs_first_mile_max_amount": 25,
        "fbs_first_mile_min_amount": 0,
        "fbs_return_flow_amount": delivery,
        "sales_percent_fbo": percent,
        "sales_percent_fbs": percent + 2,
        "sales_percent_rfbs": percent + 2,
        "sales_percent_fbp": percent + 1,
    }


def price_item(p: DemoProduct) -> dict[str, Any]:
    """An item of `/v5/product/info/prices` (`items[]`); money as JSON numbers."""
    promo = p.price - p.marketing_seller_price
    actions = []
    if promo > 0:
        actions.append(
            {"date_from": PERIOD_FROM, "date_to": PERIOD_TO, "title": "Скидка продавца", "value": number(promo)}
        )
    return {
        "product_id": p.product_id,
        "offer_id": p.offer_id,
        "acquiring": round(float(p.price) * 0.015, 2),
        "volume_weight": p.volume_weight,
        "commissions": _price_commissions(delivery_amount(p.volume_weight), p.sales_percent),
        "marketing_actions": {
            "actions": actions,
            "current_period_from": PERIOD_FROM,
            "current_period_to": PERIOD_TO,
            "ozon_actions_exist": False,
        },
        "price_indexes": _v5_price_indexes(p.currency_code),
        "price": {
            "price": number(p.price),
            "old_price": number(p.old_price),
            "min_price": number(p.min_price),
            "marketing_seller_price": number(p.marketing_seller_price),
            "net_price": number(p.net_price),
            "retail_price": 0,
            "vat": float(p.vat),
            "currency_code": p.currency_code,
            "declared_price": {"amount": 0, "currency": p.currency_code},
            "auto_action_enabled": p.auto_action_enabled,
            "auto_add_to_ozon_actions_list_enabled": p.auto_add_to_ozon_actions_list_enabled,
        },
    }


def stock_item(p: DemoProduct) -> dict[str, Any]:
    """An item of `/v4/product/info/stocks` (`items[]`)."""
    return {
        "offer_id": p.offer_id,
        "product_id": p.product_id,
        "stocks": [
            {
                "present": p.fbo_present,
                "reserved": p.fbo_reserved,
                "shipment_type": "SHIPMENT_TYPE_GENERAL",
                "sku": p.sku,
                "type": "fbo",
            },
            {
                "present": p.fbs_present,
                "reserved": p.fbs_reserved,
                "shipment_type": "SHIPMENT_TYPE_GENERAL",
                "sku": p.sku,
                "type": "fbs",
            },
        ],
    }

"""Reads of the catalogue."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from catalog.models import Sku

# The columns of the API's product list; nothing else is read.
PRODUCT_FIELDS = (
    "id",
    "account",
    "product_id",
    "sku",
    "name",
    "product_url",
    "marketing_seller_price",
    "min_price",
    "old_price",
    "price",
    "front_price",
    "mrpc",
    "available",
    "active",
    "front_price_timestamp",
    "update_timestamp",
    "showcase_hold",
)


def sku_list() -> QuerySet[Sku]:
    """Every SKU, newest first: `-id` is unique, so pages never overlap or skip rows."""
    return Sku.objects.order_by("-id")


def sku_page_rows(queryset: QuerySet[Sku], offset: int, limit: int) -> list[dict[str, Any]]:
    """One page of the product list in two SELECTs.

    A deep OFFSET walks only the id index; the page's rows are then read by id.
    """
    ids = list(queryset.values_list("id", flat=True)[offset : offset + limit])
    return list(Sku.objects.filter(id__in=ids).order_by("-id").values(*PRODUCT_FIELDS))

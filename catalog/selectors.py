"""Reads of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from catalog.filters import SkuFilter
from catalog.models import Sku

# The columns of the API's product list; nothing else is read.
PRODUCT_FIELDS = (
    "id",
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


@dataclass(frozen=True)
class SkuPage:
    items: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def sku_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Sku]:
    """SKUs matching `filters` (`active`, `has_stock`, `search`), newest first."""
    filterset = SkuFilter(filters or {}, queryset=Sku.objects.order_by("-id"))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def sku_page(*, filters: dict[str, Any] | None = None, page: int = 1, per_page: int = 50) -> SkuPage:
    """One page of the product list: a COUNT and, when the page has rows, two SELECTs.

    A page past the end is empty, not an error. Ordered by `-id`, which is
    unique, so pages never overlap or skip rows.
    """
    queryset = sku_list(filters=filters)
    total = queryset.count()
    offset = (page - 1) * per_page
    items = []
    if offset < total:
        # A deep OFFSET walks only the id index; the page's rows are read by id.
        ids = list(queryset.values_list("id", flat=True)[offset : offset + per_page])
        items = list(Sku.objects.filter(id__in=ids).order_by("-id").values(*PRODUCT_FIELDS))
    return SkuPage(items=items, total=total, page=page, pages=-(-total // per_page))

"""Reads of the price history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from catalog.selectors import SkuPage
from pricing.models import PriceHistory


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def price_history_page(
    *, product_id: str | None = None, start_date: date | None = None, end_date: date | None = None,
    page: int = 1, per_page: int = 50,
) -> SkuPage:
    """Newest first; `end_date` includes its whole day (in TIME_ZONE)."""
    rows = PriceHistory.objects.order_by("-timestamp", "-id")
    if product_id:
        rows = rows.filter(sku__product_id=int(product_id))
    if start_date:
        rows = rows.filter(timestamp__gte=_day_start(start_date))
    if end_date:
        rows = rows.filter(timestamp__lt=_day_start(end_date + timedelta(days=1)))
    total = rows.count()
    offset = (page - 1) * per_page
    items = []
    if offset < total:
        items = list(
            rows.annotate(product=F("sku__product_id"), old=F("price_before"))
            .values("id", "product", "timestamp", "showcase_price", "old", "new_price")[offset : offset + per_page]
        )
        for item in items:
            item["product_id"] = str(item.pop("product"))
            item["old_price"] = item.pop("old")
    return SkuPage(items=items, total=total, page=page, pages=-(-total // per_page))

"""Reads of the price history."""

from __future__ import annotations

from django.db.models import F, QuerySet

from pricing.models import PriceHistory


def price_history_list() -> QuerySet:
    """The history as the API lists it, newest first (filtered by pricing.filters.PriceHistoryFilter).

    `product` and `old` are the API's `product_id` and `old_price` (PriceHistoryItemSerializer renames them).
    """
    return (
        PriceHistory.objects.order_by("-timestamp", "-id")
        .annotate(product=F("sku__product_id"), old=F("price_before"))
        .values("id", "product", "timestamp", "showcase_price", "old", "new_price")
    )

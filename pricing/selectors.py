"""Reads of the price history and the price changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, QuerySet

from pricing.models import ChangeStatus, PriceChange, PriceHistory


def price_changes_held(
    *, skus: QuerySet | Iterable[int] | None = None, change_ids: QuerySet | Iterable[int] | None = None
) -> QuerySet[PriceChange]:
    """The changes held for approval (Ozon's price quarantine), of `skus` and among `change_ids` when given.

    Approving reads them here, so every screen and the service agree on what "held" is.
    """
    rows = PriceChange.objects.filter(status=ChangeStatus.HELD)
    if skus is not None:
        rows = rows.filter(sku__in=skus)
    if change_ids is not None:
        rows = rows.filter(pk__in=change_ids)
    return rows


def price_history_list() -> QuerySet:
    """The history as the API lists it, newest first (filtered by pricing.filters.PriceHistoryFilter).

    `product` and `old` are the API's `product_id` and `old_price` (PriceHistoryItemSerializer renames them).
    """
    return (
        PriceHistory.objects.order_by("-timestamp", "-id")
        .annotate(product=F("sku__product_id"), old=F("price_before"), account=F("sku__account"))
        .values("id", "account", "product", "timestamp", "showcase_price", "old", "new_price")
    )

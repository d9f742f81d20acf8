"""A storefront-guard world for the guard's selector, dashboard and SKU-list tests: rows just in and just out."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from pricing.models import PriceHistory, Reason
from tests.factories import DiscountRequestFactory, PromoExitFactory, SkuFactory, promo_exit_closed

D = Decimal


def aged(row, minutes: int):
    type(row).objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    row.refresh_from_db()
    return row


def sent(sku, reason: str, *, hours_ago: int = 1, price: str | None = None):
    """A price history row: the last price ozonprice sent for the SKU, and why."""
    return PriceHistory.objects.create(
        sku=sku,
        timestamp=timezone.now() - timedelta(hours=hours_ago),
        price_before=sku.mrpc,
        new_price=D(price) if price else sku.price,
        new_old_price=D("0"),
        new_min_price=sku.mrpc,
        mrpc=sku.mrpc,
        showcase_price=D("900"),
        reason=reason,
    )


def guard_world_make() -> dict:
    """Every tile with rows in and rows just out of what it counts."""
    now = timezone.now()
    world = {}
    # In promotions under MRPC: two SKUs standing (one in two promotions), one removed since, one stale.
    a = PromoExitFactory(action_price=D("880"))  # MRPC 1,000: gap 120
    PromoExitFactory(sku=a.sku, action_price=D("700"), outcome="refused")  # gap 300: the worst
    b = PromoExitFactory(action_price=D("990"))
    gone = aged(PromoExitFactory(action_price=D("100")), 5)
    removed_now = PromoExitFactory(sku=gone.sku, action_id=gone.action_id, action_price=D("100"), outcome="removed")
    promo_exit_closed(gone)
    promo_exit_closed(aged(PromoExitFactory(action_price=D("100")), 60 * 24))  # no run saw it for a day
    world["standing_skus"] = {a.sku_id, b.sku_id}
    # Promotions left today: the removal above and one more; yesterday's does not count.
    other_removed = PromoExitFactory(outcome="removed")
    aged(PromoExitFactory(outcome="removed"), 60 * 30)
    world["removed_today"] = {removed_now.pk, other_removed.pk}
    # Discount requests declined: one today, two in all; one left to the manager.
    DiscountRequestFactory(status="declined", decision="declined_below_mrpc", decided_at=now)
    DiscountRequestFactory(status="declined", decision="declined_below_mrpc", decided_at=now - timedelta(days=3))
    DiscountRequestFactory()
    # Showcase held: raised by the hold; at MRPC again after stepping down; above MRPC for another reason.
    held = SkuFactory(mrpc=D("1000"), price=D("1120"), active=True)
    sent(held, Reason.SCHEDULED, hours_ago=5)
    sent(held, Reason.SHOWCASE_HOLD, hours_ago=1)
    stepped_down = SkuFactory(mrpc=D("1000"), price=D("1000"), active=True)
    sent(stepped_down, Reason.SHOWCASE_HOLD)
    manual = SkuFactory(mrpc=D("1000"), price=D("1200"), active=True)
    sent(manual, Reason.SHOWCASE_HOLD, hours_ago=5)
    sent(manual, Reason.MANUAL, hours_ago=1)
    world["held"] = {held.pk}
    # Min-price timer lapsed: maintained and expired only.
    lapsed = SkuFactory(active=True, mrpc=D("1000"), promo_timer_expires_at=now - timedelta(hours=1))
    SkuFactory(active=False, mrpc=D("1000"), promo_timer_expires_at=now - timedelta(hours=1))
    SkuFactory(active=True, mrpc=D("1000"), promo_timer_expires_at=now + timedelta(days=2))
    SkuFactory(active=True, mrpc=D("1000"), promo_timer_expires_at=None)
    world["lapsed"] = {lapsed.pk}
    return world

"""Reads of the storefront guard's records for the admin: standing breaches, removals, held showcases, timers.

What "still standing" means: the guard's latest run over the SKU still found
it in that promotion under MRPC (reported, refused, or no answer to the
removal: as far as we know the SKU is still in).

- The guard keeps this on the row itself when PromoExit has a `standing`
  flag (the guard's branch adds it: a breach that stays as it was is not
  written again each run; the run clears the flag once the SKU is out of the
  promotion or the promotion is gone). Then standing = `standing=True`.
- Without that flag, it is derived from the records, on the assumption that
  every run records each breach it meets: the newest row for the SKU and
  promotion (kind + id) is `reported`, `refused` or `failed` (not `removed`),
  and was written within the last two guard intervals
  (RuntimeSettings.guard_interval), so one late or skipped run does not end
  a breach. With the guard off, nothing is recent and nothing stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from catalog.models import Sku
from ozonprice.models import RuntimeSettings
from pricing.models import DiscountDecision, DiscountRequest, PriceHistory, PromoExit, PromoOutcome, Reason

STANDING_OUTCOMES = (PromoOutcome.REPORTED, PromoOutcome.REFUSED, PromoOutcome.FAILED)
# Runs a breach may miss before it no longer counts as standing (see the module docstring).
STANDING_RUNS = 2

MONEY = DecimalField(max_digits=12, decimal_places=2)
PERCENT = DecimalField(max_digits=12, decimal_places=2)


def today_start(now: datetime | None = None) -> datetime:
    """Midnight today in TIME_ZONE: the managers' "today"."""
    local = timezone.localtime(now or timezone.now())
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def _has_standing_flag() -> bool:
    return any(f.name == "standing" for f in PromoExit._meta.concrete_fields)


def promo_breaches_standing(*, now: datetime | None = None, guard_interval: int | None = None) -> QuerySet[PromoExit]:
    """The PromoExit rows of the breaches that still stand: one row per SKU and promotion."""
    if _has_standing_flag():
        return PromoExit.objects.filter(standing=True)
    if guard_interval is None:
        guard_interval = RuntimeSettings.load().guard_interval
    since = (now or timezone.now()) - timedelta(minutes=STANDING_RUNS * guard_interval)
    # Ids grow with time: a higher id for the same SKU and promotion is a later record of it.
    later = PromoExit.objects.filter(
        sku_id=OuterRef("sku_id"),
        action_kind=OuterRef("action_kind"),
        action_id=OuterRef("action_id"),
        pk__gt=OuterRef("pk"),
    )
    return PromoExit.objects.filter(created_at__gte=since, outcome__in=STANDING_OUTCOMES).exclude(Exists(later))


def promo_breach_gap() -> ExpressionWrapper:
    return ExpressionWrapper(F("mrpc") - F("action_price"), output_field=MONEY)


@dataclass(frozen=True)
class BreachSummary:
    skus: int
    worst_gap: Decimal | None


def promo_breach_summary(*, now: datetime | None = None, guard_interval: int | None = None) -> BreachSummary:
    """How many SKUs sit in a promotion under MRPC, and the largest gap (MRPC − action price): one query."""
    totals = promo_breaches_standing(now=now, guard_interval=guard_interval).aggregate(
        skus=Count("sku_id", distinct=True), worst=Max(promo_breach_gap())
    )
    return BreachSummary(skus=totals["skus"], worst_gap=totals["worst"])


def skus_in_promo_breach(*, now: datetime | None = None, guard_interval: int | None = None) -> Q:
    """A SKU filter: in a promotion under MRPC (a standing breach)."""
    return Q(pk__in=promo_breaches_standing(now=now, guard_interval=guard_interval).values("sku_id"))


def showcase_held_q() -> Q:
    """A SKU filter: its price is above MRPC because of the showcase hold.

    That is: Ozon's price is above the MRPC and the last price ozonprice sent
    for it was the hold's (history reason `showcase_hold`). A step back down to
    MRPC has that reason too, but no longer prices above MRPC; a price above MRPC
    set by anything else (a manual price, before maintenance) is not the hold's.
    """
    later = PriceHistory.objects.filter(sku_id=OuterRef("sku_id")).filter(
        Q(timestamp__gt=OuterRef("timestamp")) | Q(timestamp=OuterRef("timestamp"), pk__gt=OuterRef("pk"))
    )
    last_is_hold = PriceHistory.objects.filter(sku_id=OuterRef("pk"), reason=Reason.SHOWCASE_HOLD).exclude(
        Exists(later)
    )
    return Q(mrpc__isnull=False, price__gt=F("mrpc")) & Q(Exists(last_is_hold))


@dataclass(frozen=True)
class HeldSummary:
    skus: int
    max_uplift: Decimal | None  # % over MRPC


def showcase_held_summary() -> HeldSummary:
    uplift = ExpressionWrapper((F("price") - F("mrpc")) * 100 / F("mrpc"), output_field=PERCENT)
    totals = Sku.objects.filter(showcase_held_q()).aggregate(skus=Count("pk"), uplift=Max(uplift))
    up = totals["uplift"]
    return HeldSummary(skus=totals["skus"], max_uplift=None if up is None else Decimal(up).quantize(Decimal("0.1")))


def timer_lapsed_q(*, now: datetime | None = None) -> Q:
    """A SKU filter: under maintenance and its min-price timer has run out (Ozon may add it to
    automatic promotions under the min price again)."""
    return Q(active=True, promo_timer_expires_at__lt=now or timezone.now())


@dataclass(frozen=True)
class DeclinedSummary:
    today: int
    total: int


def discount_declines_summary(*, now: datetime | None = None) -> DeclinedSummary:
    """Discount requests the guard declined below MRPC: today and in all."""
    declined = Q(decision=DiscountDecision.DECLINED_BELOW_MRPC)
    totals = DiscountRequest.objects.filter(declined).aggregate(
        total=Count("pk"), today=Count("pk", filter=Q(decided_at__gte=today_start(now)))
    )
    return DeclinedSummary(today=totals["today"], total=totals["total"])


def promo_removals_today_count(*, now: datetime | None = None) -> int:
    return PromoExit.objects.filter(outcome=PromoOutcome.REMOVED, created_at__gte=today_start(now)).count()

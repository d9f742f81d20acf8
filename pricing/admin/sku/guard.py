"""The storefront guard on the SKU list and page: the dashboard's filters and the page's promotions section."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.filters import YesNoFilter
from catalog.models import Sku
from pricing.guard_selectors import promo_breaches_standing, showcase_held_q, skus_in_promo_breach, timer_lapsed_q
from pricing.models import DiscountRequest, DiscountRequestStatus, PromoExit

# Records read for the page's promotions section: enough for the latest of each promotion.
PROMO_ROWS_READ = 100
PROMO_ROWS_SHOWN = 10
REQUESTS_SHOWN = 20


class PromoBreachFilter(YesNoFilter):
    """In a promotion under MRPC: a breach still standing (pricing.guard_selectors)."""

    title = _("in a promotion under MRPC")
    parameter_name = "promo_breach"

    @property
    def condition(self) -> Q:
        return skus_in_promo_breach()


class ShowcaseHeldFilter(YesNoFilter):
    """Priced above MRPC by the showcase hold (pricing.guard_selectors.showcase_held_q)."""

    title = _("raised by the showcase hold")
    parameter_name = "showcase_held"

    @property
    def condition(self) -> Q:
        return showcase_held_q()


class TimerLapsedFilter(YesNoFilter):
    """Under maintenance with the min-price timer run out."""

    title = _("min-price timer lapsed")
    parameter_name = "timer_lapsed"

    @property
    def condition(self) -> Q:
        return timer_lapsed_q()


GUARD_FILTERS = (PromoBreachFilter, ShowcaseHeldFilter, TimerLapsedFilter)


def sku_guard_context(sku: Sku) -> dict:
    """The SKU page's "Promotions and discount requests" section: three queries.

    The latest record of each promotion that broke the MRPC for this SKU
    (newest first), whether it still stands, and the SKU's open requests.
    """
    standing = set(promo_breaches_standing().filter(sku=sku).values_list("pk", flat=True))
    latest: dict[tuple[str, int], PromoExit] = {}
    for row in PromoExit.objects.filter(sku=sku).order_by("-created_at", "-id")[:PROMO_ROWS_READ]:
        latest.setdefault((row.action_kind, row.action_id), row)
    promos = list(latest.values())[:PROMO_ROWS_SHOWN]
    for row in promos:
        row.standing = row.pk in standing
    requests = list(
        DiscountRequest.objects.filter(sku=sku, status=DiscountRequestStatus.NEW).order_by("-created_at", "-id")[
            :REQUESTS_SHOWN
        ]
    )
    return {
        "guard_promos": promos,
        "guard_promos_standing": len(standing),
        "guard_requests": requests,
    }

"""The min-price timers: read and stored for every watched SKU, renewed only when due and asked, stopped on a lost lease."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Sku
from pricing.services.guard import GuardResult, Watched
from pricing.services.promo_timers import promo_timers_keep
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


@dataclass
class Status:
    product_id: int
    expires_at: object


class TimerOzon:
    """The two timer methods of the Ozon client; a renewal sets the timer 30 days ahead."""

    def __init__(self, expires: dict[int, object]) -> None:
        self.expires = dict(expires)
        self.updates: list[list[int]] = []

    def timer_status(self, *, product_ids):
        return [Status(pid, self.expires[pid]) for pid in product_ids if pid in self.expires]

    def timer_update(self, *, product_ids):
        self.updates.append(product_ids)
        for pid in product_ids:
            self.expires[pid] = timezone.now() + timedelta(days=30)


class LostLease:
    lost = True


def watched(*skus) -> list[Watched]:
    return [Watched(id=s.id, product_id=s.product_id, sku=s.sku, mrpc=Decimal("1000")) for s in skus]


@pytest.fixture
def skus():
    return SkuFactory(), SkuFactory(), SkuFactory()


def test_a_report_run_reads_and_stores_the_timers_and_renews_nothing(skus):
    running, lapsed, missing = skus
    later = timezone.now() + timedelta(days=10)
    ozon = TimerOzon({running.product_id: later, lapsed.product_id: timezone.now() - timedelta(hours=1)})
    result = GuardResult()

    promo_timers_keep(ozon, None, watched=watched(*skus), renew=False, result=result)

    assert (result.timers_checked, result.timers_lapsed, result.timers_renewed) == (3, 2, 0)  # no timer = lapsed
    assert ozon.updates == []
    assert Sku.objects.get(pk=running.pk).promo_timer_expires_at == later
    assert Sku.objects.get(pk=missing.pk).promo_timer_expires_at is None


def test_renewal_covers_timers_running_out_within_a_day_and_stores_what_ozon_reads_back(skus):
    far, soon, missing = skus
    ozon = TimerOzon(
        {far.product_id: timezone.now() + timedelta(days=5), soon.product_id: timezone.now() + timedelta(hours=3)}
    )
    result = GuardResult()

    promo_timers_keep(ozon, None, watched=watched(*skus), renew=True, result=result)

    assert sorted(ozon.updates[0]) == sorted([soon.product_id, missing.product_id])
    assert result.timers_renewed == 2
    renewed = Sku.objects.get(pk=soon.pk).promo_timer_expires_at
    assert renewed > timezone.now() + timedelta(days=29)
    assert Sku.objects.get(pk=missing.pk).promo_timer_expires_at is not None


def test_a_lost_lease_stops_before_renewing_and_still_stores_what_was_read(skus):
    first, _, _ = skus
    expires = timezone.now() - timedelta(minutes=1)
    ozon = TimerOzon({first.product_id: expires})
    result = GuardResult()

    promo_timers_keep(ozon, LostLease(), watched=watched(*skus), renew=True, result=result)

    assert ozon.updates == [] and not result.ok and result.error
    assert Sku.objects.get(pk=first.pk).promo_timer_expires_at == expires

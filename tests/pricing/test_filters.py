"""The price-history filters: by product id, by whole days in TIME_ZONE, bad values refused and named."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.filters import PriceHistoryFilter
from pricing.models import PriceHistory, Reason
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def row(sku, at) -> PriceHistory:
    return PriceHistory.objects.create(sku=sku, timestamp=at, reason=Reason.API, new_price=Decimal("1000"))


def at(day: str, hh: int, mm: int = 0):
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hh, mm)))


def ids(data) -> set[int]:
    filterset = PriceHistoryFilter(data, queryset=PriceHistory.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("id", flat=True))


def test_the_product_filter_keeps_that_products_changes():
    mine, other = SkuFactory(), SkuFactory()
    kept = row(mine, timezone.now())
    row(other, timezone.now())

    assert ids({"product_id": str(mine.product_id)}) == {kept.id}


def test_days_are_whole_and_inclusive_in_the_local_time_zone():
    sku = SkuFactory()
    before = row(sku, at("2026-11-01", 23, 59))
    first = row(sku, at("2026-11-02", 0, 0))
    last = row(sku, at("2026-11-03", 23, 59))
    after = row(sku, at("2026-11-04", 0, 0))

    assert ids({"start_date": "2026-11-02", "end_date": "2026-11-03"}) == {first.id, last.id}
    assert ids({"start_date": "2026-11-04"}) == {after.id}
    assert ids({"end_date": "2026-11-01"}) == {before.id}


def test_no_parameters_mean_no_filter():
    sku = SkuFactory()
    rows = {row(sku, timezone.now() - timedelta(days=d)).id for d in range(3)}

    assert ids({}) == rows


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"product_id": "12a"}, "product_id"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"end_date": "0001-01-01"}, "end_date"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(data, field):
    filterset = PriceHistoryFilter(data, queryset=PriceHistory.objects.all())

    assert not filterset.is_valid() and field in filterset.errors

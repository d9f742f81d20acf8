"""The showcase hold's inputs from the database: which SKUs it covers, and which showcase it may act on."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ozonprice.models import Account, ShowcaseSource
from pricing.models import ChangeStatus, PriceChange
from pricing.services.hold import showcase_hold_on, showcase_hold_plan
from tests.factories import SkuFactory, account_default

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def runtime() -> Account:
    """The SKUs' account, with the hold on and an exact showcase source (per-account settings)."""
    account = account_default()
    account.showcase_source = ShowcaseSource.FRONT_API
    account.showcase_hold = True
    account.save()
    return account


def discounted(**fields):
    """A SKU at MRPC whose showcase Ozon's own discount pulls 10% below it, seen just now from an exact source."""
    values = {
        "mrpc": D("1000"),
        "price": D("1000.00"),
        "old_price": D("0"),
        "min_price": D("1000.00"),
        "front_price": D("900.00"),
        "front_price_source": ShowcaseSource.FRONT_API,
        "front_price_timestamp": timezone.now(),
    }
    return SkuFactory(**{**values, **fields})


def test_a_fresh_exact_showcase_under_mrpc_raises_the_price_above_it(runtime):
    sku = discounted()

    plan = showcase_hold_plan([sku], account=runtime)[sku.id]

    assert plan.showcase == D("900.00")
    assert plan.targets.price > D("1000") and plan.moves_price
    assert not plan.own


def test_an_upper_bound_source_never_drives_the_hold(runtime):
    runtime.showcase_source = ShowcaseSource.OZON_SELLER_PRICE
    sku = discounted(front_price_source=ShowcaseSource.OZON_SELLER_PRICE)

    assert showcase_hold_plan([sku], account=runtime) == {}


def test_skus_without_mrpc_or_with_the_hold_off_are_not_covered(runtime):
    no_mrpc, off, on = discounted(mrpc=None), discounted(showcase_hold=False), discounted()

    assert set(showcase_hold_plan([no_mrpc, off, on], account=runtime)) == {on.id}


def test_the_skus_own_choice_beats_the_runtime_default():
    assert showcase_hold_on(SkuFactory.build(showcase_hold=None), default=True)
    assert not showcase_hold_on(SkuFactory.build(showcase_hold=False), default=True)
    assert showcase_hold_on(SkuFactory.build(showcase_hold=True), default=False)


def test_while_the_last_change_is_in_flight_the_showcase_is_not_used(runtime):
    sku = discounted()
    PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.SENT,
        dispatched_at=timezone.now() - timedelta(minutes=1),
        expected_price=D("1000.00"),
        expected_old_price=D("0"),
        expected_min_price=D("1000.00"),
    )

    plan = showcase_hold_plan([sku], account=runtime)[sku.id]

    assert plan.showcase is None and plan.targets.price == D("1000.00")


def test_a_showcase_older_than_the_applied_price_is_not_used(runtime):
    sku = discounted(front_price_timestamp=timezone.now() - timedelta(hours=2))
    now = timezone.now()
    PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.APPLIED,
        dispatched_at=now - timedelta(hours=1),
        applied_at=now,
        finished_at=now,
        expected_price=D("1000.00"),
        expected_old_price=D("0"),
        expected_min_price=D("1000.00"),
    )

    assert showcase_hold_plan([sku], account=runtime)[sku.id].showcase is None

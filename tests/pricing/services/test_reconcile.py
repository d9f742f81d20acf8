"""Reconciliation: a change dispatched with no recorded answer is settled by reading Ozon back, never re-sent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.clients.http import ApiError
from pricing.models import ChangeStatus, PriceChange, PriceHistory
from pricing.services.reconcile import ReconcileResult, changes_reconcile
from tests.fakes.ozon import FakeOzon, product
from tests.pricing.services.test_maintain_in_flight import client

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ozon(no_network, account) -> FakeOzon:
    # Product 1 already holds the new prices (Ozon applied the lost import); product 2 does not yet.
    fake = FakeOzon(
        products=[
            product(1, price="1100.00", old_price="1375.00", min_price="1100.00"),
            product(2, price="1000.00", old_price="0", min_price="900.00"),
        ]
    )
    fake.install(no_network)
    sku_sync_all(client=client())
    return fake


def dispatched(sku: Sku, *, at, **fields) -> PriceChange:
    return PriceChange.objects.create(
        sku=sku,
        status=fields.pop("status", ChangeStatus.PLANNED),
        dispatched_at=at,
        expected_price=D("1100.00"),
        expected_old_price=D("1375.00"),
        expected_min_price=D("1100.00"),
        price_before=D("1000.00"),
        old_price_before=D("0"),
        **fields,
    )


def test_a_change_ozon_holds_is_recorded_sent_with_history_and_the_skus_new_prices(ozon):
    sku = Sku.objects.get(product_id=1001)
    Sku.objects.filter(pk=sku.pk).update(price=D("1000.00"), old_price=D("0"))
    change = dispatched(sku, at=timezone.now() - timedelta(minutes=3))
    version = Sku.objects.get(pk=sku.pk).price_version

    assert changes_reconcile(client=client()) == ReconcileResult(reconciled=1, sent=1, unknown=0)

    change.refresh_from_db()
    assert change.status == ChangeStatus.SENT and change.sent_at is not None
    sku.refresh_from_db()
    assert (sku.price, sku.old_price, sku.min_price) == (D("1100.00"), D("1375.00"), D("1100.00"))
    assert sku.price_version == version + 1  # an older sync read cannot write the old prices back
    history = PriceHistory.objects.get(change=change)
    assert (history.price_before, history.new_price) == (D("1000.00"), D("1100.00"))
    assert ozon.imports == []  # settled by reading, nothing sent again


def test_a_change_ozon_does_not_show_yet_is_unknown_from_its_dispatch_not_failed_nor_resent(ozon):
    at = timezone.now() - timedelta(minutes=3)
    change = dispatched(Sku.objects.get(product_id=1002), at=at)

    assert changes_reconcile(client=client()) == ReconcileResult(reconciled=1, sent=0, unknown=1)

    change.refresh_from_db()
    assert change.status == ChangeStatus.UNKNOWN
    assert change.sent_at == at  # the verification window runs from the dispatch
    assert change.error_message  # the operator is told why it waits
    assert not PriceHistory.objects.filter(change=change).exists()
    assert ozon.imports == []


def test_only_dispatched_planned_changes_are_reconciled(ozon):
    sku = Sku.objects.get(product_id=1002)
    never_dispatched = dispatched(sku, at=None)
    already_sent = dispatched(sku, at=timezone.now(), status=ChangeStatus.SENT, sent_at=timezone.now())

    assert changes_reconcile(client=client()) == ReconcileResult()

    never_dispatched.refresh_from_db()
    already_sent.refresh_from_db()
    assert never_dispatched.status == ChangeStatus.PLANNED
    assert already_sent.status == ChangeStatus.SENT


def test_when_the_read_back_fails_too_the_change_stays_in_flight(ozon):
    ozon.failures["/v5/product/info/prices"] = [(500, {"code": 13, "message": "internal"})]
    change = dispatched(Sku.objects.get(product_id=1001), at=timezone.now())

    with pytest.raises(ApiError):
        changes_reconcile(client=client())

    change.refresh_from_db()
    assert change.status == ChangeStatus.PLANNED and change.dispatched_at is not None
    assert ozon.imports == []

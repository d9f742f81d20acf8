"""Several imports in flight: each product in at most one of them, planned before its dispatch, the lease checked before each."""

import threading
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest

from ozonprice.clients.ozon import PriceImportResult
from ozonprice.models import RuntimeSettings
from pricing.models import ChangeStatus, PriceChange
from pricing.services import maintain
from pricing.services.maintain import prices_maintain
from tests.factories import SkuFactory, account_default

pytestmark = pytest.mark.django_db


class ConcurrentStub:
    """Accepts every price after a pause, several imports at once; it records which products are in flight.

    Runs in worker threads: it never touches the database.
    """

    def __init__(self, concurrency: int):
        self.concurrency = concurrency
        self.lock = threading.Lock()
        self.in_flight: set[int] = set()
        self.imports: list[list[int]] = []
        self.overlapping_products: set[int] = set()
        self.most_at_once = 0
        self.calls_now = 0

    def import_prices(self, *, items):
        ids = [i["product_id"] for i in items]
        with self.lock:
            self.overlapping_products |= self.in_flight & set(ids)
            self.in_flight |= set(ids)
            self.imports.append(ids)
            self.calls_now += 1
            self.most_at_once = max(self.most_at_once, self.calls_now)
        time.sleep(0.2)
        with self.lock:
            self.in_flight -= set(ids)
            self.calls_now -= 1
        return [
            PriceImportResult(product_id=i["product_id"], offer_id=i["offer_id"], updated=True, errors=[])
            for i in items
        ]

    def product_prices(self, **kwargs):
        return iter(())

    def close(self):
        pass


@pytest.fixture
def skus():
    rs = RuntimeSettings.load()
    rs.ozon_client_id, rs.ozon_api_key = "123456", "test-api-key-0f1e2d3c4b5a"
    rs.save()
    account = account_default()
    account.dry_run = False
    account.save()
    SkuFactory.create_batch(3500, active=True, mrpc=Decimal("1100"), discount=Decimal("0"))


def test_imports_overlap_and_no_product_is_ever_in_two_of_them(skus):
    ozon = ConcurrentStub(concurrency=4)

    result = prices_maintain(client=ozon)

    assert result.ok and (result.sent, result.import_calls) == (3500, 4), result.summary()
    assert ozon.most_at_once > 1  # several imports were in flight together
    assert ozon.overlapping_products == set()  # …and never one product in two of them
    sent = [pid for ids in ozon.imports for pid in ids]
    assert len(sent) == len(set(sent)) == 3500
    assert set(PriceChange.objects.values_list("status", flat=True)) == {ChangeStatus.SENT}
    assert PriceChange.objects.values("batch").distinct().count() == 4


class LeaseLostAfter:
    """A held lease that reports itself lost from the `checks`-th check on."""

    def __init__(self, checks: int):
        self.checks, self.left = 0, checks

    @property
    def lost(self) -> bool:
        self.checks += 1
        return self.checks > self.left


def test_the_lease_is_checked_before_each_dispatch_and_nothing_after_a_loss_is_planned_or_sent(skus, monkeypatch):
    lease = LeaseLostAfter(checks=2)

    @contextmanager
    def held(_name):
        yield lease

    monkeypatch.setattr(maintain, "task_lease", held)
    ozon = ConcurrentStub(concurrency=4)

    result = prices_maintain(client=ozon)

    assert lease.checks == 3  # before the 1st, 2nd and (lost) 3rd dispatch
    assert (result.import_calls, result.sent) == (2, 2000) and "lease" in result.error
    assert len(ozon.imports) == 2
    # The two imports in flight when the loss was seen are recorded; nothing else was written.
    assert PriceChange.objects.count() == 2000
    assert set(PriceChange.objects.values_list("status", flat=True)) == {ChangeStatus.SENT}

"""The sync's reads run concurrently: a page's three reads together, beside the next list page and the upsert.

Timing-free: the fake Ozon holds a request until the requests that must be in
flight with it have arrived (a barrier or an event with a generous timeout), so
a sync that sends one call at a time fails instead of passing slowly.
"""

import threading
from decimal import Decimal

import pytest
from django.db.models import F

from catalog.models import Sku
from catalog.services import sync
from catalog.services.sync import sku_sync_all
from tests.catalog.services.test_sync import client, ozon_concurrency  # noqa: F401 - both concurrencies here too
from tests.fakes.ozon import FakeOzon, product

pytestmark = pytest.mark.django_db
WAIT_S = 10
READS = ("/v3/product/info/list", "/v5/product/info/prices", "/v4/product/info/stocks")
FLOOR = {"/v3/product/list": 4, **dict.fromkeys(READS, 3)}  # 3 pages (the last short), the empty archived pass


def held(fake: FakeOzon, hold) -> FakeOzon:
    """Call `hold(path, n)` (n: the path's call number from 0) in the worker before the fake answers."""
    counts = dict.fromkeys(("/v3/product/list", *READS), 0)
    lock = threading.Lock()
    for path, name in zip(counts, ("_list", "_info", "_prices", "_stocks"), strict=True):
        handler = getattr(fake, name)

        def answer(body, path=path, handler=handler):
            with lock:
                n, counts[path] = counts[path], counts[path] + 1
            hold(path, n)
            return handler(body)

        setattr(fake, name, answer)
    return fake


@pytest.mark.parametrize("ozon_concurrency", [8], indirect=True)
def test_a_pages_three_reads_and_the_next_list_page_are_in_flight_together(no_network):
    together = threading.Barrier(4, timeout=WAIT_S)

    def hold(path, n):
        if (path, n) in {("/v3/product/list", 1), *((read, 0) for read in READS)}:
            together.wait()  # breaks (and fails the sync) unless all four are in flight at once

    held(FakeOzon(products=[product(i) for i in range(1, 2501)]), hold).install(no_network)

    result = sku_sync_all(client=client())

    assert result.ok, result.error
    assert result.fetched == Sku.objects.count() == 2500
    assert result.calls == FLOOR  # concurrency adds no call


@pytest.mark.parametrize("ozon_concurrency", [8], indirect=True)
def test_a_page_is_written_while_the_next_pages_reads_are_in_flight(no_network, monkeypatch):
    arrived = {read: threading.Event() for read in READS}

    def hold(path, n):
        if path in arrived and n == 1:
            arrived[path].set()

    held(FakeOzon(products=[product(i) for i in range(1, 2501)]), hold).install(no_network)
    upsert, seen_while_writing = sync.sku_upsert, []

    def upsert_first_page_late(rows, **kwargs):
        if not seen_while_writing:  # the first page's upsert: page 2's reads go out meanwhile
            seen_while_writing.append(all(event.wait(WAIT_S) for event in arrived.values()))
        return upsert(rows, **kwargs)

    monkeypatch.setattr(sync, "sku_upsert", upsert_first_page_late)

    result = sku_sync_all(client=client())

    assert result.ok, result.error
    assert seen_while_writing == [True]
    assert result.calls == FLOOR


def test_a_price_recorded_after_the_sync_read_its_versions_is_kept(no_network, monkeypatch):
    FakeOzon(products=[product(i) for i in range(1, 6)]).install(no_network)
    assert sku_sync_all(client=client()).ok
    Sku.objects.update(price=Decimal("1.00"))  # Ozon's price (1290.00) is newer: the sync refreshes these
    upsert = sync.sku_upsert

    def maintenance_records_then_upsert(rows, **kwargs):
        # Maintenance records a price after the sync read versions and Ozon's prices, before it writes.
        Sku.objects.filter(product_id=1001).update(price=Decimal("777.00"), price_version=F("price_version") + 1)
        return upsert(rows, **kwargs)

    monkeypatch.setattr(sync, "sku_upsert", maintenance_records_then_upsert)

    result = sku_sync_all(client=client())

    assert result.ok, result.error
    assert Sku.objects.get(product_id=1001).price == Decimal("777.00")  # newer than what the sync read
    assert set(Sku.objects.exclude(product_id=1001).values_list("price", flat=True)) == {Decimal("1290.00")}

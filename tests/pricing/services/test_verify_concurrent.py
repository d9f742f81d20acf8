"""Verification's read-backs run concurrently: each chunk's v5 prices and its showcase read, chunks side by side.

Timing-free: the fake Ozon holds a showcase read until a second one is in
flight beside it (a barrier with a generous timeout), so a verification that
reads the showcase on the calling thread, one chunk after the other, records
a peak of one instead of passing slowly.
"""

import threading
from decimal import Decimal

import pytest

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.models import ShowcaseSource
from pricing.models import ChangeStatus, PriceChange
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.fakes.ozon import FakeOzon, product
from tests.pricing.services.test_verify import client, use_source

pytestmark = pytest.mark.django_db
D = Decimal
WAIT_S = 10
DETAILS = "/v1/product/prices/details"


def peak_in_flight(fake: FakeOzon) -> dict[str, int]:
    """Count prices/details requests in flight; each waits (up to WAIT_S) for a second one to arrive beside it."""
    seen = {"now": 0, "peak": 0, "calls": 0}
    lock, pair = threading.Lock(), threading.Barrier(2, timeout=WAIT_S)
    handler = fake._details

    def answer(body):
        with lock:
            seen["now"] += 1
            seen["calls"] += 1
            seen["peak"] = max(seen["peak"], seen["now"])
        try:
            pair.wait()
        except threading.BrokenBarrierError:
            pass  # alone (one call at a time): answer anyway, the peak says so
        with lock:
            seen["now"] -= 1
        return handler(body)

    fake._details = answer
    return seen


@pytest.mark.parametrize("source", [ShowcaseSource.OZON_DETAILS, ShowcaseSource.OZON_SELLER_PRICE])
def test_two_chunks_showcase_reads_are_in_flight_together_and_every_change_is_confirmed(
    no_network, settings, account, source
):
    settings.OZON_CONCURRENCY = 8
    # 1500 SKUs: two chunks of open changes (1000 + 500).
    fake = FakeOzon(
        products=[
            product(i, price="1000.00", old_price="0", min_price="900.00", marketing_seller_price=1100.0)
            for i in range(1, 1501)
        ]
    )
    seen = peak_in_flight(fake)  # before `install`, which takes the handlers
    fake.install(no_network)
    sku_sync_all(client=client())
    Sku.objects.update(mrpc=D("1100"), discount=D("20"), active=True, front_price=D("1000"))
    assert prices_maintain(client=client()).sent == 1500
    fake.customer_prices = {p["sku"]: "1100.00" for p in fake.products}
    use_source(source)

    ozon = client()
    result = price_changes_verify(ozon=ozon)

    assert result.ok, result.error
    assert (result.checked, result.applied, result.confirmed, result.failed) == (1500, 1500, 1500, 0)
    assert PriceChange.objects.filter(status=ChangeStatus.CONFIRMED, showcase_source=source).count() == 1500
    assert Sku.objects.filter(front_price=D("1100"), front_price_source=source).count() == 1500
    if source == ShowcaseSource.OZON_DETAILS:
        assert (seen["calls"], seen["peak"]) == (2, 2)  # one read per chunk, both in flight at once
        assert dict(ozon.calls) == {"/v5/product/info/prices": 2, DETAILS: 2}
    else:
        assert seen["calls"] == 0  # the v5 prices already read are the showcase
        assert dict(ozon.calls) == {"/v5/product/info/prices": 2}

"""Exactly once: a change Ozon may already hold is never sent again (issue 10, §1).

Two ways today's engine re-sent prices: a catalogue sync that read Ozon's
prices before maintenance sent new ones wrote the older prices back onto the
SKUs, and an import whose answer never came was marked failed at once
although Ozon applies prices with a delay.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import requests  # noqa: TID251 - to simulate a timeout on the mock
import responses
import time_machine
from django.utils import timezone

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.clients.ozon import OzonClient
from pricing.models import ChangeStatus, PriceChange, PriceHistory
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.fakes.ozon import BASE, FakeOzon, fake_ozon_client, product

pytestmark = pytest.mark.django_db
D = Decimal
TARGET = {"price": "1100.00", "old_price": "1375.00", "min_price": "1100.00"}
BEFORE = {"price": "1000.00", "old_price": "0", "min_price": "900.00"}


def client() -> OzonClient:
    return fake_ozon_client(api_key="in-flight-key", retries=0)


@pytest.fixture
def ozon(no_network, account) -> FakeOzon:
    fake = FakeOzon(products=[product(i, marketing_seller_price=1000.0, **BEFORE) for i in range(1, 4)])
    fake.install(no_network)
    sku_sync_all(client=client())
    Sku.objects.update(mrpc=D("1100"), discount=D("20"), active=True, front_price=D("1000"))
    return fake


def sent_per_product(fake: FakeOzon) -> dict[int, int]:
    counts: dict[int, int] = {}
    for call in fake.imports:
        for item in call:
            counts[int(item["product_id"])] = counts.get(int(item["product_id"]), 0) + 1
    return counts


def time_out_imports(fake: FakeOzon, mock: responses.RequestsMock, *, applied: set[int]) -> None:
    """Ozon takes the import (applying only `applied` so far) and its answer never comes."""

    def timeout(request):
        items = json.loads(request.body)["prices"]
        fake.imports.append(items)
        for item in items:
            if int(item["product_id"]) in applied:
                fake.find(int(item["product_id"])).update(
                    price=item["price"], old_price=item["old_price"], min_price=item["min_price"]
                )
        raise requests.ReadTimeout("read timed out")

    mock.remove(responses.POST, BASE + "/v1/product/import/prices")
    mock.add_callback(responses.POST, BASE + "/v1/product/import/prices", callback=timeout)


# --- a sync overlapping maintenance --------------------------------------------------
def test_an_open_change_for_the_same_target_counts_as_in_flight_not_as_a_difference(ozon):
    assert prices_maintain(client=client()).sent == 3
    Sku.objects.update(price=D("1000"), old_price=D("0"), min_price=D("900"))  # stale, as an old read would be

    again = prices_maintain(client=client())

    assert (again.import_calls, again.planned, again.in_flight) == (0, 0, 3)
    assert sent_per_product(ozon) == {1001: 1, 1002: 1, 1003: 1}


def test_a_sync_that_read_prices_before_maintenance_sent_never_writes_them_back(ozon):
    sync_client = client()
    read_prices = sync_client.product_prices
    maintained = []

    def read_then_maintain(**kwargs):
        pages = list(read_prices(**kwargs))  # the sync has Ozon's old prices in hand…
        if not maintained:
            maintained.append(prices_maintain(client=client()))  # …while maintenance sends new ones
        return iter(pages)

    sync_client.product_prices = read_then_maintain
    assert sku_sync_all(client=sync_client).ok
    assert maintained[0].sent == 3

    assert set(Sku.objects.values_list("price", "old_price", "min_price")) == {(D("1100"), D("1375"), D("1100"))}
    assert prices_maintain(client=client()).import_calls == 0
    assert sent_per_product(ozon) == {1001: 1, 1002: 1, 1003: 1}


def test_a_sync_reading_after_the_send_still_writes_what_ozon_holds(ozon):
    prices_maintain(client=client())
    ozon.find(1001).update(price="1234.00")  # somebody changed it in Ozon's own interface later

    sku_sync_all(client=client())

    assert Sku.objects.get(product_id=1001).price == D("1234")


def test_verification_writes_the_applied_price_onto_a_sku_a_sync_read_before_ozon_applied(ozon):
    prices_maintain(client=client())
    for p in ozon.products:
        p.update(**BEFORE)  # Ozon takes its time: v5 still shows the old prices…
    sku_sync_all(client=client())  # …and the sync writes what Ozon holds now
    assert prices_maintain(client=client()).import_calls == 0  # in flight: not sent again
    for p in ozon.products:
        p.update(**TARGET, marketing_seller_price=1100.0)  # now Ozon shows them

    verified = price_changes_verify(ozon=client())

    assert (verified.applied, verified.confirmed, verified.failed) == (3, 3, 0)
    assert set(Sku.objects.values_list("price", "old_price", "min_price")) == {(D("1100"), D("1375"), D("1100"))}
    assert prices_maintain(client=client()).import_calls == 0
    assert sent_per_product(ozon) == {1001: 1, 1002: 1, 1003: 1}


# --- an import whose answer never came ------------------------------------------------
def test_a_timed_out_import_ozon_has_not_applied_yet_stays_unknown_not_failed(ozon, no_network):
    time_out_imports(ozon, no_network, applied={1001})

    result = prices_maintain(client=client())

    assert (result.sent, result.unknown, result.failed, result.ok) == (1, 2, 0, True)
    change = PriceChange.objects.get(sku__product_id=1002)
    assert change.status == ChangeStatus.UNKNOWN and change.finished_at is None
    assert change.sent_at == change.dispatched_at
    assert "read timed out" in change.error_message or "did not answer" in change.error_message
    assert not PriceHistory.objects.filter(sku__product_id=1002).exists()  # not known to be on Ozon


def test_an_unknown_change_is_not_resent_by_the_next_run_nor_after_a_sync(ozon, no_network):
    time_out_imports(ozon, no_network, applied=set())
    prices_maintain(client=client())

    assert sku_sync_all(client=client()).ok
    again = prices_maintain(client=client())

    assert (again.import_calls, again.in_flight) == (0, 3)
    assert sent_per_product(ozon) == {1001: 1, 1002: 1, 1003: 1}
    assert set(PriceChange.objects.values_list("status", flat=True)) == {ChangeStatus.UNKNOWN}


def test_verification_applies_an_unknown_change_once_ozon_shows_it(ozon, no_network):
    time_out_imports(ozon, no_network, applied=set())
    prices_maintain(client=client())
    assert price_changes_verify(ozon=client()).applied == 0  # not yet: still unknown, not failed
    assert set(PriceChange.objects.values_list("status", flat=True)) == {ChangeStatus.UNKNOWN}
    for p in ozon.products:
        p.update(**TARGET, marketing_seller_price=1100.0)  # Ozon applied late

    verified = price_changes_verify(ozon=client())

    assert (verified.applied, verified.confirmed, verified.failed) == (3, 3, 0)
    change = PriceChange.objects.get(sku__product_id=1001)
    assert change.status == ChangeStatus.CONFIRMED and change.applied_at and change.error_message == ""
    history = PriceHistory.objects.get(sku__product_id=1001)
    assert (history.change_id, history.price_before, history.new_price) == (change.pk, D("1000"), D("1100"))
    assert Sku.objects.get(product_id=1001).price == D("1100")
    assert prices_maintain(client=client()).import_calls == 0
    assert sent_per_product(ozon) == {1001: 1, 1002: 1, 1003: 1}


def test_an_unknown_change_ozon_never_shows_fails_when_the_verification_window_ends(ozon, no_network):
    time_out_imports(ozon, no_network, applied=set())
    prices_maintain(client=client())

    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert price_changes_verify(ozon=client()).failed == 0
        assert prices_maintain(client=client()).import_calls == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        result = price_changes_verify(ozon=client())

    assert result.failed == 3
    change = PriceChange.objects.get(sku__product_id=1001)
    assert change.status == ChangeStatus.FAILED and change.finished_at
    assert change.error_message == "Ozon still holds 1000.00 instead of 1100.00 after the verification window"


def test_a_run_cut_off_mid_call_whose_change_ozon_does_not_show_yet_stays_unknown(ozon):
    sku = Sku.objects.get(product_id=1001)
    PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.PLANNED,
        dispatched_at=timezone.now(),
        expected_price=D("1100"),
        expected_old_price=D("1375"),
        expected_min_price=D("1100"),
        price_before=D("1000"),
        old_price_before=D("0"),
    )
    Sku.objects.exclude(product_id=1001).update(active=False)

    result = prices_maintain(client=client())

    assert (result.reconciled, result.failed, result.import_calls) == (1, 0, 0)
    assert PriceChange.objects.get(sku=sku).status == ChangeStatus.UNKNOWN


# --- what managers see ------------------------------------------------------------------
def test_the_dashboard_counts_changes_awaiting_ozon_as_in_flight(ozon, no_network):
    from console.dashboard import dashboard_get

    time_out_imports(ozon, no_network, applied=set())
    prices_maintain(client=client())

    dash = dashboard_get()

    assert (dash["in_flight"], dash["failed"]) == (3, 0)
    assert "unknown" in dash["in_flight_url"]


def test_a_change_verification_closed_is_not_in_flight_and_the_link_shows_only_open_ones(admin_client):
    from django.utils import timezone

    from console.dashboard import dashboard_get
    from tests.factories import SkuFactory

    sku = SkuFactory()
    prices = {
        "expected_price": 100,
        "expected_old_price": 0,
        "expected_min_price": 100,
        "price_before": 90,
        "old_price_before": 0,
    }
    PriceChange.objects.create(sku=sku, status=ChangeStatus.APPLIED, **prices)  # still waiting for the showcase
    # Ozon holds it but a marketplace discount keeps the showcase under MRPC: verification closed it.
    PriceChange.objects.create(
        sku=sku, status=ChangeStatus.APPLIED, finished_at=timezone.now(), marketplace_discount=5, **prices
    )

    dash = dashboard_get()

    assert dash["in_flight"] == 1
    listed = admin_client.get(dash["in_flight_url"])
    assert listed.status_code == 200 and len(listed.context["cl"].result_list) == 1

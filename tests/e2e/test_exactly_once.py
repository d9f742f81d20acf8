"""Each price change reaches Ozon exactly once, and none fails falsely (issue 10, §1).

Real HTTP to the sandbox, which applies accepted prices late
(`price_apply_delay_s`, on the sandbox clock) and can carry out an import but
answer after the client's read timeout (`answer_late_next`). Ozon's side is
counted from what the sandbox received: every import item, per product.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db.models import F
from django.db.models.functions import Round
from django.utils import timezone

from catalog.models import Sku
from catalog.services import sync
from catalog.services.sync import sku_sync_all
from ozonprice.sandbox.server import OzonSandbox
from pricing.models import ChangeStatus, PriceChange
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
IMPORT = "/v1/product/import/prices"
APPLY_DELAY_S = 30


@pytest.fixture
def ozon_sandbox(request, make_sandbox, sandbox_clock) -> OzonSandbox:
    """300 products on the fake clock; parametrize indirectly with extra options."""
    return make_sandbox(clock=sandbox_clock, **{"products": 300, **getattr(request, "param", {})})


@pytest.fixture(autouse=True, params=[1, 8], ids=["one-in-flight", "8-in-flight"])
def concurrency(request, settings) -> int:
    """Every test with one call in flight and with several (OZON_CONCURRENCY)."""
    settings.OZON_CONCURRENCY = request.param
    return request.param


def activate() -> int:
    """Sync, then hold every SKU on sale at MRPC = price + 10 % with a 25 % shown discount."""
    assert sku_sync_all().ok
    return Sku.objects.filter(available=True, archived=False).update(
        mrpc=Round(F("price") * Decimal("1.1")), discount=Decimal("25"), active=True, front_price=F("price")
    )


def sends_per_product(sandbox: OzonSandbox) -> Counter:
    return Counter(item["product_id"] for batch in sandbox.price_imports for item in batch)


def failed() -> int:
    return PriceChange.objects.filter(status=ChangeStatus.FAILED).count()


@pytest.mark.parametrize("concurrency", [1, 8], ids=["one-call", "concurrent"])
@pytest.mark.parametrize(
    "ozon_sandbox",
    # 1500 products: about 1200 on sale, two imports (in flight together with OZON_CONCURRENCY > 1).
    [{"products": 1500}, {"products": 1500, "price_apply_delay_s": APPLY_DELAY_S}],
    indirect=True,
    ids=["at-once", "late-apply"],
)
def test_a_sync_overlapping_maintenance_sends_nothing_twice_and_fails_nothing(
    sandbox_account, sandbox_clock, settings, monkeypatch, concurrency
):
    settings.OZON_CONCURRENCY = concurrency
    active = activate()
    assert active > 1000  # two imports
    upsert = sync.sku_upsert
    overlapped = []

    def maintain_then_upsert(rows, **kwargs):
        # The sync holds Ozon's prices from before (its reads ran in workers)…
        if not overlapped:
            overlapped.append(prices_maintain())  # …while maintenance sends and records new ones (this thread)
        return upsert(rows, **kwargs)

    monkeypatch.setattr(sync, "sku_upsert", maintain_then_upsert)
    assert sku_sync_all().ok  # …and upserts after
    assert overlapped[0].sent == active and overlapped[0].import_calls == 2, overlapped[0].summary()

    again = prices_maintain()
    assert sku_sync_all().ok  # a plain sync meanwhile (late apply: Ozon still shows the old prices)
    after_sync = prices_maintain()
    assert (again.import_calls, after_sync.import_calls) == (0, 0), (again.summary(), after_sync.summary())

    sandbox_clock.advance(APPLY_DELAY_S + 1)
    verified = price_changes_verify()
    assert verified.ok and (verified.applied, verified.failed) == (active, 0), verified.summary()
    assert sku_sync_all().ok and prices_maintain().import_calls == 0

    per_product = sends_per_product(sandbox_account)
    assert len(per_product) == active and set(per_product.values()) == {1}  # 0 duplicate sends
    assert failed() == 0  # 0 false failures


@pytest.mark.parametrize("ozon_sandbox", [{"price_apply_delay_s": APPLY_DELAY_S}], indirect=True)
def test_a_timed_out_import_ozon_applies_30_s_later_is_sent_once_and_applied(sandbox_account, sandbox_clock, settings):
    settings.OZON_READ_TIMEOUT = 0.5  # the import's answer comes after 2 s: the client gives up first
    active = activate()
    sandbox_account.answer_late_next(IMPORT, after_s=2)

    first = prices_maintain()

    assert first.ok and first.import_calls == 1, first.summary()
    assert failed() == 0, first.summary()  # not applied yet is not failed
    assert (first.sent, first.failed, first.unknown) == (0, 0, active), first.summary()
    assert set(PriceChange.objects.values_list("status", flat=True)) == {ChangeStatus.UNKNOWN}

    assert sku_sync_all().ok  # Ozon still shows the old prices
    second = prices_maintain()
    assert (second.import_calls, second.in_flight) == (0, active), second.summary()
    early = price_changes_verify()
    assert (early.applied, early.failed) == (0, 0), early.summary()

    sandbox_clock.advance(APPLY_DELAY_S + 1)  # Ozon applies
    verified = price_changes_verify()
    assert verified.ok and (verified.applied, verified.failed) == (active, 0), verified.summary()
    assert prices_maintain().import_calls == 0

    per_product = sends_per_product(sandbox_account)
    assert len(per_product) == active and set(per_product.values()) == {1}
    assert failed() == 0


@pytest.mark.parametrize("ozon_sandbox", [{"price_apply_delay_s": 24 * 3600}], indirect=True)
def test_a_timed_out_import_ozon_never_applies_fails_when_the_verification_window_ends(sandbox_account, settings):
    settings.OZON_READ_TIMEOUT = 0.5
    active = activate()
    sandbox_account.answer_late_next(IMPORT, after_s=2)
    first = prices_maintain()
    assert failed() == 0, first.summary()
    assert first.unknown == active

    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert price_changes_verify().failed == 0
        assert prices_maintain().import_calls == 0  # still awaiting Ozon: not sent again
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        verified = price_changes_verify()

    assert verified.failed == active, verified.summary()
    assert failed() == active
    assert set(sends_per_product(sandbox_account).values()) == {1}

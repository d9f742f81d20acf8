"""Price maintenance with the showcase hold: raise under a marketplace discount, step down after it."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.models import RuntimeSettings, ShowcaseSource
from pricing.models import ChangeStatus, PriceChange, PriceHistory, Reason
from pricing.services.maintain import HOURLY_BUDGET, prices_maintain
from tests.factories import account_default
from tests.fakes.ozon import FakeOzon, product
from tests.pricing.services.test_maintain import client, imported

pytestmark = pytest.mark.django_db
D = Decimal
MRPC = D("1100")


def settings_set(**values) -> None:
    """The hold's settings are the account's; the deviation threshold stays global."""
    account, rs = account_default(), RuntimeSettings.load()
    for name, value in values.items():
        setattr(account if hasattr(account, name) else rs, name, value)
    account.save()
    rs.save()


def showcase_set(product_id: int, value: str, *, source=ShowcaseSource.FRONT_API, when=None) -> None:
    Sku.objects.filter(product_id=product_id).update(
        front_price=D(value), front_price_source=source, front_price_timestamp=when or timezone.now()
    )


@pytest.fixture
def ozon(no_network, account) -> FakeOzon:
    """Three SKUs Ozon already holds at MRPC 1100 with a 20 % discount; the showcase shows 990 (10 % off)."""
    fake = FakeOzon(products=[product(i, price="1100.00", old_price="1375.00", min_price="1100.00") for i in (1, 2, 3)])
    fake.install(no_network)
    sku_sync_all(client=client())
    Sku.objects.update(mrpc=MRPC, discount=D("20"), active=True)
    for product_id in (1001, 1002, 1003):
        showcase_set(product_id, "990")
    settings_set(showcase_source=ShowcaseSource.FRONT_API, showcase_hold=True)
    return fake


def test_without_the_hold_a_marketplace_discount_changes_nothing(ozon):
    settings_set(showcase_hold=False)

    result = prices_maintain(client=client())

    assert (result.unchanged, result.sent) == (3, 0) and ozon.imports == []


def test_the_hold_raises_the_price_so_the_showcase_lands_at_mrpc(ozon):
    result = prices_maintain(client=client())

    assert result.sent == 3
    # ceil(1100 × 1100.5 / 990) = 1223: 10 % off shows 1100.70. Old price from the 20 % rule; the floor stays MRPC.
    assert imported(ozon)[0] | {"offer_id": "", "product_id": 0} == {
        "offer_id": "",
        "product_id": 0,
        "currency_code": "RUB",
        "price": "1223.00",
        "old_price": "1529.00",
        "min_price": "1100.00",
        "min_price_for_auto_actions_enabled": True,
        "auto_add_to_ozon_actions_list_enabled": "DISABLED",
        "price_strategy_enabled": "DISABLED",
    }
    change = PriceChange.objects.get(sku__product_id=1001)
    assert (change.reason, change.expected_price, change.expected_min_price) == (
        Reason.SHOWCASE_HOLD,
        D("1223"),
        MRPC,
    )
    history = PriceHistory.objects.get(sku__product_id=1001)
    assert (history.reason, history.showcase_price, history.mrpc, history.new_price) == (
        Reason.SHOWCASE_HOLD,
        D("990"),
        MRPC,
        D("1223"),
    )


def test_the_per_sku_override_beats_the_setting(ozon):
    Sku.objects.filter(product_id=1001).update(showcase_hold=False)
    settings_set(showcase_hold=False)
    Sku.objects.filter(product_id=1002).update(showcase_hold=True)

    result = prices_maintain(client=client())

    assert result.sent == 1
    assert [item["product_id"] for item in imported(ozon)] == [1002]


def test_an_upper_bound_showcase_never_moves_the_hold(ozon):
    for product_id in (1001, 1002, 1003):
        showcase_set(product_id, "990", source=ShowcaseSource.OZON_SELLER_PRICE)

    result = prices_maintain(client=client())

    assert (result.unchanged, result.sent) == (3, 0)


def test_with_an_upper_bound_source_the_hold_is_off_and_mrpc_is_held(ozon):
    settings_set(showcase_source=ShowcaseSource.OZON_SELLER_PRICE)
    Sku.objects.filter(product_id=1001).update(price=D("1223"), old_price=D("1529"))

    result = prices_maintain(client=client())

    assert result.sent == 1
    change = PriceChange.objects.get()
    assert (change.expected_price, change.reason) == (MRPC, Reason.SCHEDULED)


def test_the_hold_waits_while_its_last_change_is_in_flight(ozon):
    prices_maintain(client=client())
    # Ozon has not shown the change yet: a newer showcase read is still one of the old price.
    showcase_set(1001, "1000")

    result = prices_maintain(client=client())

    assert (result.unchanged, result.sent) == (3, 0) and len(ozon.imports) == 1


def test_a_showcase_older_than_the_applied_change_is_not_acted_on(ozon):
    prices_maintain(client=client())
    applied = timezone.now()
    PriceChange.objects.update(status=ChangeStatus.CONFIRMED, applied_at=applied, finished_at=applied)
    showcase_set(1001, "1000", when=applied - timedelta(seconds=1))  # seen before Ozon held 1223
    showcase_set(1002, "1000", when=applied + timedelta(seconds=1))

    result = prices_maintain(client=client())

    # 1002's fresh 1000 at 1223 (a bigger discount than the raise expected) is raised again; 1001 waits.
    assert [item["product_id"] for item in imported(ozon)[3:]] == [1002]
    assert result.unchanged == 2


def test_when_the_discount_ends_the_price_steps_back_to_mrpc(ozon):
    prices_maintain(client=client())
    applied = timezone.now()
    PriceChange.objects.update(status=ChangeStatus.CONFIRMED, applied_at=applied, finished_at=applied)
    showcase_set(1001, "1223", when=applied + timedelta(seconds=1))  # no marketplace discount any more

    result = prices_maintain(client=client())

    assert result.sent == 1
    last = imported(ozon)[-1]
    assert (last["product_id"], last["price"], last["old_price"], last["min_price"]) == (
        1001,
        "1100.00",
        "1375.00",
        "1100.00",
    )
    history = PriceHistory.objects.filter(sku__product_id=1001).order_by("-id").first()
    assert (history.reason, history.showcase_price, history.price_before) == (
        Reason.SHOWCASE_HOLD,
        D("1223"),
        D("1223"),
    )


def test_turning_the_hold_off_returns_the_price_to_mrpc(ozon):
    prices_maintain(client=client())
    settings_set(showcase_hold=False)

    result = prices_maintain(client=client())

    assert result.sent == 3
    assert {item["price"] for item in imported(ozon)[3:]} == {"1100.00"}
    assert {c.reason for c in PriceChange.objects.filter(expected_price=MRPC)} == {Reason.SCHEDULED}


@pytest.mark.parametrize(("showcase", "uplift"), [("700", D("100")), ("550", D("100")), ("600", D("60"))])
def test_a_hold_raise_of_half_the_price_or_more_waits_for_approval(ozon, showcase, uplift):
    settings_set(showcase_max_uplift=uplift)
    showcase_set(1001, showcase)

    result = prices_maintain(client=client())

    held = PriceChange.objects.get(sku__product_id=1001)
    assert (held.status, held.reason, held.dispatched_at) == (ChangeStatus.HELD, Reason.SHOWCASE_HOLD, None)
    assert held.expected_price >= MRPC * D("1.5")
    assert result.held == 1
    assert 1001 not in {item["product_id"] for item in imported(ozon)}
    prices_maintain(client=client())  # the scheduler never sends it
    assert 1001 not in {item["product_id"] for item in imported(ozon)}


def test_a_flapping_discount_never_spends_more_than_the_hourly_budget(ozon):
    """The adversary: Ozon's discount switches on and off between every run, each seen fresh."""
    start = timezone.now()
    for minute in range(0, 90, 2):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            prices_maintain(client=client())
            now = timezone.now()
            PriceChange.objects.filter(finished_at__isnull=True, dispatched_at__isnull=False).update(
                status=ChangeStatus.CONFIRMED, applied_at=now, finished_at=now
            )
            price = Sku.objects.get(product_id=1001).price
            showcase = price * D("0.9") if minute % 4 == 0 else price
            showcase_set(1001, str(showcase.quantize(D("1"))), when=now + timedelta(seconds=1))
    sent = sorted(PriceChange.objects.filter(sku__product_id=1001).values_list("dispatched_at", flat=True))
    assert len(sent) > HOURLY_BUDGET  # the adversary did keep it busy
    for i, first in enumerate(sent):
        assert sum(1 for t in sent[i:] if t < first + timedelta(hours=1)) <= HOURLY_BUDGET


def test_verification_judges_a_hold_change_against_mrpc_not_its_raised_price(ozon):
    from pricing.services.verify import price_changes_verify

    settings_set(showcase_source=ShowcaseSource.OZON_DETAILS)
    for product_id in (1001, 1002, 1003):
        showcase_set(product_id, "990", source=ShowcaseSource.OZON_DETAILS)
    prices_maintain(client=client())
    skus = {p["product_id"]: p["sku"] for p in ozon.products}
    ozon.customer_prices.update({skus[1001]: "1100.70", skus[1002]: "1223.00"})

    result = price_changes_verify(ozon=client())

    assert result.confirmed == 1
    assert PriceChange.objects.get(sku__product_id=1001).status == ChangeStatus.CONFIRMED  # 1100.70 ≈ MRPC
    assert PriceChange.objects.get(sku__product_id=1002).status == ChangeStatus.APPLIED  # 1223: not yet
    # Confirmed and seen after Ozon applied it: the next run keeps the raised price.
    assert prices_maintain(client=client()).sent == 0

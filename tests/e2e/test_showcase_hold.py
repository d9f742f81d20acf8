"""The showcase hold end to end: the sandbox's marketplace discount is met, held and let go over real HTTP."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.models import RuntimeSettings, ShowcaseSource
from pricing.models import ChangeStatus, PriceChange, Reason
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.factories import account_default

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
DELAY = 0.2  # the sandbox storefront follows a new price this much later


def settle() -> None:
    time.sleep(DELAY + 0.1)


@pytest.mark.parametrize(
    "ozon_sandbox",
    [
        {
            "products": 200,
            "storefront_delay_s": DELAY,
            "marketplace_discount_share": 0.3,
            "marketplace_discount_percent": 10,
            "seed": 3,
        }
    ],
    indirect=True,
)
def test_the_hold_lands_the_showcase_at_mrpc_and_lets_go_when_the_discount_ends(sandbox_account):
    rs = RuntimeSettings.load()
    rs.showcase_source, rs.showcase_hold, rs.verification_window = ShowcaseSource.OZON_DETAILS, True, 1
    rs.save()
    account = account_default()
    account.showcase_source, account.showcase_hold = ShowcaseSource.OZON_DETAILS, True
    account.save()
    assert sku_sync_all().ok
    skus = list(Sku.objects.filter(available=True, archived=False, price__gt=0).order_by("id"))
    for sku in skus:
        sku.mrpc, sku.discount, sku.active = sku.price.quantize(Decimal("1")), Decimal("20"), True
    Sku.objects.bulk_update(skus, ["mrpc", "discount", "active"])
    mrpc = {s.product_id: s.mrpc for s in skus}
    discounted = {s.product_id for s in skus if sandbox_account.marketplace_discount(s.product_id)}
    assert 20 < len(discounted) < len(skus)

    # MRPC goes out; the marketplace discount keeps a third of the showcases under it.
    assert prices_maintain().ok
    settle()
    assert price_changes_verify().ok
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        closed = price_changes_verify()  # past the window: recorded as marketplace discounts, closed
        assert closed.marketplace_discount == len(discounted), closed.summary()

        raised = prices_maintain()
        assert raised.ok and raised.sent == len(discounted), raised.summary()
        assert (
            set(PriceChange.objects.filter(reason=Reason.SHOWCASE_HOLD).values_list("sku__product_id", flat=True))
            == discounted
        )
        settle()
        verified = price_changes_verify()
        assert verified.confirmed == len(discounted), verified.summary()
        assert showcase_prices_fetch().ok
        for sku in Sku.objects.filter(product_id__in=mrpc):
            m = mrpc[sku.product_id]
            assert m <= sku.front_price <= m * Decimal("1.01"), (sku.product_id, sku.front_price, m)
            assert sandbox_account.product(sku.product_id).min_price == m  # the floor stays MRPC
        again = prices_maintain()
        assert (again.sent, again.planned) == (0, 0), again.summary()  # converged: nothing more to send

        # The discount ends: the price steps back down to MRPC, once.
        for product_id in discounted:
            sandbox_account.set_marketplace_discount(product_id, 0)
        assert showcase_prices_fetch().ok
        down = prices_maintain()
        assert down.sent == len(discounted), down.summary()
        settle()
        assert price_changes_verify().confirmed == len(discounted)
        for product_id in discounted:
            assert sandbox_account.product(product_id).price == mrpc[product_id]
        assert showcase_prices_fetch().ok
        assert prices_maintain().planned == 0
    per_sku = PriceChange.objects.filter(sku__product_id__in=discounted).exclude(status=ChangeStatus.REJECTED)
    # One MRPC change, one raise, one step down: the hold spent two.
    assert per_sku.filter(reason=Reason.SHOWCASE_HOLD).count() == 2 * len(discounted)

import json
from decimal import Decimal

import pytest
import responses
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.ozon import OzonClient
from ozonprice.models import RuntimeSettings, ShowcaseSource
from pricing.models import ChangeStatus, PriceChange
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.factories import account_default
from tests.fakes.ozon import BASE, FakeOzon, fake_ozon_client, product

pytestmark = pytest.mark.django_db
D = Decimal
FRONT = "https://front.example"


def client() -> OzonClient:
    return fake_ozon_client(
        api_key="verify-key", retries=0, concurrency=settings.OZON_CONCURRENCY
    )  # OZON_CONCURRENCY=1 pytest ...: one read-back at a time


def use_source(source: str, **extra) -> None:
    # The showcase source and the Front Price seller are the account's; the rest (the window) stays global.
    account, rs = account_default(), RuntimeSettings.load()
    account.showcase_source = source
    rs.showcase_source = source  # the showcase fetch (catalog) reads it here until part F1 moves it
    for key, value in extra.items():
        setattr(account if hasattr(account, key) else rs, key, value)
        if hasattr(rs, key):
            setattr(rs, key, value)
    account.save()
    rs.save()


@pytest.fixture
def sent(no_network, account) -> FakeOzon:
    """Three SKUs whose MRPC 1100 (20 % shown discount) was just sent to Ozon."""
    fake = FakeOzon(
        products=[
            product(i, price="1000.00", old_price="0", min_price="900.00", marketing_seller_price=1000.0)
            for i in range(1, 4)
        ]
    )
    fake.install(no_network)
    sku_sync_all(client=client())
    Sku.objects.update(mrpc=D("1100"), discount=D("20"), active=True, front_price=D("1000"))
    prices_maintain(client=client())
    return fake


def test_a_change_ozon_holds_is_applied_and_confirmed_when_the_showcase_agrees(sent):
    for p in sent.products:
        p["marketing_seller_price"] = 1100.0

    result = price_changes_verify(ozon=client())

    assert (result.applied, result.confirmed, result.failed) == (3, 3, 0)
    change = PriceChange.objects.get(sku__product_id=1001)
    assert change.status == ChangeStatus.CONFIRMED and change.applied_at and change.confirmed_at
    assert (change.observed_price, change.observed_showcase, change.showcase_source) == (
        D("1100"),
        D("1100"),
        ShowcaseSource.OZON_SELLER_PRICE,
    )
    assert Sku.objects.get(product_id=1001).front_price == D("1100")


def test_a_showcase_within_the_deviation_threshold_confirms(sent):
    sent.products[0]["marketing_seller_price"] = 1090.0  # 0.9 % off, threshold 1 %

    price_changes_verify(ozon=client())

    assert PriceChange.objects.get(sku__product_id=1001).status == ChangeStatus.CONFIRMED


def test_a_showcase_below_mrpc_with_ozon_holding_the_price_is_a_marketplace_discount(sent):
    sent.products[0]["marketing_seller_price"] = 990.0
    assert price_changes_verify(ozon=client()).marketplace_discount == 0  # the showcase may still lag

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        result = price_changes_verify(ozon=client())

    assert result.marketplace_discount == 3
    change = PriceChange.objects.get(sku__product_id=1001)
    assert change.marketplace_discount == D("110") and change.finished_at
    assert change.status == ChangeStatus.APPLIED
    # Not re-sent in a loop: Ozon already holds the target.
    sku_sync_all(client=client())
    assert prices_maintain(client=client()).sent == 0


def test_a_change_ozon_never_applies_fails_after_the_window_and_the_manager_is_told(sent):
    rs = RuntimeSettings.load()
    rs.notify_emails = "manager@example.com"
    rs.save()
    sent.products[0].update(price="1000.00", old_price="0")  # Ozon reverted it

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        assert price_changes_verify(ozon=client()).failed == 0
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        result = price_changes_verify(ozon=client())

    assert result.failed == 1
    assert result.marketplace_discount == 2  # applied, but the showcase stayed at 1000
    change = PriceChange.objects.get(sku__product_id=1001)
    assert change.status == ChangeStatus.FAILED
    assert change.error_message == "Ozon still holds 1000.00 instead of 1100.00 after the verification window"
    assert len(mail.outbox) == 1
    assert "ART-0001 (1001): Ozon still holds 1000.00" in mail.outbox[0].body


def test_customer_price_from_prices_details_is_the_showcase(sent):
    use_source(ShowcaseSource.OZON_DETAILS)
    sent.customer_prices = {5001: "1100.00", 5002: "1100.00", 5003: "1100.00"}

    result = price_changes_verify(ozon=client())

    assert result.confirmed == 3


def test_a_missing_premium_pro_subscription_is_a_clear_configuration_error(sent, no_network):
    use_source(ShowcaseSource.OZON_DETAILS)
    no_network.replace(
        responses.POST,
        BASE + "/v1/product/prices/details",
        status=403,
        json={"code": 7, "message": "Premium Pro subscription required"},
    )

    result = showcase_prices_fetch(ozon=client())

    assert not result.ok
    assert "needs the seller's Premium Pro subscription" in result.error


def test_the_front_price_api_gives_card_prices_by_sku(sent, no_network):
    use_source(ShowcaseSource.FRONT_API, front_price_api_url=FRONT, front_price_seller_id="42")
    pages = {
        "1": [
            {"sku_id": "5001", "price": {"card_price": 1099, "final": 1100}},
            {"sku_id": "5002", "price": {"card_price": "1100.00", "final": 1150}},
        ],
        "2": [
            {"sku_id": "5003", "price": {"card_price": 1000, "final": 1050}},
            {"sku_id": "9999", "price": {"card_price": 10, "final": 10}},
        ],
    }

    def page(request):
        number = request.params["page"]
        return (
            200,
            {},
            json.dumps(
                {
                    "pagination": {
                        "current_page": int(number),
                        "total_pages": 2,
                        "items_per_page": 2,
                        "total_items": 4,
                    },
                    "products": pages[number],
                    "metadata": {},
                }
            ),
        )

    no_network.add_callback(responses.GET, FRONT + "/api/v1/seller/42", callback=page)
    front = FrontPriceClient(base_url=FRONT, seller_id="42", rate_limit=0, sleep=lambda s: None)

    result = showcase_prices_fetch(ozon=client(), front=front)

    assert result.ok and result.updated == 3
    assert Sku.objects.get(product_id=1001).front_price == D("1099")
    assert Sku.objects.get(product_id=1003).front_price_source == ShowcaseSource.FRONT_API
    front_calls = [c for c in no_network.calls if c.request.url.startswith(FRONT)]
    assert len(front_calls) == 2


def test_fetching_named_products_reports_unknown_ones(sent):
    result = showcase_prices_fetch(product_ids=[1001, 424242], ozon=client())

    assert result.updated == 1
    assert result.errors == [{"product_id": "424242", "error": "Unknown product"}]

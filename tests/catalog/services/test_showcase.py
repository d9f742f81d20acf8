"""The showcase price from the configured source, stored with its source and time; upstream trouble is reported, never raised."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.models import ShowcaseSource
from tests.factories import account_default
from tests.fakes.ozon import FakeOzon, product
from tests.pricing.services.test_maintain_in_flight import client

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ozon(no_network) -> FakeOzon:
    fake = FakeOzon(products=[product(1, marketing_seller_price=1180.5), product(2, marketing_seller_price=990.0)])
    fake.install(no_network)
    sku_sync_all(client=client())
    Sku.objects.update(front_price=None, front_price_source="", front_price_timestamp=None)
    return fake


def source(value: str) -> None:
    account = account_default()  # the showcase source is per account
    account.showcase_source = value
    account.save()


def test_the_seller_price_source_stores_ozons_marketing_seller_price_marked_with_its_source(ozon):
    source(ShowcaseSource.OZON_SELLER_PRICE)

    result = showcase_prices_fetch(ozon=client())

    assert (result.ok, result.fetched, result.updated, result.errors) == (True, 2, 2, [])
    rows = dict(Sku.objects.values_list("product_id", "front_price"))
    assert rows == {1001: D("1180.50"), 1002: D("990.00")}
    assert set(Sku.objects.values_list("front_price_source", flat=True)) == {ShowcaseSource.OZON_SELLER_PRICE}
    assert not Sku.objects.filter(front_price_timestamp__isnull=True).exists()


def test_the_details_source_reads_the_customer_price_and_names_what_it_could_not_read(ozon):
    source(ShowcaseSource.OZON_DETAILS)
    ozon.customer_prices = {5001: "1099.90"}  # product 2 has no customer price on Ozon

    result = showcase_prices_fetch(product_ids=[1001, 1002, 4242], ozon=client())

    assert result.ok and result.updated == 1
    assert Sku.objects.get(product_id=1001).front_price == D("1099.90")
    assert Sku.objects.get(product_id=1002).front_price is None
    assert [e["product_id"] for e in result.errors] == ["1002", "4242"]  # no price; unknown product


def test_ozon_refusing_prices_details_names_the_premium_pro_subscription_without_raising(ozon):
    source(ShowcaseSource.OZON_DETAILS)
    ozon.failures["/v1/product/prices/details"] = [(403, {"code": 7, "message": "Premium Pro required"})]

    result = showcase_prices_fetch(ozon=client())

    assert not result.ok and "Premium Pro" in result.error
    assert result.updated == 0 and not Sku.objects.filter(front_price__isnull=False).exists()


def test_an_ozon_outage_is_a_failed_result_not_an_exception(ozon):
    source(ShowcaseSource.OZON_SELLER_PRICE)
    ozon.failures["/v5/product/info/prices"] = [(500, {"code": 13, "message": "internal"})]

    result = showcase_prices_fetch(ozon=client())

    assert not result.ok and result.error
    assert "FAILED" in result.summary()
    assert not Sku.objects.filter(front_price__isnull=False).exists()


def test_progress_is_reported_after_each_chunk(ozon):
    source(ShowcaseSource.OZON_SELLER_PRICE)
    seen: list[int] = []

    showcase_prices_fetch(ozon=client(), on_progress=seen.append)

    assert seen == [2]

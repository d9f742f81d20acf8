import json
from decimal import Decimal

import pytest
import responses
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from ozonprice.accounts import AccountError
from ozonprice.clients.ozon import OzonClient
from ozonprice.models import Account
from tests.factories import account_default
from tests.fakes.ozon import BASE, FakeOzon, fake_ozon_client, product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[1, 8], ids=["one-call", "concurrent"])
def ozon_concurrency(request, settings) -> int:
    """Every sync test runs with one call at a time and with the default pipeline."""
    settings.OZON_CONCURRENCY = request.param
    return request.param


def client() -> OzonClient:
    return fake_ozon_client(api_key="sync-test-key", concurrency=django_settings.OZON_CONCURRENCY)


@pytest.fixture
def ozon(no_network) -> FakeOzon:
    return FakeOzon(products=[product(i) for i in range(1, 6)]).install(no_network)


def test_it_creates_one_sku_per_product_with_ozon_values(ozon):
    result = sku_sync_all(client=client())

    assert result.ok, result.error
    assert (result.fetched, result.created, result.updated) == (5, 5, 0)
    sku = Sku.objects.get(product_id=1001)
    assert sku.offer_id == "ART-0001"
    assert sku.sku == 5001
    assert sku.name == "Товар 1"
    assert sku.product_url == "https://www.ozon.ru/product/5001/"
    assert sku.price == Decimal("1290.00") and isinstance(sku.price, Decimal)
    assert sku.old_price == Decimal("1590.00")
    assert sku.min_price == Decimal("1200.00")
    assert sku.marketing_seller_price == Decimal("1250.50")
    assert (sku.stock_present, sku.stock_reserved, sku.available) == (5, 1, True)
    assert sku.images == ["https://cdn.example/1/1.jpg", "https://cdn.example/1/2.jpg"]
    assert sku.primary_image == "https://cdn.example/1/1.jpg"
    assert sku.synced_at is not None and sku.missing_since is None


def test_it_reads_archived_products_in_a_second_pass(ozon):
    ozon.products.append(product(9, archived=True))

    result = sku_sync_all(client=client())

    assert result.fetched == 6
    assert Sku.objects.get(product_id=1009).archived is True
    assert Sku.objects.filter(archived=False).count() == 5


def test_the_archived_listing_runs_beside_the_active_one(no_network, ozon_concurrency):
    fake = FakeOzon(
        products=[product(i) for i in range(1, 2501)] + [product(i, archived=True) for i in range(2501, 2601)]
    ).install(no_network)

    result = sku_sync_all(client=client())

    assert result.ok and result.fetched == 2600 and result.calls["/v3/product/list"] == 4
    listings = [
        json.loads(call.request.body)["filter"]["visibility"]
        for call in no_network.calls
        if call.request.url.endswith("/v3/product/list")
    ]
    assert fake.list_calls == {"ALL": 3, "ARCHIVED": 1}
    # ARCHIVED's first page goes out before ALL's last one: the short listing does not wait for the long one.
    assert listings.index("ARCHIVED") < len(listings) - 1 - listings[::-1].index("ALL")


def test_it_counts_only_free_stock_as_available(ozon):
    ozon.products[0].update(present=2, reserved=2)

    sku_sync_all(client=client())

    assert Sku.objects.get(product_id=1001).available is False


def test_a_resync_refreshes_ozon_columns_and_keeps_the_managers(ozon):
    sku_sync_all(client=client())
    Sku.objects.filter(product_id=1001).update(mrpc=Decimal("1500"), discount=Decimal("15"), active=True)
    ozon.products[0].update(price="1390.00", name="Товар 1 (новый)")

    result = sku_sync_all(client=client())

    assert (result.created, result.updated) == (0, 5)
    sku = Sku.objects.get(product_id=1001)
    assert sku.price == Decimal("1390.00") and sku.name == "Товар 1 (новый)"
    assert (sku.mrpc, sku.discount, sku.active) == (Decimal("1500.00"), Decimal("15.00"), True)


def test_it_marks_products_ozon_no_longer_returns_and_never_deletes_them(ozon):
    sku_sync_all(client=client())
    ozon.products.pop(0)

    result = sku_sync_all(client=client())

    assert result.marked_missing == 1
    gone = Sku.objects.get(product_id=1001)
    assert gone.missing_since is not None
    assert Sku.objects.count() == 5


def test_a_product_that_comes_back_is_no_longer_missing(ozon):
    sku_sync_all(client=client())
    first = ozon.products.pop(0)
    sku_sync_all(client=client())
    ozon.products.insert(0, first)

    sku_sync_all(client=client())

    assert Sku.objects.get(product_id=1001).missing_since is None


def test_a_listed_product_without_info_is_reported_and_not_marked_missing(ozon):
    sku_sync_all(client=client())
    ozon.info_gaps.add(1002)

    result = sku_sync_all(client=client())

    assert result.ok
    assert result.errors == [{"product_id": "1002", "error": "Ozon listed the product but returned no info for it"}]
    assert Sku.objects.get(product_id=1002).missing_since is None
    assert result.marked_missing == 0


def test_an_ozon_error_stops_the_sync_keeps_rows_and_marks_nothing(ozon):
    sku_sync_all(client=client())
    Sku.objects.update(name="last good")
    ozon.products = ozon.products[:2]  # three would look missing if the run completed
    ozon.failures["/v3/product/info/list"] = [(400, {"code": 3, "message": "invalid request payload", "details": []})]

    result = sku_sync_all(client=client())

    assert not result.ok
    assert "ozon 400 on /v3/product/info/list: invalid request payload" in result.error
    assert result.summary().startswith("sync FAILED")
    assert Sku.objects.filter(missing_since__isnull=False).count() == 0
    assert set(Sku.objects.values_list("name", flat=True)) == {"last good"}


def test_a_malformed_response_gives_a_clear_error_and_writes_no_half_row(ozon):
    ozon.failures["/v5/product/info/prices"] = [(200, {"items": [{"product_id": 1001}], "cursor": ""})]

    result = sku_sync_all(client=client())

    assert not result.ok
    assert result.error == "Ozon sent a malformed response on /v5/product/info/prices: missing field 'price'"
    assert Sku.objects.count() == 0


def test_retries_exhausted_on_5xx_fail_the_sync(ozon, ozon_concurrency):
    ozon.failures["/v3/product/list"] = [(503, {"code": 14, "message": "unavailable"})] * 4

    result = sku_sync_all(client=client())

    assert not result.ok
    assert "503" in result.error
    # Each listing started is tried twice, and nothing follows: one call at a time, the archived
    # listing never starts; side by side, both listings were already out when the first one failed.
    assert result.calls["/v3/product/list"] == (2 if ozon_concurrency == 1 else 4)


def test_a_sync_needs_at_most_ten_queries_per_thousand_products(no_network, django_assert_max_num_queries):
    FakeOzon(products=[product(i) for i in range(1, 2001)]).install(no_network)
    sync_client = client()
    account = account_default()  # a command or task names its account (resolving it is one fixed query)

    # 2 pages of 1000: per page 4 log rows + 1 select + 1 upsert (+ transaction
    # statements); plus the empty archived pass and the missing-marking update.
    with django_assert_max_num_queries(20):
        result = sku_sync_all(account=account, client=sync_client)

    assert result.fetched == 2000 and Sku.objects.count() == 2000
    assert result.calls == {
        # 2 full pages, the empty page that proves the end, the empty archived pass
        "/v3/product/list": 4,
        "/v3/product/info/list": 2,
        "/v5/product/info/prices": 2,
        "/v4/product/info/stocks": 2,
    }


def test_without_credentials_the_sync_fails_with_a_clear_message(db, no_network):
    Account.objects.update(client_id="", api_key="")

    result = sku_sync_all()

    assert not result.ok
    assert "Ozon credentials of the account 'Ozon' are not configured" in result.error
    assert len(no_network.calls) == 0


def test_without_an_account_the_sync_refuses_with_a_clear_message(db, no_network):
    Account.objects.all().delete()

    # The caller named no account and there is none: an AccountError (the API's 400 naming `account`).
    with pytest.raises(AccountError, match="No Ozon account is set up yet"):
        sku_sync_all()
    assert len(no_network.calls) == 0


def test_the_command_prints_a_summary_and_fails_loudly(ozon_credentials, no_network, capsys, settings):
    settings.OZON_API_URL = BASE
    settings.OZON_MAX_RETRIES = 0
    FakeOzon(products=[product(1)]).install(no_network)

    call_command("ozon_sync")
    # One line per account, named.
    assert capsys.readouterr().out.startswith("Ozon: sync ok: fetched 1, created 1")

    no_network.replace(
        responses.POST,
        BASE + "/v3/product/list",
        status=403,
        json={"code": 7, "message": "Api-Key is missing a required role for a method"},
    )
    with pytest.raises(CommandError, match="Failed for: Ozon"):
        call_command("ozon_sync")
    # The failed account's own line says why.
    assert "Ozon: sync FAILED" in (err := capsys.readouterr().err)
    assert "Api-Key is missing a required role" in err

"""Ozon answers that lie: an empty page in the middle, a repeated page, ids that do not fit 64 bits."""

import pytest

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from tests.catalog.services.test_sync import client, ozon_concurrency  # noqa: F401 - both concurrencies here too
from tests.fakes.ozon import FakeOzon, product

pytestmark = pytest.mark.django_db

EMPTY_PAGE = {"result": {"items": [], "total_items": 0, "last_id": ""}}


@pytest.fixture
def ozon(no_network) -> FakeOzon:
    """2500 products: pages of 1000, 1000 and 500; synced once, so a later sync may mark some missing."""
    fake = FakeOzon(products=[product(i) for i in range(1, 2501)]).install(no_network)
    assert sku_sync_all(client=client()).ok
    fake.list_calls.clear()
    return fake


def missing() -> int:
    return Sku.objects.filter(missing_since__isnull=False).count()


def test_an_empty_page_in_the_middle_marks_nothing_missing_and_fails_clearly(ozon):
    ozon.list_answers["ALL", 1] = EMPTY_PAGE  # the second page of the first pass

    result = sku_sync_all(client=client())

    assert not result.ok
    assert "disagreed between two passes" in result.error and "nothing was marked missing" in result.error
    assert "1500 of 2500" in result.error
    assert missing() == 0 and result.marked_missing == 0
    assert sku_sync_all(client=client()).ok and missing() == 0  # the next, honest sync is fine


def test_a_mass_removal_that_a_second_pass_confirms_is_marked(ozon):
    del ozon.products[1000:]

    result = sku_sync_all(client=client())

    assert result.ok, result.error
    assert result.marked_missing == missing() == 1500
    # Both passes read both visibilities: one full page and its empty end each.
    assert result.calls["/v3/product/list"] == 6


def test_a_small_removal_is_marked_without_a_second_pass(ozon):
    del ozon.products[-5:]

    result = sku_sync_all(client=client())

    assert result.ok and result.marked_missing == 5
    assert result.calls["/v3/product/list"] == 4  # 3 pages of ALL + the empty ARCHIVED pass


def test_the_guard_share_is_a_setting(ozon, settings):
    settings.SYNC_MISSING_GUARD_SHARE = 0.5
    ozon.list_answers["ALL", 1] = EMPTY_PAGE

    result = sku_sync_all(client=client())  # 1500 of 2500 is over half: still checked

    assert not result.ok and missing() == 0
    settings.SYNC_MISSING_GUARD_SHARE = 0.7
    ozon.list_calls, ozon.list_answers = {}, {("ALL", 1): EMPTY_PAGE}

    assert sku_sync_all(client=client()).marked_missing == 1500  # under the share: taken at its word


def repeat_first_page(body):
    """Page one again, with a cursor that moves on: the same ids served twice."""
    page = {"result": {"items": [], "total_items": 2500, "last_id": "2000"}}
    for p in [p for p in ozon_products if not p["archived"]][:1000]:
        page["result"]["items"].append({"product_id": p["product_id"], "offer_id": p["offer_id"], "archived": False})
    return page


ozon_products: list[dict] = []


@pytest.mark.parametrize("answer", ["same ids", "same last_id"])
def test_a_repeated_page_is_counted_once_loops_never_and_marks_nothing(ozon, answer):
    ozon_products[:] = ozon.products
    if answer == "same ids":
        ozon.list_answers["ALL", 1] = repeat_first_page
    else:  # a full page whose cursor does not move
        ozon.list_answers["ALL", 1] = lambda body: {
            "result": {**ozon.list_page(body)["result"], "last_id": body["last_id"]}
        }

    result = sku_sync_all(client=client())

    assert not result.ok
    assert "disagreed between two passes" in result.error
    assert result.fetched <= 2500 and missing() == 0
    assert result.calls["/v3/product/list"] < 20


def test_a_page_repeated_in_both_passes_fails_with_the_repetition(ozon):
    ozon_products[:] = ozon.products
    ozon.list_answers["ALL", 1] = ozon.list_answers["ALL", 3] = repeat_first_page  # page 2 of the sync, of the check

    result = sku_sync_all(client=client())

    assert not result.ok
    assert "served a page again" in result.error and missing() == 0


@pytest.mark.parametrize(
    ("where", "override"),
    [
        ("/v3/product/list", {"product_id": 2**63}),
        ("/v3/product/info/list", {"sku": 10**30}),
        ("/v3/product/list", {"product_id": "٢٠"}),
        ("/v4/product/info/stocks", {"present": 2**40}),
    ],
)
def test_a_number_that_does_not_fit_its_column_is_a_malformed_response(no_network, where, override):
    fake = FakeOzon(products=[product(i) for i in range(1, 4)]).install(no_network)
    fake.products[1].update(override)

    result = sku_sync_all(client=client())

    assert not result.ok
    assert result.error.startswith(f"Ozon sent a malformed response on {where}"), result.error
    assert Sku.objects.count() == 0  # the page is all or nothing

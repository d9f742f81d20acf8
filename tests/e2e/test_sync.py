"""The real client syncs from the sandbox over real HTTP on 127.0.0.1."""

import math

import pytest
from django.core.management import call_command

from auditlog.models import ApiLogEntry
from catalog.models import Sku
from catalog.services.sync import sku_sync_all

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture(autouse=True, params=[1, 8], ids=["one-call", "concurrent"])
def ozon_concurrency(request, settings) -> int:
    """Each sync here runs with one call at a time and with the default pipeline."""
    settings.OZON_CONCURRENCY = request.param
    return request.param


@pytest.mark.parametrize("ozon_sandbox", [2500], indirect=True)
def test_it_syncs_2500_products_with_the_fewest_calls(sandbox_account):
    result = sku_sync_all()  # configured only through OZON_API_URL and the runtime credentials

    assert result.ok, result.error
    assert result.fetched == Sku.objects.count() == 2500
    archived = Sku.objects.filter(archived=True).count()
    assert 0 < archived < 2500
    active_pages, archived_pages = math.ceil((2500 - archived) / 1000), math.ceil(archived / 1000)
    pages = active_pages + archived_pages
    assert result.calls["/v3/product/info/list"] == pages
    assert result.calls["/v5/product/info/prices"] == pages
    assert result.calls["/v4/product/info/stocks"] == pages
    assert result.calls["/v3/product/list"] <= pages + 2  # at most one empty page per pass

    for sku in Sku.objects.order_by("?")[:50]:
        expected = sandbox_account.product(sku.product_id)
        assert (sku.offer_id, sku.name, sku.sku, sku.archived) == (
            expected.offer_id,
            expected.name,
            expected.sku,
            expected.archived,
        )
        assert (sku.price, sku.marketing_seller_price) == (expected.price, expected.marketing_seller_price)
        assert sku.available == (
            expected.fbo_present + expected.fbs_present > expected.fbo_reserved + expected.fbs_reserved
        )


@pytest.mark.parametrize("ozon_sandbox", [300], indirect=True)
def test_the_api_key_reaches_no_log_row_after_a_sync(sandbox_account):
    assert sku_sync_all().ok

    rows = list(ApiLogEntry.objects.values_list("endpoint", "error_message", "request_payload", "response_payload"))
    assert rows
    for row in rows:
        for text in row:
            assert sandbox_account.api_key not in text
            assert sandbox_account.client_id not in text or sandbox_account.client_id == "sandbox"


@pytest.mark.parametrize("ozon_sandbox", [{"products": 600, "fail_rate": 0.2, "seed": 3}], indirect=True)
def test_retries_carry_a_sync_through_injected_429s_and_500s(sandbox_account, settings):
    settings.OZON_MAX_RETRIES = 8

    result = sku_sync_all()

    assert result.ok, result.error
    assert Sku.objects.count() == 600
    assert ApiLogEntry.objects.filter(success=False).exists()


@pytest.mark.parametrize("ozon_sandbox", [300], indirect=True)
def test_products_removed_from_ozon_are_marked_and_kept(sandbox_account, capsys):
    call_command("ozon_sync")
    gone = list(Sku.objects.values_list("product_id", flat=True)[:3])
    sandbox_account.remove(gone)

    call_command("ozon_sync")

    assert "marked missing 3" in capsys.readouterr().out
    assert Sku.objects.count() == 300
    assert set(Sku.objects.filter(missing_since__isnull=False).values_list("product_id", flat=True)) == set(gone)


@pytest.mark.parametrize("ozon_sandbox", [2500], indirect=True)
def test_an_empty_page_in_the_middle_of_the_list_marks_nothing_missing(sandbox_account):
    assert sku_sync_all().ok
    empty_page = {"result": {"items": [], "last_id": "", "total": 0}}
    # ALL (3 pages) and ARCHIVED (1 page) are listed side by side, so which listing calls 1 and 2 reach
    # depends on timing: with both answered empty, ALL's listing is cut short whatever the order.
    sandbox_account.fail_next("/v3/product/list", count=2, status=200, body=empty_page, after=1)

    result = sku_sync_all()

    assert not result.ok and "disagreed between two passes" in result.error
    assert result.fetched < 2500 and result.marked_missing == 0  # at most a page of each listing
    assert not Sku.objects.filter(missing_since__isnull=False).exists()
    assert sku_sync_all().ok and not Sku.objects.filter(missing_since__isnull=False).exists()

"""A manager's day in the admin, in a real browser: filter, select, set MRPC with a preview, the SKU page, import."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from pricing.models import PriceHistory, Reason
from tests.factories import SkuFactory

D = Decimal


@pytest.fixture
def catalogue(transactional_db):
    SkuFactory(offer_id="LAMP-1", name="Лампа настольная", active=True, mrpc=D("1000"), price=D("1000"))
    SkuFactory(offer_id="KETTLE-1", name="Чайник электрический", mrpc=None, price=D("2490"), old_price=D("0"))
    SkuFactory(
        offer_id="KETTLE-2", name="Чайник стеклянный", mrpc=None, price=D("1990"), old_price=D("0"), discount=D("20")
    )
    SkuFactory(offer_id="OUT-1", name="Фен дорожный", available=False)


def test_the_dashboard_links_to_the_filtered_sku_list(page, catalogue):
    page.click("#stat-active")

    page.wait_for_selector("#result_list")
    assert "active__exact=1" in page.url
    assert page.locator("#result_list tbody tr").count() == 1
    assert "LAMP-1" in page.inner_text("#result_list")


def test_a_manager_filters_selects_and_sets_mrpc_through_the_preview(page, catalogue):
    page.goto("/admin/catalog/sku/")
    page.locator("#changelist-filter a[href*='mrpc_set=no']").click()
    page.wait_for_url("**mrpc_set=no**")
    page.locator("#changelist-search input[name=q]").fill("Чайник")
    page.locator("#changelist-search input[type=submit]").click()
    page.wait_for_url("**q=**")
    assert page.locator("#result_list tbody tr").count() == 2

    page.check("#action-toggle")
    page.select_option("select[name=action]", "set_mrpc")
    page.click("button[name=index]")
    page.wait_for_selector("#id_common")
    page.fill("#id_common", "1500")
    page.fill("input[aria-label='MRPC, ₽ KETTLE-2']", "1990")
    page.click("input[name=preview]")

    preview = page.locator("#price-preview")
    preview.wait_for()
    kettle2 = preview.locator("tr[data-sku='KETTLE-2']")
    assert "2,488" in kettle2.inner_text()  # 1990 / (1 − 20 %), the crossed-out price
    assert "−20 %" in kettle2.inner_text()
    assert Sku.objects.filter(mrpc__isnull=False).count() == 1  # the preview saved nothing

    page.click("input[name=apply]")
    page.wait_for_selector("ul.messagelist")
    assert "MRPC saved for 2 SKUs." in page.inner_text("ul.messagelist")
    assert dict(Sku.objects.filter(offer_id__startswith="KETTLE").values_list("offer_id", "mrpc")) == {
        "KETTLE-1": D("1500.00"),
        "KETTLE-2": D("1990.00"),
    }


def test_activation_names_the_reason_for_each_refused_row(page, catalogue):
    page.goto("/admin/catalog/sku/")
    for article in ("OUT-1", "KETTLE-1"):
        page.locator("#result_list tr", has_text=article).locator("input.action-select").check()
    page.select_option("select[name=action]", "activate")
    page.click("button[name=index]")

    messages = page.locator("ul.messagelist")
    messages.wait_for()
    assert "OUT-1: Product is not available" in messages.inner_text()
    assert "KETTLE-1: MRPC is not set" in messages.inner_text()


def test_the_sku_page_shows_the_price_chart_and_why_this_price(page, catalogue):
    from datetime import timedelta

    from django.utils import timezone

    sku = Sku.objects.get(offer_id="LAMP-1")
    for hours, price in ((50, "900"), (20, "1000")):
        PriceHistory.objects.create(
            sku=sku,
            timestamp=timezone.now() - timedelta(hours=hours),
            showcase_price=D(price) - 20,
            price_before=D("850"),
            old_price_before=D("0"),
            new_price=D(price),
            new_old_price=D("0"),
            new_min_price=D(price),
            mrpc=D(price),
            reason=Reason.SCHEDULED,
        )

    page.goto(f"/admin/catalog/sku/{sku.pk}/change/")

    chart = page.locator("#price-chart svg.price-chart")
    chart.wait_for()
    assert chart.bounding_box()["width"] > 600
    assert chart.locator("text", has_text="MRPC").count() == 1  # the legend
    assert chart.locator("polyline").count() >= 3
    assert "Price maintenance is on" in page.inner_text("#why-this-price")
    assert page.locator("#price-history tbody tr").count() == 2


def test_a_manager_imports_a_csv_after_checking_its_preview(page, catalogue):
    page.goto("/admin/catalog/sku/")
    page.click("a.tool-import")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "prices.csv",
                "mimeType": "text/csv",
                "buffer": b"offer_id;mrpc;discount\nKETTLE-1;2490;10\nNOPE-9;100;\n",
            }
        ],
    )
    page.click("input[type=submit]")

    page.wait_for_selector("#import-changes")
    assert "NOPE-9" in page.inner_text("#import-errors") and "Unknown SKU" in page.inner_text("#import-errors")
    assert "2,767" in page.inner_text("#import-changes")  # 2490 / 0.9
    page.check("input[name=skip_errors]")
    page.click("input[name=apply]")

    page.wait_for_selector("ul.messagelist")
    assert "Imported prices.csv: 1 SKU changed." in page.inner_text("ul.messagelist")
    kettle = Sku.objects.get(offer_id="KETTLE-1")
    assert (kettle.mrpc, kettle.discount) == (D("2490"), D("10"))


def test_the_console_speaks_russian_by_default(browser, live_server, manager, catalogue):
    from tests.browser.conftest import login, open_page

    context, page = open_page(browser, live_server, locale="ru-RU")
    try:
        login(page, manager.username)
        page.goto("/admin/catalog/sku/")
        assert "Товары" in page.inner_text("#content") or "Артикул" in page.inner_text("#content")
        page.click(".language-switch button[value=en]")
        page.wait_for_selector("#result_list")
        assert "SKUs" in page.inner_text("#content h1") or "Select" in page.inner_text("#content h1")
    finally:
        context.close()

"""The README's screenshots, in Russian, of the seeded demo `make run` shows.

The same sandbox (300 products, seed 1, demo promotions) and the same seeding
(`demo_seed`: MRPC, maintenance, real maintenance, verification and guard runs),
plus the screenshots' own history rows for the chart. Skipped unless
OZONPRICE_SCREENSHOTS names a folder:
`OZONPRICE_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/browser/test_screenshots.py`.
"""

import os
from pathlib import Path

import pytest

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from console.demo import demo_seed
from ozonprice.models import RuntimeSettings
from ozonprice.sandbox.server import OzonSandbox
from tests.browser.conftest import login, open_page

OUT = os.environ.get("OZONPRICE_SCREENSHOTS", "")
pytestmark = [
    pytest.mark.skipif(not OUT, reason="set OZONPRICE_SCREENSHOTS=<folder> to refresh the screenshots"),
    pytest.mark.e2e,
]


@pytest.fixture
def seeded_demo(settings):
    sandbox = OzonSandbox(products=300, seed=1, promotions=True).start()
    settings.OZON_API_URL = sandbox.url
    runtime = RuntimeSettings.load()
    runtime.ozon_client_id, runtime.ozon_api_key = sandbox.client_id, sandbox.api_key
    runtime.save()
    try:
        assert sku_sync_all().ok
        assert demo_seed().seeded
        yield sandbox
    finally:
        sandbox.stop()


def test_screenshots(browser, live_server, manager, seeded_demo):
    out = Path(OUT)
    out.mkdir(parents=True, exist_ok=True)
    context, page = open_page(browser, live_server, locale="ru-RU", width=1440, height=900)
    try:
        login(page, manager.username)
        page.screenshot(path=out / "dashboard.png", full_page=True)

        page.goto("/admin/catalog/sku/?mrpc_set=yes")
        page.screenshot(path=out / "changelist.png")

        page.goto("/admin/catalog/sku/?mrpc_set=yes&available__exact=1")
        boxes = page.locator("#result_list input.action-select")
        for n in range(8):
            boxes.nth(n).check()
        page.select_option("select[name=action]", "set_discount")
        page.click("button[name=index]")
        page.fill("#id_common", "20")
        page.locator("#price-preview input.value-input").nth(2).fill("3")  # too small for Ozon: marked
        page.locator("#price-preview input.value-input").nth(5).fill("25")
        page.click("input[name=preview]")
        page.wait_for_selector("#price-preview")
        page.screenshot(path=out / "action-preview.png", full_page=True)

        sku = Sku.objects.filter(active=True, price_history__isnull=False).order_by("id").first()
        page.goto(f"/admin/catalog/sku/{sku.pk}/change/")
        page.wait_for_selector("#price-chart svg")
        page.screenshot(path=out / "sku-page.png", full_page=True)
    finally:
        context.close()

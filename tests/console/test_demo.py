"""The `make run` demo's first look and its restarts, in process against the sandbox.

The first look: SKUs with MRPC and maintenance on, a confirmed change, a held
change, a marketplace discount, the guard's findings and the real last sync.
A restart (the sandbox rebuilt from its saved state, the database kept) sends nothing again.
"""

from __future__ import annotations

import pytest

from catalog.services.sync import sku_sync_all
from console.dashboard import dashboard_get
from console.demo import demo_seed
from ozonprice.models import TaskRun
from ozonprice.sandbox.server import OzonSandbox
from ozonprice.sandbox.state import state_dump, state_load
from pricing.models import ChangeStatus, PriceChange, PromoExit
from pricing.services.maintain import prices_maintain

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

DEMO = {"products": 300, "seed": 1, "promotions": True}


@pytest.fixture
def demo_sandbox(make_sandbox, settings, db) -> OzonSandbox:
    """The sandbox as `make run` starts it, with the app pointed at it."""
    from ozonprice.models import RuntimeSettings

    sandbox = make_sandbox(**DEMO)
    settings.OZON_API_URL = sandbox.url
    runtime = RuntimeSettings.load()
    runtime.ozon_client_id, runtime.ozon_api_key = sandbox.client_id, sandbox.api_key
    runtime.save()
    return sandbox


def test_the_first_look_tells_the_story(demo_sandbox):
    assert sku_sync_all().ok

    result = demo_seed()

    assert result.seeded and result.active >= 10
    changes = PriceChange.objects.all()
    assert changes.filter(status=ChangeStatus.CONFIRMED).exists()
    assert changes.filter(status=ChangeStatus.HELD).count() == 1
    assert changes.filter(marketplace_discount__gt=0).exists()
    assert PromoExit.objects.exists()  # the guard's findings (report mode)
    dashboard = dashboard_get()
    assert dashboard["active"] >= 10 and dashboard["held"] == 1
    assert dashboard["guard"]["promo_breach_skus"] > 0
    tasks = {task.name: task for task in dashboard["tasks"]}
    # No django-q2 Task row exists: the last runs come from what the runs recorded themselves.
    assert {"monitor_products", "maintain_mrpc_prices", "verify_price_changes", "guard_promotions"} <= set(
        TaskRun.objects.values_list("name", flat=True)
    )
    assert tasks["monitor_products"].stopped is not None and tasks["monitor_products"].success
    assert tasks["maintain_mrpc_prices"].stopped is not None


def test_seeding_runs_once(demo_sandbox):
    assert sku_sync_all().ok
    assert demo_seed().seeded
    sent = len(demo_sandbox.price_imports)

    again = demo_seed()

    assert not again.seeded and "skipped" in again.summary()
    assert len(demo_sandbox.price_imports) == sent


def _restart(old: OzonSandbox, settings, *, keep_state: bool) -> OzonSandbox:
    """Stop the sandbox and start a new one (as `make run` does), with or without its saved state."""
    saved = state_dump(old)
    old.stop()
    new = OzonSandbox(**DEMO)
    if keep_state:
        state_load(new, saved)
    new.start()
    settings.OZON_API_URL = new.url
    return new


@pytest.mark.parametrize("keep_state", [True, False], ids=["state kept", "state lost"])
def test_a_restart_sends_no_price_again(demo_sandbox, settings, keep_state):
    assert sku_sync_all().ok
    assert demo_seed().seeded

    restarted = _restart(demo_sandbox, settings, keep_state=keep_state)
    try:
        assert sku_sync_all().ok
        result = prices_maintain()
    finally:
        restarted.stop()

    if keep_state:
        assert result.ok and result.sent == 0 and restarted.price_imports == []
        assert result.unchanged >= 10
    else:  # what the state file is for: a re-seeded sandbox makes maintenance send every price again
        assert result.sent >= 10

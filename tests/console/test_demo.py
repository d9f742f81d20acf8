"""The `make run` demo's first look and its restarts, in process against the sandbox.

Two seller accounts, as `make run` sets them up (`demo_setup`, the sandbox's `--accounts 2`). The first
look, in each: SKUs with MRPC and maintenance on, a confirmed change, a held change, a marketplace
discount, the guard's findings and the real last sync. A restart (the sandbox rebuilt from its saved
state, the database kept) sends nothing again, in either account.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from console.dashboard import dashboard_get
from console.demo import demo_seed
from ozonprice.accounts import account_run_name
from ozonprice.management.commands.demo_setup import DEMO_ACCOUNTS, demo_accounts_setup
from ozonprice.models import Account, ShowcaseSource, TaskRun
from ozonprice.sandbox.server import OzonSandbox
from ozonprice.sandbox.state import state_dump, state_load
from pricing.models import ChangeStatus, PriceChange, PromoExit
from pricing.services.maintain import prices_maintain

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

DEMO = {"products": 300, "seed": 1, "promotions": True, "accounts": 2}
NAMES = [spec["name"] for spec in DEMO_ACCOUNTS]


@pytest.fixture
def demo_sandbox(make_sandbox, settings, db) -> OzonSandbox:
    """The sandbox as `make run` starts it, with the app pointed at it."""
    sandbox = make_sandbox(**DEMO)
    settings.OZON_API_URL = sandbox.url
    return sandbox


@pytest.fixture
def accounts(demo_sandbox) -> list[Account]:
    """The demo's two accounts, as `demo_setup` makes them, each with its catalogue synced (`ozon_sync`)."""
    made = demo_accounts_setup()
    for account in made:
        assert sku_sync_all(account=account).ok
    return made


def imports(sandbox: OzonSandbox) -> dict[str, int]:
    return {client_id: len(shop.price_imports) for client_id, shop in sandbox.shops.items()}


def test_demo_setup_makes_the_sandboxs_two_accounts_once(demo_sandbox):
    first = demo_accounts_setup()
    first[1].showcase_source = ShowcaseSource.OZON_SELLER_PRICE  # a manager's change in the admin
    first[1].save()

    again = demo_accounts_setup()

    assert [a.pk for a in again] == [a.pk for a in first] and Account.objects.count() == 2
    assert [(a.name, a.client_id) for a in again] == [("Demo ИП", "sandbox"), ("Demo Brand LLC", "sandbox-2")]
    assert {(a.client_id, a.api_key) for a in again} == {(s.client_id, s.api_key) for s in demo_sandbox.shops.values()}
    assert [a.showcase_source for a in again] == [ShowcaseSource.OZON_DETAILS, ShowcaseSource.OZON_SELLER_PRICE]


def test_the_first_look_tells_the_story_in_both_accounts(demo_sandbox, accounts):
    result = demo_seed()

    assert result.seeded and result.accounts == NAMES
    # Each account has its own catalogue, synced with its own credentials.
    product_ids = [set(Sku.objects.filter(account=a).values_list("product_id", flat=True)) for a in accounts]
    assert all(len(ids) == DEMO["products"] for ids in product_ids) and not product_ids[0] & product_ids[1]
    assert all(count > 0 for count in imports(demo_sandbox).values())  # each account's prices went to its shop
    for account in accounts:
        changes = PriceChange.objects.filter(sku__account=account)
        assert Sku.objects.filter(account=account, active=True).count() >= 10, account.name
        assert changes.filter(status=ChangeStatus.CONFIRMED).exists(), account.name
        assert changes.filter(status=ChangeStatus.HELD).count() == 1, account.name
        assert PromoExit.objects.filter(sku__account=account).exists(), account.name  # the guard's findings
    assert PriceChange.objects.filter(marketplace_discount__gt=0).exists()
    dashboard = dashboard_get()
    assert dashboard["active"] >= 20 and dashboard["held"] == 2
    assert dashboard["guard"]["promo_breach_skus"] > 0
    assert [row.account.name for row in dashboard["accounts"]["rows"]] == sorted(NAMES)
    tasks = {task.name: task for task in dashboard["tasks"]}
    # No django-q2 Task row exists: the last runs come from what the runs recorded themselves, per account.
    recorded = set(TaskRun.objects.values_list("name", flat=True))
    for job in ("monitor_products", "maintain_mrpc_prices", "verify_price_changes", "guard_promotions"):
        assert {account_run_name(job, account) for account in accounts} <= recorded, job
    assert tasks["monitor_products"].stopped is not None and tasks["monitor_products"].success
    assert tasks["maintain_mrpc_prices"].stopped is not None


def test_seeding_runs_once(demo_sandbox, accounts):
    assert demo_seed().seeded
    sent = imports(demo_sandbox)

    again = demo_seed()

    assert not again.seeded and "skipped" in again.summary()
    assert imports(demo_sandbox) == sent


def test_an_account_seeded_already_is_left_alone(demo_sandbox, accounts):
    first, second = accounts
    sku = Sku.objects.filter(account=first).order_by("id").first()
    Sku.objects.filter(pk=sku.pk).update(mrpc=Decimal("1000"))  # someone's work in the first account

    result = demo_seed()

    assert result.accounts == [second.name]
    assert not PriceChange.objects.filter(sku__account=first).exists()
    assert PriceChange.objects.filter(sku__account=second).exists()


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
def test_a_restart_sends_no_price_again(demo_sandbox, accounts, settings, keep_state):
    assert demo_seed().seeded

    restarted = _restart(demo_sandbox, settings, keep_state=keep_state)
    try:
        results = []
        for account in accounts:
            assert sku_sync_all(account=account).ok
            results.append(prices_maintain(account=account))
    finally:
        restarted.stop()

    if keep_state:
        assert all(result.ok and result.sent == 0 and result.unchanged >= 10 for result in results)
        assert set(imports(restarted).values()) == {0}
    else:  # what the state file is for: a re-seeded sandbox makes maintenance send every price again
        assert all(result.sent >= 10 for result in results)

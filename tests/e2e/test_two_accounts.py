"""Two Ozon accounts in one install, end to end against the sandbox (SPEC §11).

The sandbox serves both accounts on one port, each with its own catalogue, and
checks every call's Client-Id/Api-Key pair (another account's key is a 401).
The two catalogues share their product ids, the case where a global
`product_id` would have mixed them up.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from catalog.models import Sku
from catalog.services.sync import sku_sync_all
from catalog.tasks import monitor_products
from ozonprice.accounts import account_run_name
from ozonprice.models import Account, TaskLease, TaskRun
from ozonprice.schedule import TaskFailed
from pricing.models import ChangeStatus, PriceChange
from pricing.rules import targets_for
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from pricing.tasks import maintain_mrpc_prices

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

A = {"client_id": "shop-a", "api_key": "key-a-0f1e2d3c4b5a69788", "products": 120, "seed": 1}
B = {"client_id": "shop-b", "api_key": "key-b-0f1e2d3c4b5a69788", "products": 80, "seed": 2}


@pytest.fixture
def two(make_sandbox, settings):
    sandbox = make_sandbox(accounts=[A, B], shared_product_ids=True)
    settings.OZON_API_URL = sandbox.url
    first = Account.objects.create(name="ИП Иванов", client_id=A["client_id"], api_key=A["api_key"])
    second = Account.objects.create(name="Brand LLC", client_id=B["client_id"], api_key=B["api_key"])
    return sandbox, first, second


def _hold(account: Account, count: int, factor: str) -> list[Sku]:
    """MRPC on `count` in-stock SKUs of the account, a 10 % discount, maintenance on."""
    skus = list(
        Sku.objects.filter(account=account, available=True, archived=False, price__gt=0).order_by("product_id")[:count]
    )
    for sku in skus:
        sku.mrpc = (sku.price * Decimal(factor)).quantize(Decimal("1"))
        sku.discount, sku.active = Decimal("10"), True
    Sku.objects.bulk_update(skus, ["mrpc", "discount", "active"])
    return skus


def test_both_accounts_sync_maintain_and_verify_each_with_its_own_credentials(two):
    sandbox, first, second = two
    assert sku_sync_all(account=first).ok and sku_sync_all(account=second).ok
    ids = {a: set(Sku.objects.filter(account=a).values_list("product_id", flat=True)) for a in (first, second)}
    assert (len(ids[first]), len(ids[second])) == (A["products"], B["products"])
    assert ids[first] & ids[second], "the two catalogues share product ids: one row per account each"
    held = {first: _hold(first, 10, "1.2"), second: _hold(second, 7, "1.3")}

    sent = {a: prices_maintain(account=a) for a in (first, second)}

    assert all(result.ok for result in sent.values()), [r.summary() for r in sent.values()]
    assert (sent[first].sent, sent[second].sent) == (10, 7)
    for account, skus in held.items():
        shop = sandbox.account(account.client_id)
        assert len(shop.price_imports) == 1
        for sku in skus:
            target = targets_for(sku.mrpc, sku.discount)
            assert shop.product(sku.product_id).price == target.price
    # A's price went to A's catalogue only: B's product with the same id keeps its price.
    untouched = {s.product_id for s in held[first]} - {s.product_id for s in held[second]}
    for product_id in untouched & ids[second]:
        assert (
            sandbox.account(B["client_id"]).product(product_id).price
            == Sku.objects.get(account=second, product_id=product_id).price
        )

    verified = {a: price_changes_verify(account=a) for a in (first, second)}

    assert (verified[first].confirmed, verified[second].confirmed) == (10, 7), [v.summary() for v in verified.values()]
    assert PriceChange.objects.filter(sku__account=first, status=ChangeStatus.CONFIRMED).count() == 10
    # Every call carried one account's own pair, and each account's calls went with its own.
    assert set(sandbox.credentials_seen) == {(A["client_id"], A["api_key"]), (B["client_id"], B["api_key"])}
    for spec in (A, B):
        shop = sandbox.account(spec["client_id"])
        assert sum(shop.calls.values()) == sandbox.credentials_seen[(spec["client_id"], spec["api_key"])]


def test_a_lease_held_by_one_account_does_not_block_the_other(two):
    sandbox, first, second = two
    assert monitor_products(account_id=first.pk).startswith("sync")
    assert monitor_products(account_id=second.pk).startswith("sync")
    _hold(first, 3, "1.2")
    _hold(second, 3, "1.2")
    TaskLease.acquire(account_run_name("maintain_mrpc_prices", first), ttl=timedelta(minutes=5))

    blocked = prices_maintain(account=first)
    running = maintain_mrpc_prices(account_id=second.pk)

    assert blocked.skipped and sandbox.account(A["client_id"]).price_imports == []
    assert "sent 3" in running and len(sandbox.account(B["client_id"]).price_imports) == 1


def test_an_outage_of_one_accounts_ozon_leaves_the_others_run_green(two):
    sandbox, first, second = two
    sandbox.account(A["client_id"]).outage(503)

    with pytest.raises(TaskFailed):
        monitor_products(account_id=first.pk)
    summary = monitor_products(account_id=second.pk)

    assert summary.startswith("sync")
    runs = {run.name: run for run in TaskRun.objects.filter(name__startswith="monitor_products:")}
    assert runs[account_run_name("monitor_products", first)].success is False
    assert runs[account_run_name("monitor_products", second)].success is True
    assert Sku.objects.filter(account=second).count() == B["products"]
    assert not Sku.objects.filter(account=first).exists()
    # The outage answered A's calls only; B's pair was never refused or mixed up.
    assert set(sandbox.credentials_seen) == {(A["client_id"], A["api_key"]), (B["client_id"], B["api_key"])}

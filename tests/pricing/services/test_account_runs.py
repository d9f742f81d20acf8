"""Two accounts in one install: each pricing run is one account's — its SKUs, its settings, its lease, its record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ozonprice.accounts import AccountError, account_run_name
from ozonprice.leases import task_lease
from ozonprice.models import TaskLease, TaskRun
from pricing import tasks
from pricing.models import ChangeStatus, JobKind, JobStatus, PriceChange
from pricing.services.edits import SkuNotFound, price_changes_approve, sku_get, skus_by_reference
from pricing.services.guard import watched_skus
from pricing.services.jobs import admin_job_start
from pricing.services.maintain import prices_maintain
from pricing.services.verify import price_changes_verify
from tests.factories import AccountFactory, SkuFactory, account_default
from tests.fakes.actions import FakeActions
from tests.fakes.ozon import BASE, FakeOzon, product

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two(no_network, settings):
    """Accounts A (the first) and B, two maintained SKUs each, on one fake Ozon that records each call's Client-Id."""
    settings.OZON_API_URL = BASE
    a = account_default()
    b = AccountFactory(name="Brand LLC")
    fake = FakeOzon(products=[product(i, price="1000.00", old_price="0", min_price="900.00") for i in range(1, 5)])
    fake.install(no_network)
    for i, account in ((1, a), (2, a), (3, b), (4, b)):
        SkuFactory(
            account=account,
            product_id=1000 + i,
            offer_id=f"ART-{i:04d}",
            sku=5000 + i,
            price=D("1000.00"),
            old_price=D("0"),
            min_price=D("900.00"),
            mrpc=D("1100"),
            discount=D("20"),
            active=True,
            front_price=D("1000"),
        )
    return a, b, fake


def imported_ids(fake: FakeOzon) -> set[int]:
    return {int(item["product_id"]) for call in fake.imports for item in call}


def client_ids(mock, path: str) -> set[str]:
    return {call.request.headers["Client-Id"] for call in mock.calls if call.request.url.endswith(path)}


def test_one_accounts_maintenance_sends_only_its_skus_with_its_own_credentials(two, no_network):
    a, b, fake = two

    result = prices_maintain(account=a)

    assert result.ok and result.sent == 2
    assert imported_ids(fake) == {1001, 1002}
    assert client_ids(no_network, "/v1/product/import/prices") == {a.client_id}
    assert set(PriceChange.objects.values_list("sku__account", flat=True)) == {a.pk}


def test_the_other_accounts_dry_run_does_not_make_this_run_dry(two):
    a, b, fake = two
    b.dry_run = True
    b.save()

    sent = prices_maintain(account=a)
    dry = prices_maintain(account=b)

    assert not sent.dry_run and sent.sent == 2
    assert dry.dry_run and {row["product_id"] for row in dry.plan} == {"1003", "1004"}
    assert imported_ids(fake) == {1001, 1002}  # B's dry run sent nothing


def test_a_lease_held_by_one_account_does_not_block_the_other(two):
    a, b, fake = two
    TaskLease.acquire(account_run_name("maintain_mrpc_prices", a), ttl=timedelta(minutes=5))

    blocked, free = prices_maintain(account=a), prices_maintain(account=b)

    assert blocked.skipped and not free.skipped and free.sent == 2
    assert imported_ids(fake) == {1003, 1004}


def test_each_accounts_whole_run_is_recorded_under_its_own_name(two):
    a, b, _fake = two

    prices_maintain(account=a)
    prices_maintain(account=b, product_ids=[1003])  # a partial run leaves the record as it was

    assert set(TaskRun.objects.values_list("name", flat=True)) == {f"maintain_mrpc_prices:{a.pk}"}


def test_without_an_account_the_only_one_runs_and_with_several_the_caller_must_name_one(two):
    with pytest.raises(AccountError):
        prices_maintain()


def test_verification_checks_only_the_accounts_own_changes(two):
    a, b, fake = two
    prices_maintain(account=a)
    prices_maintain(account=b)
    b_changes = set(PriceChange.objects.filter(sku__account=b).values_list("pk", flat=True))

    result = price_changes_verify(account=a)

    assert result.checked == 2
    assert set(PriceChange.objects.filter(status=ChangeStatus.SENT).values_list("pk", flat=True)) == b_changes


def test_the_guard_watches_only_the_accounts_skus(two):
    a, b, _fake = two

    assert set(watched_skus(None, account=a)) == {1001, 1002}
    assert set(watched_skus([1001, 1003], account=b)) == {1003}


def test_edits_find_products_and_articles_within_the_account(two):
    a, b, _fake = two

    assert sku_get(1003, account=b).account == b
    with pytest.raises(SkuNotFound):
        sku_get(1003, account=a)
    found = skus_by_reference(["ART-0001", "ART-0003", "5003"], account=a)
    assert "ART-0003" not in found and "5003" not in found  # B's, by article and by Ozon SKU
    assert {sku.account for sku in found.values()} == {a}


def test_approving_leaves_another_accounts_held_change_held(two):
    a, b, _fake = two
    held = [
        PriceChange.objects.create(sku=sku, status=ChangeStatus.HELD, expected_price=D("2500"))
        for sku in (sku_get(1001, account=a), sku_get(1003, account=b))
    ]

    assert price_changes_approve(change_ids=[c.pk for c in held], actor="anna", account=a) == 1

    assert [PriceChange.objects.get(pk=c.pk).status for c in held] == [ChangeStatus.PLANNED, ChangeStatus.HELD]


# --- tasks and commands ---------------------------------------------------------------------------
def test_an_admin_showcase_job_reads_its_accounts_skus_with_its_credentials(two, no_network):
    a, b, fake = two

    job = admin_job_start(kind=JobKind.SHOWCASE_FETCH, product_ids=[1003, 1004], actor="anna", account=b)

    assert (job.status, job.result["fetched"]) == (JobStatus.DONE, 2), job.error
    assert client_ids(no_network, "/v5/product/info/prices") == {b.client_id}


def test_a_task_for_a_paused_or_deleted_account_is_skipped_not_failed(two):
    a, b, fake = two
    b.active = False
    b.save()

    assert tasks.maintain_mrpc_prices(account_id=b.pk) == "skipped: account Brand LLC is paused"
    assert tasks.verify_price_changes(account_id=999_999) == "skipped: account 999999 is gone"
    assert fake.imports == []


def test_the_task_runs_its_account(two):
    a, b, fake = two

    assert tasks.maintain_mrpc_prices(account_id=b.pk).startswith("maintain ok")
    assert imported_ids(fake) == {1003, 1004}


def test_the_command_runs_every_active_account_and_names_each_summary(two, capsys):
    a, b, fake = two

    call_command("maintain_prices")

    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[0] for line in out] == [a.name, b.name]
    assert imported_ids(fake) == {1001, 1002, 1003, 1004}


def test_the_command_runs_the_named_account_only(two, capsys):
    a, b, fake = two

    call_command("maintain_prices", "--account", b.client_id)

    assert capsys.readouterr().out.startswith("Brand LLC: maintain ok")
    assert imported_ids(fake) == {1003, 1004}


def test_one_accounts_failure_fails_the_command_after_the_others_ran(two):
    a, b, fake = two
    with task_lease(account_run_name("maintain_mrpc_prices", a)), pytest.raises(CommandError, match=a.name):
        call_command("maintain_prices")
    assert imported_ids(fake) == {1003, 1004}


def test_an_unknown_account_is_a_command_error(two):
    with pytest.raises(CommandError, match="No account nobody"):
        call_command("verify_prices", "--account", "nobody")


def test_the_guard_runs_under_its_accounts_lease_with_its_accounts_modes(two, no_network, capsys):
    a, b, _fake = two
    FakeActions(actions={71: {"title": "Sale", "products": {1001: D("900"), 1003: D("900")}}}).install(no_network)
    b.promo_guard_mode = "off"
    b.save()

    with task_lease(account_run_name("guard_promotions", a)):
        call_command("guard_promotions", "--account", b.name)
        with pytest.raises(CommandError, match="another guard run"):
            call_command("guard_promotions", "--account", a.name)

    assert capsys.readouterr().out.startswith("Brand LLC: guard off ok")
    assert client_ids(no_network, "/v2/actions/discounts-task/list") == {b.client_id}

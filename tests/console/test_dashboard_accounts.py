"""The dashboard's table of accounts: each account's numbers and last runs, and the total."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from console.dashboard_accounts import accounts_dashboard_get
from ozonprice.models import TaskRun
from pricing.models import ChangeStatus, PriceChange
from tests.factories import AccountFactory, SkuFactory, account_default

pytestmark = pytest.mark.django_db
D = Decimal
INDEX = reverse("admin:index")


def change(sku, status, **fields):
    return PriceChange.objects.create(
        sku=sku, status=status, expected_price=D("1"), expected_old_price=D("0"), expected_min_price=D("1"), **fields
    )


@pytest.fixture
def two_accounts(db):
    one = account_default()
    two = AccountFactory(name="Brand LLC", dry_run=True)
    SkuFactory.create_batch(2, account=one, active=True, mrpc=D("900"), front_price=D("950"))
    below = SkuFactory(account=one, mrpc=D("1000"), front_price=D("940"))
    change(below, ChangeStatus.FAILED)
    change(below, ChangeStatus.HELD)
    other = SkuFactory(account=two, active=True, mrpc=D("1000"), front_price=D("900"))
    change(other, ChangeStatus.SENT)
    change(other, ChangeStatus.SENT, finished_at=timezone.now())  # settled: not in flight
    change(other, ChangeStatus.FAILED)
    change(other, ChangeStatus.FAILED)
    now = timezone.now()
    TaskRun.objects.create(name=f"monitor_products:{one.pk}", started_at=now, stopped_at=now, success=True, summary="")
    TaskRun.objects.create(
        name=f"maintain_mrpc_prices:{two.pk}", started_at=now, stopped_at=now, success=False, summary="Ozon 503"
    )
    return one, two


def test_each_account_and_the_total_in_a_bounded_number_of_queries(two_accounts, django_assert_max_num_queries):
    one, two = two_accounts

    with django_assert_max_num_queries(4):
        dash = accounts_dashboard_get()

    rows = {row.account.name: row for row in dash["rows"]}
    numbers = ("skus", "active", "below", "held", "in_flight", "failed")
    assert [getattr(rows["Ozon"], n) for n in numbers] == [3, 2, 1, 1, 0, 1]
    assert [getattr(rows["Brand LLC"], n) for n in numbers] == [1, 1, 1, 0, 1, 2]
    assert [getattr(dash["total"], n) for n in numbers] == [4, 3, 2, 1, 1, 3]
    runs = {job: run for job, _title, run in rows["Brand LLC"].runs}
    assert runs["maintain_mrpc_prices"].summary == "Ozon 503" and runs["monitor_products"] is None
    assert rows["Brand LLC"].urls["failed"].endswith(f"?account={two.pk}&status__exact=failed")
    assert dash["total"].urls["skus"].endswith("?account=all")


def test_the_links_open_the_lists_filtered_to_the_account(admin_client, two_accounts):
    _one, two = two_accounts
    rows = {row.account.name: row for row in accounts_dashboard_get()["rows"]}

    for key, count in (("skus", 1), ("below", 1), ("in_flight", 1), ("failed", 2)):
        response = admin_client.get(rows["Brand LLC"].urls[key])
        assert response.status_code == 200, key
        assert response.context["cl"].result_count == count, key
    assert admin_client.get(accounts_dashboard_get()["total"].urls["failed"]).context["cl"].result_count == 3


def test_the_dashboard_shows_both_accounts_the_total_and_who_is_in_dry_run(admin_client, two_accounts):
    page = admin_client.get(INDEX).content.decode()

    table = page.split('id="dash-accounts"')[1].split("</table>")[0]
    assert table.count('class="account-row"') == 2
    assert "Ozon" in table and "Brand LLC" in table and 'id="account-total"' in table
    assert 'title="Price maintenance: Ozon 503"' in table
    assert "Dry run is on for Brand LLC" in page


def test_one_account_no_table(admin_client):
    SkuFactory()

    page = admin_client.get(INDEX).content.decode()

    assert accounts_dashboard_get() == {"rows": [], "total": None}
    assert 'id="dash-accounts"' not in page and "Dry run is on" not in page

"""Each account's last runs are the TaskRun rows named `<job>:<account id>`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ozonprice.account_runs import ACCOUNT_JOBS, account_runs_last
from ozonprice.accounts import account_run_name
from ozonprice.models import TaskRun
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def run(name: str, *, success: bool = True, summary: str = "ok") -> TaskRun:
    now = timezone.now()
    return TaskRun.objects.create(
        name=name, started_at=now - timedelta(seconds=5), stopped_at=now, success=success, summary=summary
    )


def test_each_account_gets_its_own_runs_of_every_watched_job_in_one_query(django_assert_num_queries):
    one, two = AccountFactory(), AccountFactory()
    run(f"monitor_products:{one.pk}", summary="synced 10")
    run(f"maintain_mrpc_prices:{two.pk}", success=False, summary="Ozon 503")
    run("monitor_products")  # a run from before accounts belongs to none

    with django_assert_num_queries(1):
        runs = account_runs_last(account_ids=[one.pk, two.pk])

    assert [job for job, _title, _run in runs[one.pk]] == [job for job, _title in ACCOUNT_JOBS]
    by_job = {pk: {job: found for job, _title, found in rows} for pk, rows in runs.items()}
    assert by_job[one.pk]["monitor_products"].summary == "synced 10"
    assert by_job[one.pk]["maintain_mrpc_prices"] is None
    assert by_job[two.pk]["monitor_products"] is None
    assert by_job[two.pk]["maintain_mrpc_prices"].success is False


def test_the_run_name_is_the_agreed_one():
    assert account_run_name("guard_promotions", 3) == "guard_promotions:3"

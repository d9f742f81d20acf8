"""The dashboard's last run of a task: django-q2's task table or the run's own record, whichever is newer."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Task

from console.dashboard import dashboard_get
from ozonprice.accounts import AccountError
from ozonprice.models import TaskRun
from ozonprice.task_runs import task_run_recorded
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


class Result:
    def __init__(self, *, ok=True, dry_run=False, skipped=False):
        self.ok, self.dry_run, self.skipped = ok, dry_run, skipped

    def summary(self) -> str:
        return f"ran ok={self.ok}"


@task_run_recorded("monitor_products")
def service(*, account, product_ids=None, **flags) -> Result:
    assert account is not None  # the decorator resolves it
    return Result(**flags)


def last(name: str):
    return next(task for task in dashboard_get()["tasks"] if task.name == name)


def test_a_whole_run_is_recorded_and_shown(account):
    assert last("monitor_products").stopped is None  # «never»
    service(ok=False)
    shown = last("monitor_products")
    assert shown.stopped is not None and shown.success is False and shown.result == "ran ok=False"


@pytest.mark.parametrize("flags", [{"product_ids": [1]}, {"dry_run": True}, {"skipped": True}])
def test_partial_dry_and_skipped_runs_are_not_the_last_run(account, flags):
    service(**flags)
    assert not TaskRun.objects.exists()


def test_the_newer_of_the_clusters_task_and_the_record_wins():
    now = timezone.now()
    TaskRun.objects.create(
        name="monitor_products",
        started_at=now - timedelta(hours=2),
        stopped_at=now - timedelta(hours=2),
        success=False,
        summary="old command run",
    )
    Task.objects.create(
        id="a" * 32,
        name="t",
        func="catalog.tasks.monitor_products",
        group="monitor_products",
        started=now - timedelta(minutes=2),
        stopped=now - timedelta(minutes=1),
        success=True,
        result="cluster run",
    )
    assert last("monitor_products").result == "cluster run"
    TaskRun.objects.filter(name="monitor_products").update(stopped_at=now, summary="command run")
    assert last("monitor_products").result == "command run" and last("monitor_products").url == ""


def test_a_second_run_overwrites_the_first_record(account):
    service(ok=False)
    service(ok=True)
    (row,) = TaskRun.objects.all()
    assert (row.name, row.success, row.summary) == (f"monitor_products:{account.pk}", True, "ran ok=True")


def test_each_account_has_its_own_record_and_several_need_one_named(account):
    other = AccountFactory()

    service(account=account, ok=True)
    service(account=other, ok=False)

    records = dict(TaskRun.objects.values_list("name", "success"))
    assert records == {f"monitor_products:{account.pk}": True, f"monitor_products:{other.pk}": False}
    with pytest.raises(AccountError):
        service(ok=True)

"""Reads of django-q2's tables: a task's last run, by schedule group or by function, and a schedule's next run."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule, Task

from ozonprice.selectors import job_names, schedule_next_run, task_last_run

pytestmark = pytest.mark.django_db


def task(pk: str, *, stopped, success=True, group="", func="x.y") -> Task:
    return Task.objects.create(
        id=pk * 32, name=pk, func=func, group=group, started=stopped, stopped=stopped, success=success
    )


def test_the_last_run_is_found_by_the_schedules_group_or_by_the_tasks_function():
    now = timezone.now()
    task("a", stopped=now - timedelta(hours=2), group="monitor_products")
    by_hand = task("b", stopped=now - timedelta(hours=1), func="catalog.tasks.monitor_products", success=False)
    task("c", stopped=now, group="another_job")

    last = task_last_run(name="monitor_products")

    assert (last.stopped, last.success) == (by_hand.stopped, False)
    assert task_last_run(name="monitor_products", success=True).stopped == now - timedelta(hours=2)


def test_a_task_that_never_ran_has_no_last_run():
    assert task_last_run(name="monitor_products") is None


def test_a_schedules_next_run_or_none_when_not_installed():
    when = timezone.now() + timedelta(minutes=5)
    Schedule.objects.create(name="monitor_products", func="catalog.tasks.monitor_products", next_run=when)

    assert schedule_next_run(name="monitor_products") == when
    assert schedule_next_run(name="nope") is None


def test_the_job_names_include_the_catalogue_monitor():
    assert "monitor_products" in job_names()

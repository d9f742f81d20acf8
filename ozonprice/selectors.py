"""Reads about the background tasks, from django-q2's own tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django_q.models import Schedule, Task

from ozonprice.models import RuntimeSettings
from ozonprice.schedule import jobs


@dataclass(frozen=True)
class TaskRun:
    name: str
    stopped: datetime
    success: bool


def _job_filter(name: str) -> Q:
    # A scheduled run carries the schedule's name as its group; a run queued by
    # hand (admin action, async_task) is found by its function.
    funcs = [job.func for job in jobs(RuntimeSettings(pk=RuntimeSettings.SINGLETON_PK)) if job.name == name]
    return Q(group=name) | Q(func__in=funcs)


def task_last_run(*, name: str, success: bool | None = None) -> TaskRun | None:
    """The latest finished run of the task `name` (optionally only successful or failed ones)."""
    runs = Task.objects.filter(_job_filter(name))
    if success is not None:
        runs = runs.filter(success=success)
    row = runs.order_by("-stopped").values("stopped", "success").first()
    return TaskRun(name=name, stopped=row["stopped"], success=row["success"]) if row else None


def schedule_next_run(*, name: str) -> datetime | None:
    """When the schedule `name` fires next; None when it is not installed."""
    return Schedule.objects.filter(name=name).values_list("next_run", flat=True).first()


def job_names() -> list[str]:
    return [job.name for job in jobs(RuntimeSettings(pk=RuntimeSettings.SINGLETON_PK))]

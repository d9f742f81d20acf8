"""Every django-q2 schedule of ozonprice, in code.

`manage.py setup_schedules` installs them with `update_or_create(name=…)`, so
running it again changes nothing but the intervals. Nothing is scheduled at
import time (django-q2#102: duplicate schedules on every start).
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django_q.models import Schedule

from ozonprice.leases import slot_claim
from ozonprice.models import RuntimeSettings
from ozonprice.runs import task_run

logger = logging.getLogger(__name__)

# Pushes left `sent` (Ozon had not finished within the request's budget) are settled this often.
REPOLL_IMAGE_PUSHES_MINUTES = 5


class TaskFailed(RuntimeError):
    """Raised by a task function so django-q2 records the run as failed; the message is the summary."""


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    minutes: int


def jobs(rs: RuntimeSettings) -> list[Job]:
    return [
        Job("monitor_products", "catalog.tasks.monitor_products", rs.monitoring_interval),
        Job("maintain_mrpc_prices", "pricing.tasks.maintain_mrpc_prices", rs.price_update_interval),
        Job("verify_price_changes", "pricing.tasks.verify_price_changes", 1),
        Job("guard_promotions", "pricing.tasks.guard_promotions", rs.guard_interval),
        Job("repoll_image_pushes", "imagepush.tasks.repoll_image_pushes", REPOLL_IMAGE_PUSHES_MINUTES),
        Job("purge_logs", "auditlog.tasks.purge_logs", 24 * 60),
    ]


def schedules_install() -> list[Schedule]:
    """Create or update every schedule from the runtime settings; idempotent."""
    rs = RuntimeSettings.load()
    installed = []
    with transaction.atomic():
        for job in jobs(rs):
            schedule, _created = Schedule.objects.update_or_create(
                name=job.name,
                defaults={
                    "func": job.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": job.minutes,
                    "repeats": -1,
                },
            )
            installed.append(schedule)
    return installed


def once_per_slot(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Make a scheduled task run at most once per slot of its schedule `name`.

    A second start in the same slot (another cluster's scheduler, a broker
    re-delivery) returns "skipped" without doing anything. Each start is a
    task run named `name` (`ozonprice.runs`): its log lines and audit rows
    carry one run id.
    """

    def decorate(task: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(task)
        @task_run(name)
        def run(*args, **kwargs) -> str:
            minutes = {job.name: job.minutes for job in jobs(RuntimeSettings.load())}[name]
            if not slot_claim(name, minutes=minutes):
                logger.info("%s skipped: this slot already ran", name)
                return f"skipped: this {name} slot already ran"
            return task(*args, **kwargs)

        return run

    return decorate

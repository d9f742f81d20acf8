"""Every django-q2 schedule of ozonprice, in code.

`manage.py setup_schedules` installs them with `update_or_create(name=…)`, so
running it again changes nothing but the intervals. Nothing is scheduled at
import time (django-q2#102: duplicate schedules on every start).
"""

from dataclasses import dataclass

from django.db import transaction
from django_q.models import Schedule

from ozonprice.models import RuntimeSettings


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

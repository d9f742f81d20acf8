"""Every django-q2 schedule of ozonprice, in code.

`manage.py setup_schedules` installs them with `update_or_create(name=…)`, so
running it again changes nothing but the intervals. Nothing is scheduled at
import time (django-q2#102: duplicate schedules on every start).

The catalogue and price jobs run per Ozon account: one schedule each, named
`<job>:<account id>` with the kwargs `{"account_id": …}`, for every active
account. Their slot claims, leases and recorded runs carry the same name, so
one account's slow Ozon never delays another's and a failure is that
account's. Image re-polls and the purge stay global.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django_q.models import Schedule

from ozonprice.accounts import AccountError, account_resolve, account_run_name
from ozonprice.leases import slot_claim
from ozonprice.models import Account, RuntimeSettings
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
    per_account: bool = False


def jobs(rs: RuntimeSettings) -> list[Job]:
    return [
        Job("monitor_products", "catalog.tasks.monitor_products", rs.monitoring_interval, per_account=True),
        Job("maintain_mrpc_prices", "pricing.tasks.maintain_mrpc_prices", rs.price_update_interval, per_account=True),
        Job("verify_price_changes", "pricing.tasks.verify_price_changes", 1, per_account=True),
        Job("guard_promotions", "pricing.tasks.guard_promotions", rs.guard_interval, per_account=True),
        Job("repoll_image_pushes", "imagepush.tasks.repoll_image_pushes", REPOLL_IMAGE_PUSHES_MINUTES),
        Job("purge_logs", "auditlog.tasks.purge_logs", 24 * 60),
    ]


def schedules_install() -> list[Schedule]:
    """Create or update every schedule from the runtime settings and the active accounts; idempotent.

    Per-account schedules of accounts deleted or paused since, and the
    un-suffixed ones from before accounts, are removed.
    """
    rs = RuntimeSettings.load()
    installed = []
    with transaction.atomic():
        account_ids = list(Account.objects.filter(active=True).order_by("id").values_list("id", flat=True))
        for job in jobs(rs):
            targets = [(account_run_name(job.name, pk), {"account_id": pk}) for pk in account_ids]
            for name, kwargs in targets if job.per_account else [(job.name, {})]:
                schedule, _created = Schedule.objects.update_or_create(
                    name=name,
                    defaults={
                        "func": job.func,
                        "kwargs": kwargs,
                        "schedule_type": Schedule.MINUTES,
                        "minutes": job.minutes,
                        "repeats": -1,
                    },
                )
                installed.append(schedule)
            if job.per_account:
                stale = Schedule.objects.filter(func=job.func).exclude(name__in=[name for name, _kw in targets])
                stale.delete()
    return installed


def once_per_slot(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Make a scheduled task run at most once per slot of its schedule `name`.

    A second start in the same slot (another cluster's scheduler, a broker
    re-delivery) returns "skipped" without doing anything. Each start is a
    task run named `name` (`ozonprice.runs`): its log lines and audit rows
    carry one run id.

    A per-account job is called with `account_id` (its schedule's kwargs): the
    slot and the run are that account's (`<job>:<account id>`), and the task
    gets the account itself, loaded once here (none given: the only account,
    as an old schedule without kwargs would call it). An account deleted or
    paused since its schedule was made is skipped quietly: nothing failed.
    """

    def decorate(task: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(task)
        def run(*args, account_id: int | None = None, **kwargs) -> str:
            job = {job.name: job for job in jobs(RuntimeSettings.load())}[name]
            if not job.per_account:
                return _slot_run(task, name, job.minutes, args, kwargs)
            account, skip = _task_account(name, account_id)
            if account is None:
                logger.info("%s %s", name, skip)
                return skip
            return _slot_run(task, account_run_name(name, account), job.minutes, args, {**kwargs, "account": account})

        return run

    return decorate


def _slot_run(task: Callable[..., str], name: str, minutes: int, args, kwargs) -> str:
    with task_run(name):
        if not slot_claim(name, minutes=minutes):
            logger.info("%s skipped: this slot already ran", name)
            return f"skipped: this {name} slot already ran"
        return task(*args, **kwargs)


def _task_account(name: str, account_id: int | None) -> tuple[Account | None, str]:
    """The active account a per-account task runs for, or None and why it is skipped."""
    if account_id is None:
        try:
            return account_resolve(among=Account.objects.filter(active=True)), ""
        except AccountError as error:
            return None, f"skipped: {error}"
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        return None, f"skipped: account {account_id} is gone"
    if not account.active:
        return None, f"skipped: account {account.name} is paused"
    return account, ""


def account_schedules_reinstall(sender, instance: Account, **kwargs) -> None:
    """post_save/post_delete of an account: its schedules start, stop or follow (connected in `ozonprice.apps`)."""
    if kwargs.get("raw"):  # loaddata: the fixture's own rows, no side effects
        return
    schedules_install()

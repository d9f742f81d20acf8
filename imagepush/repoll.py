"""Settle pushes an earlier run left `sent` (Ozon had not finished its import task: the API's 504).

A scheduled run (`imagepush.tasks.repoll_image_pushes`) reads
`/v1/product/import/info` once per task id, oldest first and at most
`REPOLL_MAX_TASKS` tasks per run, applies the items Ozon has finished, reads
the pictures Ozon holds now and writes the outcome, as a push run would have
(`imagepush.steps`). Items still `pending` stay `sent` for the next run; a push
Ozon has not finished after `REPOLL_GIVE_UP` is failed, so it is not polled
forever. Pushes younger than `REPOLL_MIN_AGE` are left to the run that sent
them (it may still be polling).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from django.utils import timezone

from imagepush.models import ImagePush, PushStatus
from imagepush.outcomes import Kind, PushOutcome
from imagepush.steps import pictures_confirm, pushes_finish, task_items_apply
from ozonprice.accounts import AccountError, account_resolve
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ozon_pictures import IMPORT_MAX_ITEMS
from ozonprice.leases import task_lease
from ozonprice.models import Account
from ozonprice.runs import RunResult, run_summary_log

logger = logging.getLogger(__name__)

LEASE = "repoll_image_pushes"
REPOLL_MAX_TASKS = 20
REPOLL_MIN_AGE = timedelta(minutes=2)
REPOLL_GIVE_UP = timedelta(hours=24)


@dataclass
class RepollResult(RunResult[str]):
    run_name: ClassVar[str] = "image push re-poll"

    tasks: int = 0
    settled: int = 0
    # Of the settled pushes, those Ozon finished without an error.
    settled_ok: int = 0
    pending: int = 0
    gave_up: int = 0

    @property
    def ok(self) -> bool:
        # A re-poll has no run-wide failure of its own: any task it could not read fails it.
        return not self.errors and not self.error

    def details(self) -> str:
        return (
            f"tasks {self.tasks}, settled {self.settled} "
            f"(ok {self.settled_ok}), still pending {self.pending}, given up {self.gave_up}, errors {len(self.errors)}"
        )


def image_pushes_repoll(*, client: OzonClient | None = None, max_tasks: int = REPOLL_MAX_TASKS) -> RepollResult:
    """One bounded re-poll of the pushes left `sent`; never raises for Ozon trouble."""
    result = RepollResult()
    with task_lease(LEASE) as lease:
        if lease is None:
            result.skipped = True
            return result
        now = timezone.now()
        result.gave_up = _give_up(now - REPOLL_GIVE_UP)
        by_task = _waiting(older_than=now - REPOLL_MIN_AGE, max_tasks=max_tasks)
        clients = _Clients(client)
        try:
            for task_id, pushes in by_task.items():
                if lease.lost:
                    break
                try:
                    # One task is one push run's: its pushes share an account.
                    task_client = clients.of(pushes[0].account)
                except (ApiError, AccountError) as error:
                    result.errors.append(f"import task {task_id}: {getattr(error, 'message', error)}")
                    result.pending += len(pushes)
                    continue
                _settle(task_id, pushes, task_client, result)
        finally:
            clients.close()
    run_summary_log(
        logger, result, counts={"tasks": result.tasks, "settled": result.settled, "pending": result.pending}
    )
    return result


class _Clients:
    """One Ozon client per account, made on first use: each push is re-polled with its own account's credentials.

    A push of no account (the caller's own credentials, never stored) is re-polled with the only account's,
    as before accounts; `client`, when given, serves every push.
    """

    def __init__(self, client: OzonClient | None) -> None:
        self.given = client
        self.made: dict[int, OzonClient] = {}

    def of(self, account: Account | None) -> OzonClient:
        if self.given is not None:
            return self.given
        account = account or account_resolve()
        if account.pk not in self.made:
            self.made[account.pk] = OzonClient.of(account)
        return self.made[account.pk]

    def close(self) -> None:
        for made in self.made.values():
            made.close()


def _waiting(*, older_than, max_tasks: int) -> dict[int, list[ImagePush]]:
    """The oldest `max_tasks` task ids with pushes still `sent`, and their pushes."""
    rows = ImagePush.objects.filter(
        status=PushStatus.SENT, task_id__isnull=False, sent_at__lte=older_than
    ).select_related("account")
    by_task: dict[int, list[ImagePush]] = {}
    # One task holds at most IMPORT_MAX_ITEMS pushes: this many rows cover `max_tasks` tasks.
    for push in rows.order_by("sent_at", "id")[: max_tasks * IMPORT_MAX_ITEMS]:
        assert push.task_id is not None, "filtered on task_id__isnull=False"
        if push.task_id in by_task or len(by_task) < max_tasks:
            by_task.setdefault(push.task_id, []).append(push)
    return by_task


def _settle(task_id: int, pushes: list[ImagePush], client: OzonClient, result: RepollResult) -> None:
    result.tasks += 1
    try:
        items = client.import_info(task_id)
    except ApiError as error:
        # Transient or not, the pushes stay `sent`: the give-up age ends them if Ozon never answers.
        result.errors.append(f"import task {task_id}: {error.message}")
        result.pending += len(pushes)
        return
    outcomes = [PushOutcome(push=push) for push in pushes]
    task_items_apply(task_id, outcomes, items)
    settled = [o for o in outcomes if o.push.status != PushStatus.SENT]
    for outcome in settled:
        if outcome.kind == Kind.OK:
            outcome.push.error = ""  # the earlier run's "still pending" no longer holds
    pictures_confirm(settled, client)
    pushes_finish(settled)
    result.settled += len(settled)
    result.settled_ok += sum(o.ok for o in settled)
    result.pending += len(outcomes) - len(settled)
    for outcome in settled:
        logger.info("image push %s settled: %s", outcome.push.pk, outcome.summary())


def _give_up(before) -> int:
    """Fail the pushes Ozon has not finished in `REPOLL_GIVE_UP`: their task will not be polled again."""
    return ImagePush.objects.filter(status=PushStatus.SENT, sent_at__lt=before).update(
        status=PushStatus.FAILED,
        error=f"Ozon API error: the import task was still pending after {REPOLL_GIVE_UP.total_seconds() / 3600:g} h; "
        "check the product's pictures or push again",
        finished_at=timezone.now(),
    )

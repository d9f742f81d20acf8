"""Background jobs started from the admin: remote work on many SKUs, with visible progress.

The admin creates an `AdminJob` row and queues `pricing.tasks.admin_job_run`
with the row's id only (never credentials: the worker reads them itself). The
worker claims the row, runs one service over the row's product ids, reports
progress after each chunk and stores the outcome's counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone
from django_q.tasks import async_task

from catalog.services.showcase import showcase_prices_fetch
from imagepush.models import PushStatus
from imagepush.services import image_pushes_send
from ozonprice.accounts import account_resolve
from ozonprice.models import Account
from ozonprice.runs import task_run
from pricing.models import AdminJob, JobKind, JobStatus, Reason
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard

logger = logging.getLogger(__name__)

# Item errors kept on the job row; the rest are counted, not stored.
MAX_STORED_ERRORS = 500


def admin_job_start(
    *,
    kind: str,
    product_ids: Iterable[int],
    actor: str,
    params: dict[str, Any] | None = None,
    account: Account | None = None,
) -> AdminJob:
    """Record the job and queue it; under `Q_CLUSTER["sync"]` (tests) it has run when this returns.

    The job runs over `account`'s products (None: the only account): product ids are
    unique per account only, so the job carries its account's id (`params["account_id"]`).
    `params`: ids only, never credentials (an image push's `push_ids`).
    """
    account = account if account is not None else account_resolve()
    ids = sorted({int(pid) for pid in product_ids})
    job = AdminJob.objects.create(
        kind=kind,
        product_ids=ids,
        total=len(ids),
        created_by=actor[:150],
        params={**(params or {}), "account_id": account.pk},
    )
    async_task("pricing.tasks.admin_job_run", job.pk, task_name=f"admin_job_{job.pk}", group="admin_job")
    job.refresh_from_db()
    return job


@task_run("admin_job_run")
def admin_job_run(*, job_id: int) -> AdminJob:
    """Run a queued job once; a second delivery of the same job does nothing."""
    now = timezone.now()
    if not AdminJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING, started_at=now):
        return AdminJob.objects.get(pk=job_id)
    job = AdminJob.objects.get(pk=job_id)

    def progress(done: int) -> None:
        AdminJob.objects.filter(pk=job.pk).update(done=min(done, job.total))

    errors: Sequence[Mapping[str, str | None]]  # each service's item errors (the guard's may lack a product_id)
    try:
        account = job_account(job)
        if job.kind == JobKind.SHOWCASE_FETCH:
            fetched = showcase_prices_fetch(account=account, product_ids=job.product_ids, on_progress=progress)
            job.result = {"source": fetched.source, "fetched": fetched.fetched, "updated": fetched.updated}
            job.error, errors = fetched.error, fetched.errors
        elif job.kind == JobKind.PRICES_UPDATE:
            maintained = prices_maintain(
                account=account,
                product_ids=job.product_ids,
                reason=Reason.ADMIN,
                actor=job.created_by,
                on_progress=progress,
            )
            job.result = {
                name: getattr(maintained, name)
                for name in (
                    "dry_run",
                    "skipped",
                    "planned",
                    "sent",
                    "rejected",
                    "failed",
                    "held",
                    "unchanged",
                    "in_flight",
                    "unknown",
                    "over_budget",
                    "refused_before",
                    "import_calls",
                )
            }
            job.error, errors = maintained.error, maintained.errors
        elif job.kind == JobKind.GUARD_PROMOTIONS:
            guarded = promotions_guard(
                account=account, product_ids=job.product_ids, reason=Reason.ADMIN, actor=job.created_by
            )
            job.result = {
                name: getattr(guarded, name)
                for name in (
                    "mode",
                    "skipped",
                    "breaches",
                    "reported",
                    "removed",
                    "refused",
                    "failed",
                    "timers_lapsed",
                    "timers_renewed",
                    "requests_seen",
                    "declined",
                    "decline_refused",
                )
            }
            job.error, errors = guarded.error, guarded.errors
        elif job.kind == JobKind.IMAGE_PUSH:
            job.result, errors = _image_push_run(job, progress)
        else:
            raise ValueError(f"unknown job kind {job.kind!r}")
    except Exception as error:
        logger.exception("admin job %s failed", job.pk)
        job.status, job.error, errors = JobStatus.FAILED, str(error) or error.__class__.__name__, []
    else:
        job.status = JobStatus.FAILED if job.error or job.result.get("skipped") else JobStatus.DONE
    job.errors = errors[:MAX_STORED_ERRORS]
    job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "error", "errors", "done", "finished_at"])
    return job


def job_account(job: AdminJob) -> Account:
    """The account the job runs over; a job queued before accounts: the only one. Raises Account.DoesNotExist."""
    account_id = job.params.get("account_id")
    return account_resolve() if account_id is None else Account.objects.get(pk=account_id)


def _image_push_run(job: AdminJob, progress) -> tuple[dict[str, int], list[dict[str, str]]]:
    """Send the pushes the admin form recorded; a push Ozon has not finished stays `sent` for the re-poll."""
    outcomes = image_pushes_send(push_ids=job.params.get("push_ids", []), on_progress=progress)
    pending = sum(outcome.push.status == PushStatus.SENT for outcome in outcomes)
    ok = sum(outcome.ok for outcome in outcomes)
    result = {"pushes": len(outcomes), "ok": ok, "pending": pending, "failed": len(outcomes) - ok - pending}
    errors = [
        {"product_id": str(outcome.push.product_id), "error": outcome.push.error}
        for outcome in outcomes
        if not outcome.ok
    ]
    return result, errors

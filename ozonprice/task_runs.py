"""The last run of each background task, as the run itself records it.

A service decorated with `task_run_recorded(job)` writes one `TaskRun` row
(`<job>:<account id>`, upserted by name) when a whole run ends, whoever started it: django-q2's
schedule, a management command or `make run`. Partial runs (a manager's
selection of SKUs), dry runs and runs skipped for the lease are not whole runs
and leave the record as it was.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from ozonprice.accounts import account_resolve, account_run_name
from ozonprice.db import rows_insert
from ozonprice.models import Account, TaskRun

logger = logging.getLogger(__name__)

SUMMARY_MAX_CHARS = 1000


def task_run_record(*, name: str, started_at, success: bool, summary: str) -> None:
    """Upsert the last run of task `name`; a database error is logged, never raised (the run itself is done)."""
    run = TaskRun(
        name=name,
        started_at=started_at,
        stopped_at=timezone.now(),
        success=success,
        summary=summary[:SUMMARY_MAX_CHARS],
    )
    try:
        # One statement (an upsert): a sync's query budget is per page, not per bookkeeping.
        rows_insert([run], upsert_on="name", update_fields=["started_at", "stopped_at", "success", "summary"])
    except DatabaseError as error:
        logger.warning("%s: could not record the run (%s)", name, error)


def task_run_recorded[F: Callable[..., Any]](job: str) -> Callable[[F], F]:
    """One Ozon account's service: resolve its `account` (None: the only one) and record each whole run.

    The decorated service always gets the account (`ozonprice.accounts.account_resolve`:
    several accounts and none named is an `AccountError` naming `account`). Its
    whole runs are recorded as `<job>:<account id>`; partial runs (`product_ids`),
    dry runs and runs skipped for the lease leave the record as it was.
    """

    def decorate(service: F) -> F:
        @functools.wraps(service)
        def run(*args: Any, account: Account | None = None, **kwargs: Any) -> Any:
            account = account if account is not None else account_resolve()
            started_at = timezone.now()
            result = service(*args, account=account, **kwargs)
            whole = kwargs.get("product_ids") is None and not getattr(result, "dry_run", False)
            if whole and not getattr(result, "skipped", False):
                task_run_record(
                    name=account_run_name(job, account),
                    started_at=started_at,
                    success=result.ok,
                    summary=result.summary(),
                )
            return result

        return run  # type: ignore[return-value]

    return decorate

"""The last run of each background task, as the run itself records it.

A service decorated with `task_run_recorded(name)` writes one `TaskRun` row
(upserted by name) when a whole run ends, whoever started it: django-q2's
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

from ozonprice.db import rows_insert
from ozonprice.models import TaskRun

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


def task_run_recorded[F: Callable[..., Any]](name: str) -> Callable[[F], F]:
    """Record each whole run of the decorated service (its result has `ok` and `summary()`).

    A service of one Ozon account (keyword `account`) records `<name>:<account id>`:
    the account passed, or the only one there is when none was (as the service
    itself resolves it). Without an account to name, the run goes by `name`.
    """

    def decorate(service: F) -> F:
        @functools.wraps(service)
        def run(*args: Any, **kwargs: Any) -> Any:
            started_at = timezone.now()
            result = service(*args, **kwargs)
            whole = kwargs.get("product_ids") is None and not getattr(result, "dry_run", False)
            if whole and not getattr(result, "skipped", False):
                task_run_record(
                    name=_run_name(name, kwargs.get("account")),
                    started_at=started_at,
                    success=result.ok,
                    summary=result.summary(),
                )
            return result

        return run  # type: ignore[return-value]

    return decorate


def _run_name(name: str, account: Any) -> str:
    from ozonprice.accounts import AccountError, account_resolve
    from ozonprice.schedule import account_run_name

    if account is None:
        try:
            account = account_resolve()
        except AccountError:  # none, or several and the service was not told which: nothing to name
            return name
    return account_run_name(name, account)

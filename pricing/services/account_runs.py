"""A pricing run is one Ozon account's run: which account, its lease, and the record of its whole run.

Every pricing service that talks to Ozon takes `account=` (keyword-only). None
means the only account there is (`ozonprice.accounts.account_resolve`: several
accounts and none named is an `AccountError` naming the `account` field). The
lease and the `TaskRun` row of a run carry the account's id (`<job>:<id>`), so
one account's slow Ozon never blocks another's run, and a failure is reported
for the account it happened in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from ozonprice.accounts import account_resolve
from ozonprice.models import Account
from ozonprice.task_runs import task_run_record


def account_run_name(job: str, account: Account) -> str:
    """The per-account name of a job's lease, slot and last-run record: "maintain_mrpc_prices:3"."""
    return f"{job}:{account.pk}"


def account_run_recorded[F: Callable[..., Any]](job: str) -> Callable[[F], F]:
    """Resolve the service's `account` (None → the only one) and record each whole run as `<job>:<account id>`.

    Partial runs (`product_ids` given), dry runs and runs skipped for the lease
    leave the record as it was, as `ozonprice.task_runs.task_run_recorded` does.
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

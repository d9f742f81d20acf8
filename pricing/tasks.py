"""django-q2 task functions: thin wrappers over the pricing services.

Each scheduled task runs one account (`account_id`, the schedule's kwargs); None
means the only one. An account deleted or paused since the schedule was made is
skipped, not failed: it has nothing to run.
"""

from ozonprice.models import Account
from ozonprice.schedule import TaskFailed, once_per_slot
from pricing.services.jobs import admin_job_run as admin_job_run_service
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard
from pricing.services.verify import price_changes_verify


class AccountGone(Exception):
    """The task's account was deleted or paused: the run is skipped (its message says why, as a task log line,
    in English like the slot's "skipped")."""


def _account(account_id: int | None) -> Account | None:
    """The task's account; None: the only one (the service resolves it). Raises AccountGone."""
    if account_id is None:
        return None
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        raise AccountGone(f"skipped: account {account_id} is gone")
    if not account.active:
        raise AccountGone(f"skipped: account {account.name} is paused")
    return account


@once_per_slot("maintain_mrpc_prices")
def maintain_mrpc_prices(account_id: int | None = None) -> str:
    """Send the price changes the account's active SKUs need (schedule: every `price_update_interval` minutes)."""
    try:
        account = _account(account_id)
    except AccountGone as gone:
        return str(gone)
    result = prices_maintain(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


@once_per_slot("verify_price_changes")
def verify_price_changes(account_id: int | None = None) -> str:
    """Check the account's sent changes on Ozon and on the showcase (schedule: every minute)."""
    try:
        account = _account(account_id)
    except AccountGone as gone:
        return str(gone)
    result = price_changes_verify(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


@once_per_slot("guard_promotions")
def guard_promotions(account_id: int | None = None) -> str:
    """The account's storefront guard: promotions under MRPC, min-price timers, discount requests
    (schedule: every `guard_interval` minutes; its own lease inside the service)."""
    try:
        account = _account(account_id)
    except AccountGone as gone:
        return str(gone)
    result = promotions_guard(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


def admin_job_run(job_id: int) -> str:
    """A manager's background job (`AdminJob`); the argument is the row's id only."""
    job = admin_job_run_service(job_id=job_id)
    return f"admin job {job.pk} ({job.kind}): {job.status}"

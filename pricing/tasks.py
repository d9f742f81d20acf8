"""django-q2 task functions: thin wrappers over the pricing services.

Each scheduled task runs one account (`account_id`, the schedule's kwargs);
`once_per_slot` loads it, skips an account deleted or paused since (nothing
failed), and passes the account itself (the only one when a schedule from
before accounts gives no id).
"""

from ozonprice.models import Account
from ozonprice.schedule import TaskFailed, once_per_slot
from pricing.services.jobs import admin_job_run as admin_job_run_service
from pricing.services.maintain import prices_maintain
from pricing.services.promotions import promotions_guard
from pricing.services.verify import price_changes_verify


@once_per_slot("maintain_mrpc_prices")
def maintain_mrpc_prices(account: Account) -> str:
    """Send the price changes the account's active SKUs need (schedule: every `price_update_interval` minutes)."""
    result = prices_maintain(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


@once_per_slot("verify_price_changes")
def verify_price_changes(account: Account) -> str:
    """Check the account's sent changes on Ozon and on the showcase (schedule: every minute)."""
    result = price_changes_verify(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


@once_per_slot("guard_promotions")
def guard_promotions(account: Account) -> str:
    """The account's storefront guard: promotions under MRPC, min-price timers, discount requests
    (schedule: every `guard_interval` minutes; its own lease inside the service)."""
    result = promotions_guard(account=account)
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()


def admin_job_run(job_id: int) -> str:
    """A manager's background job (`AdminJob`); the argument is the row's id only."""
    job = admin_job_run_service(job_id=job_id)
    return f"admin job {job.pk} ({job.kind}): {job.status}"

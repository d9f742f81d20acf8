"""django-q2 task functions: thin wrappers over the catalogue services."""

from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.accounts import account_run_name
from ozonprice.leases import task_lease
from ozonprice.models import Account
from ozonprice.schedule import TaskFailed, once_per_slot


@once_per_slot("monitor_products")
def monitor_products(account: Account) -> str:
    """One account's full catalogue sync, then fresh showcase prices (schedule: every `monitoring_interval`
    minutes, one schedule per active account, called with `account_id`; `once_per_slot` skips a gone or
    paused account and passes the account itself)."""
    name = account_run_name("monitor_products", account)
    with task_lease(name) as held:
        if not held:
            return f"skipped: another {name} run is in progress"
        result = sku_sync_all(account=account)
        if not result.ok:
            raise TaskFailed(result.summary())
        showcase = showcase_prices_fetch(account=account)
    if not showcase.ok:
        raise TaskFailed(f"{result.summary()}; {showcase.summary()}")
    return f"{result.summary()}; {showcase.summary()}"

"""django-q2 task functions: thin wrappers over the catalogue services."""

from catalog.services.showcase import showcase_prices_fetch
from catalog.services.sync import sku_sync_all
from ozonprice.leases import task_lease
from ozonprice.schedule import TaskFailed, once_per_slot


@once_per_slot("monitor_products")
def monitor_products() -> str:
    """Full catalogue sync, then fresh showcase prices (schedule: every `monitoring_interval` minutes)."""
    with task_lease("monitor_products") as held:
        if not held:
            return "skipped: another monitor_products run is in progress"
        result = sku_sync_all()
        if not result.ok:
            raise TaskFailed(result.summary())
        showcase = showcase_prices_fetch()
    if not showcase.ok:
        raise TaskFailed(f"{result.summary()}; {showcase.summary()}")
    return f"{result.summary()}; {showcase.summary()}"

"""django-q2 task functions: thin wrappers over the catalogue services."""

from catalog.services import sku_sync_all
from ozonprice.leases import task_lease


class TaskFailed(RuntimeError):
    """Raised so django-q2 records the run as failed; the message is the summary."""


def monitor_products() -> str:
    """Full catalogue sync (schedule: every `monitoring_interval` minutes)."""
    with task_lease("monitor_products") as held:
        if not held:
            return "skipped: another monitor_products run is in progress"
        result = sku_sync_all()
    if not result.ok:
        raise TaskFailed(result.summary())
    return result.summary()

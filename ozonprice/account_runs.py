"""Each account's last runs: the `TaskRun` rows named `<job>:<account id>` (the agreed per-account run names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ozonprice.accounts import account_run_name
from ozonprice.models import TaskRun

# The per-account jobs a manager watches, in the order shown.
ACCOUNT_JOBS = (
    ("monitor_products", _("Catalogue sync")),
    ("maintain_mrpc_prices", _("Price maintenance")),
    ("verify_price_changes", _("Verification")),
    ("guard_promotions", _("Promotion guard")),
)


def account_runs_last(*, account_ids: list[int]) -> dict[int, list[tuple[str, str, TaskRun | None]]]:
    """Per account: (job, title, its last run or None) for every watched job, in one query."""
    names = [account_run_name(job, account_id) for account_id in account_ids for job, _title in ACCOUNT_JOBS]
    recorded = TaskRun.objects.in_bulk(names)
    return {
        account_id: [(job, str(title), recorded.get(account_run_name(job, account_id))) for job, title in ACCOUNT_JOBS]
        for account_id in account_ids
    }

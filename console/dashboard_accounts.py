"""The dashboard's table of accounts: each account's SKUs, changes and last runs, and the total.

Three grouped queries whatever the number of accounts (SKUs, changes, runs),
plus the accounts themselves; each number links to its list filtered to the
account (`?account=<id>`, the filter of `ozonprice.admin_switcher`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse

from catalog.models import Sku
from ozonprice.account_runs import account_runs_last
from ozonprice.admin_switcher import ALL, PARAMETER
from ozonprice.models import Account, TaskRun
from pricing.models import IN_FLIGHT_STATUSES, ChangeStatus, PriceChange

IN_FLIGHT = (ChangeStatus.PLANNED, *IN_FLIGHT_STATUSES)


@dataclass
class AccountRow:
    """One account's line (or the total's: `account` None)."""

    account: Account | None
    skus: int = 0
    active: int = 0
    below: int = 0
    held: int = 0
    in_flight: int = 0
    failed: int = 0
    runs: list[tuple[str, str, TaskRun | None]] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    def add(self, other: AccountRow) -> None:
        for name in ("skus", "active", "below", "held", "in_flight", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _urls(scope: str) -> dict[str, str]:
    skus = reverse("admin:catalog_sku_changelist")
    changes = reverse("admin:pricing_pricechange_changelist")

    def link(base: str, **params) -> str:
        return f"{base}?{urlencode({PARAMETER: scope, **params})}"

    return {
        "skus": link(skus),
        "active": link(skus, active__exact=1),
        "below": link(skus, below_mrpc="yes"),
        "held": link(changes, status__exact=ChangeStatus.HELD),
        "in_flight": link(changes, status__in=",".join(IN_FLIGHT), finished_at__isnull="True"),
        "failed": link(changes, status__exact=ChangeStatus.FAILED),
    }


def accounts_dashboard_get(*, accounts: list[Account] | None = None) -> dict:
    """Every account's row and the total; none with one account (the tiles above are its numbers)."""
    accounts = list(Account.objects.order_by("name", "id")) if accounts is None else accounts
    if len(accounts) < 2:
        return {"rows": [], "total": None}
    rows = {account.pk: AccountRow(account=account, urls=_urls(str(account.pk))) for account in accounts}
    total = AccountRow(account=None, urls=_urls(ALL))

    sku_counts = (
        Sku.objects.values_list("account")
        .annotate(
            n=Count("id"),
            active=Count("id", filter=Q(active=True)),
            below=Count("id", filter=Q(front_price__lt=F("mrpc"))),
        )
        .order_by()
    )
    for account_id, n, active, below in sku_counts:
        row = rows[account_id]  # every SKU belongs to an account (catalog 0008)
        row.skus, row.active, row.below = row.skus + n, row.active + active, row.below + below

    change_counts = (
        PriceChange.objects.filter(
            Q(status__in=(ChangeStatus.HELD, ChangeStatus.FAILED)) | Q(status__in=IN_FLIGHT, finished_at__isnull=True)
        )
        .values_list("sku__account", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for account_id, status, n in change_counts:
        row = rows[account_id]
        if status == ChangeStatus.HELD:
            row.held += n
        elif status == ChangeStatus.FAILED:
            row.failed += n
        else:
            row.in_flight += n

    for account_id, runs in account_runs_last(account_ids=list(rows)).items():
        rows[account_id].runs = runs
    for row in rows.values():
        total.add(row)
    return {"rows": list(rows.values()), "total": total}

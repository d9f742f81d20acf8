"""Recording what Ozon holds: sent changes with their history, and reconciliation.

A change whose import answer never came (timeout, 5xx, a worker killed
mid-call) is settled here by reading Ozon's v5 prices back, never by sending
it again. Ozon applies an accepted import seconds to minutes late, so a change
the read-back does not show yet is `unknown`, not failed: verification settles
it (applied once Ozon shows it, failed when the window ends) and maintenance
treats it as in flight meanwhile.

Maintenance calls in here (a batch whose answer never came, or the changes a
stopped run left) and adds the `ReconcileResult` it gets back into its own
counts; nothing here calls maintenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient, ProductPrice
from ozonprice.db import row_new, rows_insert, rows_update
from ozonprice.models import Account
from pricing.models import ChangeStatus, PriceChange, PriceHistory
from pricing.rules import holds


@dataclass
class ReconcileResult:
    """One reconciliation: how many changes were read back, and what became of them."""

    reconciled: int = 0
    # Ozon shows them: recorded as sent, with their history.
    sent: int = 0
    # Ozon does not show them yet: `unknown`, settled by verification.
    unknown: int = 0

    def __add__(self, other: ReconcileResult) -> ReconcileResult:
        return ReconcileResult(
            reconciled=self.reconciled + other.reconciled,
            sent=self.sent + other.sent,
            unknown=self.unknown + other.unknown,
        )


def change_shown(change: PriceChange, seen: ProductPrice | None) -> bool:
    """Whether Ozon's read-back prices (v5) show the change: its price and old price (the min price is not read)."""
    return seen is not None and holds(
        price=seen.price,
        old_price=seen.old_price,
        target_price=change.expected_price,
        target_old_price=change.expected_old_price,
    )


def changes_record_sent(changes: list[PriceChange], *, now: datetime) -> None:
    """Mark changes sent, append their history and store Ozon's new prices on the SKUs."""
    if not changes:
        return
    for change in changes:
        change.status, change.sent_at = ChangeStatus.SENT, now
    # By primary key, joined to the batch (PostgreSQL planned `id IN (1000 ids)` as a scan of the table).
    rows_update(changes, ["status", "sent_at"])
    changes_record_prices(changes, now=now, history=True)


def changes_record_prices(changes: list[PriceChange], *, now: datetime, history: bool) -> None:
    """Store the changes' prices on their SKUs (and, with `history`, append their history rows).

    Bumps each SKU's `price_version`, so that a sync which read Ozon's prices
    before this write does not overwrite it. Call inside the transaction that
    records the changes' status.
    """
    if not changes:
        return
    rows, skus = [], []
    for change in changes:
        sku = change.sku
        if history:
            rows.append(
                row_new(
                    PriceHistory,
                    sku_id=sku.id,
                    change_id=change.pk,
                    timestamp=now,
                    showcase_price=sku.front_price,
                    price_before=change.price_before,
                    old_price_before=change.old_price_before,
                    new_price=change.expected_price,
                    new_old_price=change.expected_old_price,
                    new_min_price=change.expected_min_price,
                    mrpc=sku.mrpc,
                    reason=change.reason,
                    actor=change.actor,
                )
            )
        sku.price, sku.old_price, sku.min_price = (
            change.expected_price,
            change.expected_old_price,
            change.expected_min_price,
        )
        if history:  # the first time the change is recorded: the SKU's price moved now
            sku.update_timestamp = now
        skus.append(sku)
    rows_insert(rows)
    # The version is raised in SQL, not from the loaded value (verification and maintenance may both
    # bump one SKU), and in the same UPDATE as the prices: each row is written once.
    rows_update(
        skus, [*Sku.PRICE_FIELDS, "update_timestamp"] if history else Sku.PRICE_FIELDS, increment=("price_version",)
    )


def changes_reconcile_batch(*, client: OzonClient, changes: list[PriceChange], cause: str) -> ReconcileResult:
    """Read Ozon's prices for changes with no known outcome; record what Ozon holds.

    A change Ozon holds is recorded as sent. One it does not show yet may
    still be applied (Ozon is late): it becomes `unknown`, is not sent again,
    and verification settles it. If the read fails too, the changes stay in
    flight (`planned`, dispatched) for the next run.
    """
    product_ids = [c.sku.product_id for c in changes]
    seen_by_product = {}
    for page in client.product_prices(product_ids=product_ids):
        seen_by_product.update({p.product_id: p for p in page})
    now = timezone.now()
    applied, unknown = [], []
    for change in changes:
        seen = seen_by_product.get(change.sku.product_id)
        if change_shown(change, seen):
            applied.append(change)
        else:
            # It went out at dispatch: the verification window runs from then.
            change.status, change.sent_at = ChangeStatus.UNKNOWN, change.dispatched_at or now
            change.error_message = _("No answer from Ozon (%(cause)s); waiting for Ozon to show the price") % {
                "cause": cause
            }
            unknown.append(change)
    with transaction.atomic():
        changes_record_sent(applied, now=now)
        rows_update(unknown, ["status", "sent_at", "error_message"])
    return ReconcileResult(reconciled=len(changes), sent=len(applied), unknown=len(unknown))


def changes_reconcile(*, client: OzonClient, account: Account | None = None) -> ReconcileResult:
    """Settle changes a previous run of this account dispatched but never recorded (it stopped mid-call).

    The account's only: `client` reads that account's prices, and another account's
    stale changes are its own run's to settle. None: the only account.
    """
    account = account if account is not None else account_resolve()
    stale = list(
        PriceChange.objects.filter(sku__account=account, status=ChangeStatus.PLANNED, dispatched_at__isnull=False)
        .select_related("sku")
        .order_by("id")
    )
    done = ReconcileResult()
    for start in range(0, len(stale), PAGE_LIMIT):
        done += changes_reconcile_batch(
            client=client, changes=stale[start : start + PAGE_LIMIT], cause=_("the previous run stopped mid-call")
        )
    return done

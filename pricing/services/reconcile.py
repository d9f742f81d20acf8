"""Recording what Ozon holds: sent changes with their history, and reconciliation.

A change whose import answer never came (timeout, 5xx, a worker killed
mid-call) is settled here by reading Ozon's v5 prices back, never by sending
it again.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.db import rows_insert, rows_update
from pricing.models import ChangeStatus, PriceChange, PriceHistory


def changes_record_sent(changes: list[PriceChange], *, now: datetime) -> None:
    """Mark changes sent, append their history and store Ozon's new prices on the SKUs."""
    if not changes:
        return
    PriceChange.objects.filter(pk__in=[c.pk for c in changes]).update(status=ChangeStatus.SENT, sent_at=now)
    history, skus = [], []
    for change in changes:
        sku = change.sku
        history.append(
            PriceHistory(
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
        sku.price, sku.old_price, sku.min_price = change.expected_price, change.expected_old_price, change.expected_min_price
        sku.update_timestamp = now
        skus.append(sku)
    rows_insert(history)
    rows_update(skus, ["price", "old_price", "min_price", "update_timestamp"])


def changes_reconcile_batch(client: OzonClient, changes: list[PriceChange], *, cause: str, result=None) -> int:
    # `result`: the MaintainResult to count into, if any.
    """Read Ozon's prices for changes with no known outcome; record what Ozon holds.

    A change Ozon holds is recorded as sent; one it does not hold failed (the
    next run plans it again). If the read fails too, the changes stay in flight
    for the next run.
    """
    product_ids = [c.sku.product_id for c in changes]
    holds = {}
    for page in client.product_prices(product_ids=product_ids):
        holds.update({p.product_id: p for p in page})
    now = timezone.now()
    applied, missed = [], []
    for change in changes:
        seen = holds.get(change.sku.product_id)
        if seen is not None and (seen.price, seen.old_price or Decimal(0)) == (
            change.expected_price, change.expected_old_price,
        ):
            applied.append(change)
        else:
            change.status, change.finished_at = ChangeStatus.FAILED, now
            change.error_message = _("Not applied by Ozon after an unanswered import (%(cause)s)") % {"cause": cause}
            missed.append(change)
    with transaction.atomic():
        changes_record_sent(applied, now=now)
        rows_update(missed, ["status", "error_message", "finished_at"])
    if result is not None:
        result.sent += len(applied)
        result.failed += len(missed)
        result.errors.extend({"product_id": str(c.sku.product_id), "error": c.error_message} for c in missed)
    return len(changes)


def changes_reconcile(*, client: OzonClient) -> int:
    """Settle changes a previous run dispatched but never recorded (it stopped mid-call)."""
    stale = list(
        PriceChange.objects.filter(status=ChangeStatus.PLANNED, dispatched_at__isnull=False)
        .select_related("sku")
        .order_by("id")
    )
    done = 0
    for start in range(0, len(stale), PAGE_LIMIT):
        done += changes_reconcile_batch(
            client, stale[start : start + PAGE_LIMIT], cause=_("the previous run stopped mid-call"), result=None
        )
    return done

"""Sending a price run's changes: several imports in flight, every write on the calling thread.

`changes_send` takes the run's planned chunks (a lazy generator that reads
and writes the database on the calling thread) and keeps up to
`client.concurrency` imports in flight through `calls_concurrent`: chunk k+1
is planned while chunk k's import is on the wire. Per chunk, just before its
dispatch: the lease is checked, then its changes are written `planned` with
`dispatched_at` and the batch. Worker threads only send the import. Each
answer is recorded by one short transaction on the calling thread, in the
order the chunks were planned; an import whose answer never came is read back,
never re-sent. Chunks come from disjoint SKU pages, and each SKU is planned
once per chunk, so a product is never in two imports in flight at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient, PriceImportResult
from ozonprice.db import row_new, rows_insert, rows_update
from ozonprice.leases import Lease
from pricing.models import ChangeStatus, PriceChange
from pricing.rules import Targets
from pricing.services.maintain_result import MaintainResult, PlannedChange
from pricing.services.reconcile import changes_reconcile_batch, changes_record_sent

logger = logging.getLogger(__name__)


@dataclass
class Dispatch:
    """One import: its batch id, its changes (written `planned`, dispatched) and the items sent."""

    batch: uuid.UUID
    changes: list[PriceChange]
    items: list[dict]


def change_new(sku: Sku, targets: Targets, *, status: str, reason: str, actor: str) -> PriceChange:
    return row_new(
        PriceChange,
        sku=sku,
        status=status,
        reason=reason,
        actor=actor,
        expected_price=targets.price,
        expected_old_price=targets.old_price,
        expected_min_price=targets.min_price,
        price_before=sku.price,
        old_price_before=sku.old_price,
    )


def changes_send(
    *,
    client: OzonClient,
    plan: Iterable[list[PlannedChange]],
    lease: Lease,
    result: MaintainResult,
    reason: str,
    actor: str,
    promo_guard: bool,
) -> None:
    """Send the planned chunks, up to `client.concurrency` imports at once; record every answer.

    Stops dispatching when the lease is lost or reading back fails; the
    imports already in flight are still recorded (or, if that fails too, left
    `planned` and dispatched for the next run's reconciliation).
    """
    stop = False

    def dispatches() -> Iterator[Dispatch]:
        # Runs on the calling thread, one chunk just before its import is dispatched.
        for chunk in plan:
            if stop:
                return
            if lease.lost:  # another run may be sending now: never send a batch twice
                result.error = _("The price run lost its lease; it stopped before sending the next batch.")
                return
            dispatch = _dispatch(chunk, reason=reason, actor=actor, promo_guard=promo_guard)
            result.import_calls += 1
            yield dispatch

    for outcome in calls_concurrent(
        lambda d: client.import_prices(items=d.items), dispatches(), concurrency=client.concurrency
    ):
        try:
            _settle(client, outcome.item, outcome.value, outcome.error, result=result)
        except ApiError as error:  # the read-back failed: the batch stays in flight for the next run
            result.error = result.error or str(error)
            stop = True


def _dispatch(chunk: list[PlannedChange], *, reason: str, actor: str, promo_guard: bool) -> Dispatch:
    """Write the chunk's changes `planned` and dispatched, in one transaction; the import's items."""
    batch, now = uuid.uuid4(), timezone.now()
    changes, fresh, approved = [], [], []
    for planned in chunk:
        if planned.approved is not None:
            change = planned.approved
            change.sku = planned.sku  # the row already loaded, not one query per change
            approved.append(change)
        else:
            change = change_new(
                planned.sku, planned.targets, status=ChangeStatus.PLANNED, reason=planned.reason or reason, actor=actor
            )
            fresh.append(change)
        change.batch, change.dispatched_at = batch, now
        changes.append(change)
    with transaction.atomic():
        read = rows_insert(fresh, read_pk=True)  # PostgreSQL: the ids come back with the insert
        rows_update(approved, ["batch", "dispatched_at"])
    if fresh and not read:
        # SQLite: each SKU appears once per batch, so the new rows' ids are read back by batch.
        ids = dict(PriceChange.objects.filter(batch=batch).values_list("sku_id", "id"))
        for change in fresh:
            change.pk = ids[change.sku_id]
    items = [_import_item(p.sku, p.targets, promo_guard=promo_guard) for p in chunk]
    return Dispatch(batch=batch, changes=changes, items=items)


def _settle(
    client: OzonClient,
    dispatch: Dispatch,
    answers: list[PriceImportResult] | None,
    error: BaseException | None,
    *,
    result: MaintainResult,
) -> None:
    changes = dispatch.changes
    if error is not None:
        if not isinstance(error, ApiError):
            raise error
        if error.permanent:
            _finish(changes, {}, rejected_error=error, result=result)
            return
        # No answer (timeout, 5xx, rate limit): never re-send blindly, read back instead.
        logger.warning("price import batch %s: %s; reading prices back", dispatch.batch, error)
        result.reconcile_add(changes_reconcile_batch(client=client, changes=changes, cause=str(error)))
        return
    answers = answers or []
    by_key = {(a.offer_id or "", a.product_id): a for a in answers}
    by_offer = {a.offer_id: a for a in answers if a.offer_id}
    by_product = {a.product_id: a for a in answers if a.product_id}
    matched = {
        c.pk: by_key.get((c.sku.offer_id, c.sku.product_id))
        or by_offer.get(c.sku.offer_id)
        or by_product.get(c.sku.product_id)
        for c in changes
    }
    unanswered = [c for c in changes if matched[c.pk] is None]
    _finish([c for c in changes if matched[c.pk] is not None], matched, rejected_error=None, result=result)
    if unanswered:
        result.reconcile_add(
            changes_reconcile_batch(client=client, changes=unanswered, cause=_("Ozon's answer left this item out"))
        )


def _import_item(sku: Sku, targets: Targets, *, promo_guard: bool) -> dict:
    item = {"offer_id": sku.offer_id, "product_id": sku.product_id, "currency_code": sku.currency_code or "RUB"}
    item.update(targets.as_ozon())
    if promo_guard:
        # Keep Ozon's promotions and strategies from pulling the price under MRPC (SPEC §2.1).
        item.update(
            {
                "min_price_for_auto_actions_enabled": True,
                "auto_add_to_ozon_actions_list_enabled": "DISABLED",
                "price_strategy_enabled": "DISABLED",
            }
        )
    return item


def _finish(
    changes: list[PriceChange],
    answers: dict[int, PriceImportResult | None],
    *,
    rejected_error: ApiError | None,
    result: MaintainResult,
) -> None:
    """Record Ozon's per-item answers in one short transaction."""
    now = timezone.now()
    sent, rejected = [], []
    for change in changes:
        answer = answers.get(change.pk)
        if rejected_error is None and answer is not None and answer.updated and not answer.errors:
            sent.append(change)
            continue
        if rejected_error is not None:
            change.error_code, change.error_message = (
                str(rejected_error.code or rejected_error.status or ""),
                str(rejected_error),
            )
        else:
            assert answer is not None, "without a rejection, _settle passes only the answered changes"
            codes = [code for code, _message in answer.errors] or ["not_updated"]
            messages = [message for _code, message in answer.errors] or [_("Ozon did not update the price")]
            change.error_code, change.error_message = ", ".join(codes)[:128], "; ".join(messages)
        change.status, change.finished_at = ChangeStatus.REJECTED, now
        rejected.append(change)
        result.errors.append({"product_id": str(change.sku.product_id), "error": change.error_message})
    with transaction.atomic():
        changes_record_sent(sent, now=now)
        rows_update(rejected, ["status", "error_code", "error_message", "finished_at"])
    result.sent += len(sent)
    result.rejected += len(rejected)

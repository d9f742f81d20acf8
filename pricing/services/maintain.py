"""Price maintenance: hold every active SKU at its MRPC and discount on Ozon.

One run: reconcile changes a previous run left in flight, plan targets for
active in-stock SKUs with MRPC, skip what Ozon already holds, respect Ozon's
10 changes per product per hour and its price quarantine, then send the rest
in batches of 1000. Per batch: the changes are written as `planned` (with
`dispatched_at`) before the call, and one short transaction after it records
`sent` or `rejected`, the history and the SKU's new prices. An import whose
answer never came is not re-sent: Ozon's prices are read back instead, and
what Ozon does not show yet waits as `unknown` (it may apply late). A target
already sent and not yet settled is in flight and never sent again.

Where the showcase hold is on (SPEC §10, `pricing.services.hold`), its price
replaces MRPC as the target (the min price stays MRPC), under the same budget,
quarantine and in-flight rules, with the reason `showcase_hold`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient, PriceImportResult
from ozonprice.db import rows_insert, rows_update
from ozonprice.leases import task_lease
from ozonprice.models import RuntimeSettings
from ozonprice.runs import run_summary_log, task_run
from ozonprice.task_runs import task_run_recorded
from pricing.models import IN_FLIGHT_STATUSES, ChangeStatus, PriceChange, Reason
from pricing.rules import DiscountError, Targets, is_quarantine_change, targets_for
from pricing.services.edits import discount_error_message
from pricing.services.hold import showcase_hold_plan
from pricing.services.maintain_result import MaintainResult, PlannedChange
from pricing.services.reconcile import (
    changes_reconcile,
    changes_reconcile_batch,
    changes_record_sent,
)

logger = logging.getLogger(__name__)

LEASE = "maintain_mrpc_prices"
# Ozon lets each product's price change at most 10 times an hour (§4).
HOURLY_BUDGET = 10
SKU_FIELDS = (
    "id",
    "product_id",
    "offer_id",
    "price",
    "old_price",
    "min_price",
    "mrpc",
    "discount",
    "front_price",
    "front_price_source",
    "front_price_timestamp",
    "currency_code",
    "showcase_hold",
)


@task_run("prices_maintain")
@task_run_recorded("maintain_mrpc_prices")
def prices_maintain(
    *,
    product_ids: Iterable[int] | None = None,
    dry_run: bool | None = None,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
    client: OzonClient | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> MaintainResult:
    """Plan and send price changes. Never raises for Ozon trouble: the result says what failed.

    `on_progress` is called with the number of candidate SKUs done so far after each chunk.
    """
    runtime = RuntimeSettings.load()
    result = MaintainResult(dry_run=runtime.dry_run if dry_run is None else dry_run)
    ids = [int(pid) for pid in product_ids] if product_ids is not None else None
    if result.dry_run:
        for chunk in _plan(
            ids, result=result, retry_refused=True, runtime=runtime, on_progress=on_progress, reason=reason, actor=actor
        ):
            result.plan.extend(change.as_row() for change in chunk)
        return result
    with task_lease(LEASE) as lease:
        if lease is None:
            result.skipped = True
            return result
        own_client = client is None
        try:
            client = client or OzonClient.from_settings()
            # Only the count: what a stopped run left is that run's sending, not this one's.
            result.reconciled = changes_reconcile(client=client).reconciled
            plan = _plan(
                ids,
                result=result,
                retry_refused=reason != Reason.SCHEDULED,
                runtime=runtime,
                on_progress=on_progress,
                reason=reason,
                actor=actor,
            )
            for chunk in plan:
                if lease.lost:  # another run may be sending now: never send a batch twice
                    result.error = _("The price run lost its lease; it stopped before sending the next batch.")
                    break
                _send(client, chunk, result=result, reason=reason, actor=actor, promo_guard=runtime.promo_guard)
        except ApiError as error:
            result.error = str(error)
        finally:
            if own_client and client is not None:
                client.close()
    run_summary_log(logger, result)
    return result


# --- planning ----------------------------------------------------------------
def _candidates(ids: list[int] | None):
    rows = Sku.objects.filter(
        active=True, available=True, mrpc__isnull=False, archived=False, missing_since__isnull=True
    ).only(*SKU_FIELDS)
    if ids is not None:
        rows = rows.filter(product_id__in=ids)
    return rows.order_by("id")


def _plan(
    ids: list[int] | None,
    *,
    result: MaintainResult,
    retry_refused: bool,
    runtime: RuntimeSettings,
    on_progress: Callable[[int], None] | None = None,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
) -> Iterator[list[PlannedChange]]:
    """Changes to send, in chunks of at most 1000 (Ozon's import limit).

    A target Ozon refused in the last day is not sent again by the scheduler
    (it would only spend the hourly budget and repeat the error); a manager's
    run (`retry_refused`) tries it again.
    """
    last_id, seen = 0, 0
    while True:
        skus = list(_candidates(ids).filter(id__gt=last_id)[:PAGE_LIMIT])
        if not skus:
            return
        last_id, seen = skus[-1].id, seen + len(skus)
        chunk = _plan_chunk(
            skus, result=result, retry_refused=retry_refused, runtime=runtime, reason=reason, actor=actor
        )
        result.planned += len(chunk)
        if chunk:
            yield chunk  # the caller sends it before this resumes
        if on_progress is not None:
            on_progress(seen)


def _plan_chunk(
    skus: list[Sku],
    *,
    result: MaintainResult,
    retry_refused: bool,
    runtime: RuntimeSettings,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
) -> list[PlannedChange]:
    sku_ids = [s.id for s in skus]
    now = timezone.now()
    spent = dict(
        PriceChange.objects.filter(sku_id__in=sku_ids, dispatched_at__gte=now - timedelta(hours=1))
        .values_list("sku_id")
        .annotate(n=Count("id"))
    )
    refused = set()
    if not retry_refused:
        refused = set(
            PriceChange.objects.filter(
                sku_id__in=sku_ids, status=ChangeStatus.REJECTED, created_at__gte=now - timedelta(days=1)
            ).values_list("sku_id", "expected_price", "expected_old_price")
        )
    waiting = {
        (c.sku_id, c.expected_price, c.status): c
        for c in PriceChange.objects.filter(
            sku_id__in=sku_ids, status__in=[ChangeStatus.HELD, ChangeStatus.PLANNED], dispatched_at__isnull=True
        )
    }
    # What was sent and is not settled: Ozon holds it or may still apply it. `Sku.price`
    # alone cannot say (a sync may have read Ozon before it applied), so these decide too.
    in_flight = set(
        PriceChange.objects.filter(
            sku_id__in=sku_ids, status__in=IN_FLIGHT_STATUSES, finished_at__isnull=True
        ).values_list("sku_id", "expected_price", "expected_old_price", "expected_min_price")
    )
    hold_plan = showcase_hold_plan(skus, runtime=runtime)
    held_new: list[PriceChange] = []
    chunk = []
    for sku in skus:
        assert sku.mrpc is not None, "_candidates reads SKUs with MRPC only"
        try:
            targets = targets_for(sku.mrpc, sku.discount)
        except DiscountError as error:
            result.errors.append({"product_id": str(sku.product_id), "error": discount_error_message(error)})
            continue
        except ValueError as error:
            result.errors.append({"product_id": str(sku.product_id), "error": str(error)})
            continue
        own_reason = None
        if (hold := hold_plan.get(sku.id)) is not None:
            targets = hold.targets
            own_reason = Reason.SHOWCASE_HOLD if hold.moves_price else None
        if targets.held_by(price=sku.price, old_price=sku.old_price, min_price=sku.min_price):
            result.unchanged += 1
            continue
        if (sku.id, targets.price, targets.old_price, targets.min_price) in in_flight:
            result.in_flight += 1
            continue
        if (sku.id, targets.price, targets.old_price) in refused:
            result.refused_before += 1
            continue
        if spent.get(sku.id, 0) >= HOURLY_BUDGET:
            result.over_budget += 1
            continue
        approved = waiting.get((sku.id, targets.price, ChangeStatus.PLANNED))
        if approved is None and is_quarantine_change(sku.price, targets.price):
            result.held += 1
            if result.dry_run:
                result.held_plan.append(PlannedChange(sku, targets).as_row())
            elif (sku.id, targets.price, ChangeStatus.HELD) not in waiting:
                # The run that found the change asked for it: its reason and actor, as a sent change has.
                held_new.append(
                    _change(sku, targets, status=ChangeStatus.HELD, reason=own_reason or reason, actor=actor)
                )
            continue
        chunk.append(PlannedChange(sku, targets, approved, own_reason))
    if held_new:
        rows_insert(held_new)
    return chunk


def _change(sku: Sku, targets: Targets, *, status: str, reason: str, actor: str) -> PriceChange:
    return PriceChange(
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


# --- sending -------------------------------------------------------------------
def _send(client: OzonClient, chunk: list[PlannedChange], *, result, reason, actor, promo_guard: bool) -> None:
    batch, now = uuid.uuid4(), timezone.now()
    changes, fresh, approved = [], [], []
    for planned in chunk:
        if planned.approved is not None:
            change = planned.approved
            change.sku = planned.sku  # the row already loaded, not one query per change
            approved.append(change)
        else:
            change = _change(
                planned.sku, planned.targets, status=ChangeStatus.PLANNED, reason=planned.reason or reason, actor=actor
            )
            fresh.append(change)
        change.batch, change.dispatched_at = batch, now
        changes.append(change)
    with transaction.atomic():
        rows_insert(fresh)
        rows_update(approved, ["batch", "dispatched_at"])
    # Each SKU appears once per batch: read the new rows' ids back by batch.
    ids = dict(PriceChange.objects.filter(batch=batch).values_list("sku_id", "id"))
    for change in fresh:
        change.pk = ids[change.sku_id]
    items = [_import_item(p.sku, p.targets, promo_guard=promo_guard) for p in chunk]
    result.import_calls += 1
    try:
        answers = client.import_prices(items=items)
    except ApiError as error:
        if error.permanent:
            _finish(changes, {}, rejected_error=error, result=result)
            return
        # No answer (timeout, 5xx, rate limit): never re-send blindly, read back instead.
        logger.warning("price import batch %s: %s; reading prices back", batch, error)
        result.reconcile_add(changes_reconcile_batch(client=client, changes=changes, cause=str(error)))
        return
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
            assert answer is not None, "without a rejection, _send passes only the answered changes"
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

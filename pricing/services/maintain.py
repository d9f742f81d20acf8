"""Price maintenance: hold every active SKU at its MRPC and discount on Ozon.

One run: reconcile changes a previous run left in flight, plan targets for
active in-stock SKUs with MRPC, skip what Ozon already holds, respect Ozon's
10 changes per product per hour and its price quarantine, then send the rest
in batches of 1000, several imports in flight (`pricing.services.price_imports`). Per batch: the changes are written as `planned` (with
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

import functools
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from catalog.models import Sku
from ozonprice.accounts import account_run_name
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.db import rows_insert, rows_read
from ozonprice.leases import task_lease
from ozonprice.models import Account, RuntimeSettings
from ozonprice.runs import run_summary_log, task_run
from ozonprice.task_runs import task_run_recorded
from pricing.models import IN_FLIGHT_STATUSES, ChangeStatus, PriceChange, Reason
from pricing.rules import DiscountError, is_quarantine_change, targets_for
from pricing.services.edits import discount_error_message
from pricing.services.hold import showcase_hold_plan
from pricing.services.maintain_result import MaintainResult, PlannedChange
from pricing.services.price_imports import change_new, changes_send
from pricing.services.reconcile import changes_reconcile

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
@task_run_recorded(LEASE)
def prices_maintain(
    *,
    account: Account | None = None,
    product_ids: Iterable[int] | None = None,
    dry_run: bool | None = None,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
    client: OzonClient | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> MaintainResult:
    """Plan and send price changes. Never raises for Ozon trouble: the result says what failed.

    One account's SKUs only (`account`, None: the only one), under that account's
    lease: another account's run neither blocks nor is blocked by it.
    `on_progress` is called with the number of candidate SKUs done so far after each chunk.
    """
    assert account is not None, "task_run_recorded resolves it"
    runtime = RuntimeSettings.load()  # global: the deviation threshold the hold uses
    result = MaintainResult(dry_run=account.dry_run if dry_run is None else dry_run)
    ids = [int(pid) for pid in product_ids] if product_ids is not None else None
    plan_for = functools.partial(
        _plan, ids, account=account, result=result, runtime=runtime, on_progress=on_progress, reason=reason, actor=actor
    )
    if result.dry_run:
        for chunk in plan_for(retry_refused=True):
            result.plan.extend(change.as_row() for change in chunk)
        return result
    with task_lease(account_run_name(LEASE, account)) as lease:
        if lease is None:
            result.skipped = True
            return result
        own_client = client is None
        try:
            client = client or OzonClient.of(account)
            # Only the count: what a stopped run left is that run's sending, not this one's.
            result.reconciled = changes_reconcile(client=client, account=account).reconciled
            plan = plan_for(retry_refused=reason != Reason.SCHEDULED)
            # Chunk k+1 is planned while chunk k's import is in flight (`price_imports`).
            changes_send(
                client=client,
                plan=plan,
                lease=lease,
                result=result,
                reason=reason,
                actor=actor,
                promo_guard=account.promo_guard,
            )
        except ApiError as error:
            result.error = str(error)
        finally:
            if own_client and client is not None:
                client.close()
    run_summary_log(logger, result)
    return result


# --- planning ----------------------------------------------------------------
# A chunk's changes that decide its plan, in one query (each kind below is one branch of it).
_HISTORY_FIELDS = (
    "id",
    "sku_id",
    "status",
    "expected_price",
    "expected_old_price",
    "expected_min_price",
    "dispatched_at",
    "created_at",
    "finished_at",
)
_WAITING = (ChangeStatus.HELD, ChangeStatus.PLANNED)


def _chunk_history(
    skus: list[Sku], *, retry_refused: bool
) -> tuple[Counter[int], set[tuple], dict[tuple, PriceChange], set[tuple]]:
    """The chunk's recent and open changes: dispatched in the last hour (per SKU), refused in the
    last day, waiting (held or approved, not dispatched), and in flight (sent, not settled).

    One query for the four (a second one only to load the waiting changes, which are rare): per
    chunk a round trip each cost more than the rows, and on a large history one range scan of the
    chunk's SKUs replaces four (SQLite, no statistics, scanned the whole last hour by
    `dispatched_at` for the "spent" query).
    """
    # By id range where the chunk's SKUs are dense (the whole catalogue's pages): the same rows as
    # `IN (1000 ids)` (the rest of the range is only looked up by id), without 1000 parameters.
    if skus[-1].id - skus[0].id < 4 * len(skus):
        of_chunk = Q(sku_id__gte=skus[0].id, sku_id__lte=skus[-1].id)
    else:
        of_chunk = Q(sku_id__in=[s.id for s in skus])
    now = timezone.now()
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    recent = (
        Q(dispatched_at__gte=hour_ago)
        | Q(status__in=_WAITING, dispatched_at__isnull=True)
        | Q(status__in=IN_FLIGHT_STATUSES, finished_at__isnull=True)
    )
    if not retry_refused:
        recent |= Q(status=ChangeStatus.REJECTED, created_at__gte=day_ago)
    spent: Counter[int] = Counter()
    refused, in_flight, waiting_ids = set(), set(), []
    for pk, sku_id, status, price, old_price, min_price, dispatched, created, finished in PriceChange.objects.filter(
        of_chunk, recent
    ).values_list(*_HISTORY_FIELDS):
        if dispatched is not None and dispatched >= hour_ago:
            spent[sku_id] += 1
        if not retry_refused and status == ChangeStatus.REJECTED and created >= day_ago:
            refused.add((sku_id, price, old_price))
        if status in _WAITING and dispatched is None:
            waiting_ids.append(pk)
        # What was sent and is not settled: Ozon holds it or may still apply it. `Sku.price`
        # alone cannot say (a sync may have read Ozon before it applied), so these decide too.
        if status in IN_FLIGHT_STATUSES and finished is None:
            in_flight.add((sku_id, price, old_price, min_price))
    waiting = {}
    if waiting_ids:
        waiting = {(c.sku_id, c.expected_price, c.status): c for c in PriceChange.objects.filter(pk__in=waiting_ids)}
    return spent, refused, waiting, in_flight


def _candidates(ids: list[int] | None, account: Account):
    rows = Sku.objects.filter(
        account=account, active=True, available=True, mrpc__isnull=False, archived=False, missing_since__isnull=True
    )
    if ids is not None:
        rows = rows.filter(product_id__in=ids)
    return rows.order_by("id")


def _plan(
    ids: list[int] | None,
    *,
    account: Account,
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
        skus = rows_read(_candidates(ids, account).filter(id__gt=last_id)[:PAGE_LIMIT], SKU_FIELDS)
        if not skus:
            return
        last_id, seen = skus[-1].id, seen + len(skus)
        chunk = _plan_chunk(
            skus,
            account=account,
            result=result,
            retry_refused=retry_refused,
            runtime=runtime,
            reason=reason,
            actor=actor,
        )
        result.planned += len(chunk)
        if chunk:
            yield chunk  # dispatched before this resumes; up to `client.concurrency` imports stay in flight
        if on_progress is not None:
            on_progress(seen)


def _plan_chunk(
    skus: list[Sku],
    *,
    account: Account,
    result: MaintainResult,
    retry_refused: bool,
    runtime: RuntimeSettings,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
) -> list[PlannedChange]:
    spent, refused, waiting, in_flight = _chunk_history(skus, retry_refused=retry_refused)
    hold_plan = showcase_hold_plan(skus, account=account, threshold=runtime.deviation_threshold)
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
                    change_new(sku, targets, status=ChangeStatus.HELD, reason=own_reason or reason, actor=actor)
                )
            continue
        chunk.append(PlannedChange(sku, targets, approved, own_reason))
    if held_new:
        rows_insert(held_new)
    return chunk

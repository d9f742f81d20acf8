"""Verification: prove each sent price change landed on Ozon and on the showcase.

`sent` (or `unknown`: the import's answer never came) → `applied` once Ozon's
v5 prices hold the expected price and old price — the SKU then records them,
and an `unknown` change its history row, as a sent one did when sent;
→ `confirmed` once the showcase price is within the deviation threshold of
MRPC. Past the verification window an unproven change is `failed` and the
manager is told. A showcase still below MRPC at the end of the window while
Ozon holds the right price is a marketplace discount: recorded with its gap and
closed, never re-sent in a loop. A showcase-hold change sets a price above MRPC
on purpose: its showcase is judged against MRPC, not against that price.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import chain
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.services.showcase import ShowcaseReader
from ozonprice.accounts import account_run_name
from ozonprice.clients.concurrency import calls_concurrent
from ozonprice.clients.frontprice import FrontPriceClient
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient, ProductPrice
from ozonprice.db import rows_update
from ozonprice.leases import task_lease
from ozonprice.models import Account, RuntimeSettings
from ozonprice.runs import RunResult, run_summary_log, task_run
from ozonprice.task_runs import task_run_recorded
from pricing.models import IN_FLIGHT_STATUSES, ChangeStatus, PriceChange, Reason
from pricing.services.notify import failures_notify
from pricing.services.reconcile import change_shown, changes_record_prices

logger = logging.getLogger(__name__)

LEASE = "verify_price_changes"
HUNDRED = Decimal(100)
CHANGE_FIELDS = [
    "status",
    "attempts",
    "observed_price",
    "observed_old_price",
    "observed_showcase",
    "showcase_source",
    "marketplace_discount",
    "applied_at",
    "confirmed_at",
    "finished_at",
    "error_message",
]


@dataclass
class VerifyResult(RunResult[dict[str, str]]):
    run_name: ClassVar[str] = "verify"
    skip_reason: ClassVar[str] = "another verification run is in progress"
    # A change that fails is one of `failures` (the manager is told of each): no other item errors.
    uncounted: ClassVar[tuple[str, ...]] = ("errors",)

    checked: int = 0
    applied: int = 0
    confirmed: int = 0
    marketplace_discount: int = 0
    failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)

    def details(self) -> str:
        return (
            f"checked {self.checked}, applied {self.applied}, "
            f"confirmed {self.confirmed}, marketplace discount {self.marketplace_discount}, failed {self.failed}"
        )


@task_run("price_changes_verify")
@task_run_recorded(LEASE)
def price_changes_verify(
    *, account: Account | None = None, ozon: OzonClient | None = None, front: FrontPriceClient | None = None
) -> VerifyResult:
    """Check every open change of `account` (None: the only one) once, under that account's lease.

    Never raises for upstream trouble: the result says what failed.
    """
    assert account is not None, "task_run_recorded resolves it"
    result = VerifyResult()
    runtime = RuntimeSettings.load()  # global: the verification window and the deviation threshold
    with task_lease(account_run_name(LEASE, account)) as held:
        if not held:
            result.skipped = True
            return result
        own_ozon = None
        reader = None
        try:
            chunks = _open_chunks(account)
            first = next(chunks, None)
            # Several chunks' read-backs in flight (v5 prices, then the showcase of the changes they show);
            # each chunk is recorded on this thread, in order. The client is made here (a worker must not
            # read the account), and only when a change is open.
            if first is not None and ozon is None:
                ozon = own_ozon = OzonClient.of(account)
            # The account's showcase source and Front Price seller (the reader reads them by name).
            reader = ShowcaseReader(account, ozon=ozon, front=front)
            for outcome in calls_concurrent(
                lambda changes: _chunk_read(ozon, reader, changes),
                chain([first] if first is not None else [], chunks),
                concurrency=ozon.concurrency if ozon is not None else 1,
            ):
                if outcome.error is not None:
                    raise outcome.error
                assert outcome.value is not None, "a read-back either returns or fails"
                seen_by_product, showcase = outcome.value
                _verify_chunk(outcome.item, seen_by_product, showcase, reader=reader, runtime=runtime, result=result)
        except ApiError as error:
            result.error = str(error)
        finally:
            if reader is not None:
                reader.close()
            if own_ozon is not None:
                own_ozon.close()
    if result.failures:
        failures_notify(result.failures, account=account)
    run_summary_log(logger, result)
    return result


def _open_chunks(account: Account) -> Iterator[list[PriceChange]]:
    """The account's open changes, 1000 at a time (read on the calling thread, as each chunk is dispatched)."""
    last_id = 0
    while True:
        changes = list(
            PriceChange.objects.filter(
                sku__account=account, status__in=IN_FLIGHT_STATUSES, finished_at__isnull=True, id__gt=last_id
            )
            .select_related("sku")
            .order_by("id")[:PAGE_LIMIT]
        )
        if not changes:
            return
        last_id = changes[-1].id
        yield changes


def _prices_read(ozon: OzonClient | None, changes: list[PriceChange]) -> dict[int, ProductPrice]:
    """Ozon's v5 prices of the changes' products (in a worker thread: HTTP only)."""
    assert ozon is not None, "made before the first chunk is dispatched"
    seen_by_product = {}
    for page in ozon.product_prices(product_ids=[c.sku.product_id for c in changes]):
        seen_by_product.update({p.product_id: p for p in page})
    return seen_by_product


def _chunk_read(
    ozon: OzonClient | None, reader: ShowcaseReader, changes: list[PriceChange]
) -> tuple[dict[int, ProductPrice], dict[int, Decimal | None] | None]:
    """A chunk's v5 prices and, where the source allows (`reads_in_worker`), the showcase of the changes
    those prices show (in a worker thread: HTTP only, the changes left untouched). None: read it on the caller.
    """
    seen_by_product = _prices_read(ozon, changes)
    if not reader.reads_in_worker:
        return seen_by_product, None
    shown = [c.sku for c in changes if _applied(c, seen_by_product.get(c.sku.product_id))]
    return seen_by_product, (reader.read(shown, v5_prices=seen_by_product) if shown else {})


def _applied(change: PriceChange, seen: ProductPrice | None) -> bool:
    """Whether the change is applied once this read-back is recorded: already, or Ozon shows it now."""
    if change.status == ChangeStatus.APPLIED:
        return True
    return change.status in (ChangeStatus.SENT, ChangeStatus.UNKNOWN) and change_shown(change, seen)


def _verify_chunk(
    changes: list[PriceChange],
    seen_by_product: dict[int, ProductPrice],
    showcase: dict[int, Decimal | None] | None,
    *,
    reader: ShowcaseReader,
    runtime,
    result: VerifyResult,
) -> None:
    now = timezone.now()
    window = timedelta(minutes=runtime.verification_window)
    threshold = runtime.deviation_threshold / HUNDRED
    newly_applied: list[PriceChange] = []
    unanswered: list[PriceChange] = []
    for change in changes:
        seen = seen_by_product.get(change.sku.product_id)
        change.attempts += 1
        if seen is not None:
            change.observed_price, change.observed_old_price = seen.price, seen.old_price
        if change.status != ChangeStatus.APPLIED and _applied(change, seen):
            (unanswered if change.status == ChangeStatus.UNKNOWN else newly_applied).append(change)
            change.status, change.applied_at, change.error_message = ChangeStatus.APPLIED, now, ""
            result.applied += 1
    if showcase is None:  # not read in the worker (`ShowcaseReader.reads_in_worker`): read here
        applied = [c for c in changes if c.status == ChangeStatus.APPLIED]
        showcase = reader.read([c.sku for c in applied], v5_prices=seen_by_product) if applied else {}
    skus = []
    for change in changes:
        result.checked += 1
        value = showcase.get(change.sku.id) if change.status == ChangeStatus.APPLIED else None
        if value is not None:
            change.observed_showcase, change.showcase_source = value, reader.source
            change.sku.front_price, change.sku.front_price_source, change.sku.front_price_timestamp = (
                value,
                reader.source,
                now,
            )
            skus.append(change.sku)
            goal = _showcase_goal(change)
            if abs(value - goal) <= goal * threshold:
                change.status, change.confirmed_at, change.finished_at = ChangeStatus.CONFIRMED, now, now
                result.confirmed += 1
                continue
        if not (change.sent_at and now - change.sent_at > window):
            continue  # the showcase may lag behind Ozon: look again next time
        if value is not None and value < (mrpc := _showcase_goal(change)):
            # Ozon holds our price; the marketplace itself sells lower. Re-sending cannot fix it.
            change.marketplace_discount, change.finished_at = mrpc - value, now
            change.error_message = _(
                "Marketplace discount: the showcase shows %(seen)s, %(gap)s below MRPC %(mrpc)s"
            ) % {"seen": value, "gap": mrpc - value, "mrpc": mrpc}
            result.marketplace_discount += 1
            continue
        change.status, change.finished_at = ChangeStatus.FAILED, now
        change.error_message = _failure_reason(change)
        result.failed += 1
        result.failures.append(
            {"product_id": str(change.sku.product_id), "offer_id": change.sku.offer_id, "error": change.error_message}
        )
    with transaction.atomic():
        rows_update(changes, CHANGE_FIELDS)
        # Ozon holds them now: a sync that read before Ozon applied may have left older prices.
        changes_record_prices(newly_applied, now=now, history=False)
        changes_record_prices(unanswered, now=now, history=True)
        rows_update(skus, ["front_price", "front_price_source", "front_price_timestamp"])


def _showcase_goal(change: PriceChange) -> Decimal:
    """What the showcase should show: MRPC, which a plain change's price is and a hold's is above."""
    if change.reason == Reason.SHOWCASE_HOLD and change.sku.mrpc:
        return change.sku.mrpc
    assert change.expected_price is not None, "every change is created with its targets (maintain._change)"
    return change.expected_price


def _failure_reason(change: PriceChange) -> str:
    if change.applied_at is None:
        return _("Ozon still holds %(seen)s instead of %(expected)s after the verification window") % {
            "seen": change.observed_price if change.observed_price is not None else "?",
            "expected": change.expected_price,
        }
    return _("The showcase shows %(seen)s instead of MRPC %(expected)s after the verification window") % {
        "seen": change.observed_showcase if change.observed_showcase is not None else "?",
        "expected": _showcase_goal(change),
    }

"""The promotion guard (SPEC §10): keep SKUs held at MRPC out of promotions that sell under it.

One run per account, in the account's mode (`Account.promo_guard_mode`):

* `off`: no promotion is read and no timer touched;
* `report` (or a dry run): every breach (a SKU in a promotion whose action
  price is under its MRPC) is recorded as `reported`; nothing changes on Ozon;
* `remove`: the SKUs are taken out: `deactivate` for Ozon's promotions
  (batched per promotion), `delete` for the seller's own; each removal and
  each refusal is recorded with Ozon's reason.

The run also keeps the min-price timers running (`promo_timers.py`) and
handles buyers' discount requests (`discount_requests.py`), whatever the
promotion mode.

Ozon calls per run, with P_a the products in promotion a, S the seller's
promotions, B the breaches, N the watched SKUs, R the timers renewed and T
the new discount requests, D those declined:

| endpoint | calls |
|---|---|
| GET /v1/actions | 1 |
| /v1/actions/products | Σ (⌊P_a/100⌋ + 1), promotions Ozon says are empty skipped |
| /v1/actions/products/deactivate | Σ ⌈B_a/1000⌉ per promotion |
| /v1/seller-actions/list | ⌊S/100⌋ + 1 |
| /v1/seller-actions/products/list | Σ ⌈P_s/100⌉ (+1 when a full last page says has_next) |
| /v1/seller-actions/products/delete | Σ ⌈SKUs_s/1000⌉ per promotion |
| /v1/product/action/timer/status | ⌈N/1000⌉ + ⌈R/1000⌉ (the renewed ones read back) |
| /v1/product/action/timer/update | ⌈R/1000⌉ |
| /v2/actions/discounts-task/list | ⌊T/50⌋ + 1 |
| /v1/actions/discounts-task/decline | ⌈D/50⌉ |

Retries of reads (429, 5xx) come on top; writes are never re-sent after a timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ozon_actions import DEACTIVATE_MAX, SELLER_DELETE_MAX
from ozonprice.db import rows_insert
from ozonprice.leases import Lease
from ozonprice.models import Account, PromoGuardMode
from ozonprice.runs import run_summary_log, task_run
from ozonprice.task_runs import task_run_recorded
from pricing.models import PromoExit, PromoKind, PromoOutcome, Reason
from pricing.services.discount_requests import discount_requests_run
from pricing.services.guard import LEASE, GuardResult, Watched, chunked, guard_run, watched_skus
from pricing.services.promo_timers import promo_timers_keep

logger = logging.getLogger(__name__)

STANDING_OUTCOMES = (PromoOutcome.REPORTED, PromoOutcome.REFUSED, PromoOutcome.FAILED)


class LeaseLost(Exception):
    """Another run may be acting now: stop before the next write."""


@dataclass(frozen=True)
class Breach:
    watched: Watched
    kind: str
    action_id: int
    title: str
    action_price: Decimal
    skus: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.watched.id, self.kind, self.action_id)


@dataclass
class Ledger:
    """The `PromoExit` rows of one run: standing ones kept, new ones written, the rest closed at the end."""

    reason: str
    actor: str
    standing: dict[tuple[int, str, int], PromoExit] = field(default_factory=dict)
    seen: set[tuple[int, str, int]] = field(default_factory=set)

    def record(self, outcomes: Iterable[tuple[Breach, str, str]]) -> None:
        """Write `(breach, outcome, Ozon's reason)`s in one short transaction.

        A breach still standing exactly as its standing row says is not written
        again; anything else closes that row and writes a new one.
        """
        new, closed = [], []
        for breach, outcome, message in outcomes:
            keeps = outcome in STANDING_OUTCOMES
            previous = self.standing.get(breach.key)
            if keeps:
                self.seen.add(breach.key)
            if (
                previous is not None
                and keeps
                and (previous.outcome, previous.action_price, previous.mrpc, previous.error_message)
                == (outcome, breach.action_price, breach.watched.mrpc, message)
            ):
                continue
            if previous is not None:
                closed.append(previous.pk)
                del self.standing[breach.key]
            row = PromoExit(
                sku_id=breach.watched.id,
                action_kind=breach.kind,
                action_id=breach.action_id,
                action_title=breach.title[:500],
                action_price=breach.action_price,
                mrpc=breach.watched.mrpc,
                outcome=outcome,
                error_message=message,
                reason=self.reason,
                actor=self.actor[:150],
                standing=keeps,
            )
            new.append(row)
        with transaction.atomic():
            PromoExit.objects.filter(pk__in=closed).update(standing=False)
            rows_insert(new)
        for row in new:
            if row.standing:
                self.standing[(row.sku_id, row.action_kind, row.action_id)] = row

    def close_unseen(self, *, kind: str, sku_ids: set[int]) -> None:
        """Close the standing rows of `kind` for these SKUs that this run no longer found."""
        gone = [
            row.pk
            for key, row in self.standing.items()
            if key[1] == kind and key[0] in sku_ids and key not in self.seen and row.pk is not None
        ]
        PromoExit.objects.filter(pk__in=gone).update(standing=False)


@task_run("promotions_guard")
@task_run_recorded(LEASE)
def promotions_guard(
    *,
    account: Account | None = None,
    product_ids: Iterable[int] | None = None,
    dry_run: bool = False,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
    client: OzonClient | None = None,
) -> GuardResult:
    """One guard run over the account's watched SKUs (or the given ones), in that account's modes, under its
    lease; `account` None: the only one. Never raises for Ozon trouble."""
    assert account is not None, "task_run_recorded resolves it"
    result = GuardResult(mode=account.promo_guard_mode, requests_mode=account.discount_requests_mode, dry_run=dry_run)
    ids = [int(pid) for pid in product_ids] if product_ids is not None else None
    guard_run(
        result,
        client,
        lambda ozon, lease: _run(ozon, lease, account=account, ids=ids, result=result, reason=reason, actor=actor),
        account=account,
    )
    run_summary_log(logger, result)
    return result


def _run(
    client: OzonClient, lease: Lease, *, account: Account, ids, result: GuardResult, reason: str, actor: str
) -> None:
    watched = watched_skus(ids, account=account)
    if account.promo_guard_mode != PromoGuardMode.OFF:
        remove = account.promo_guard_mode == PromoGuardMode.REMOVE and not result.dry_run
        ledger = Ledger(reason=reason, actor=actor)
        sku_ids = {w.id for w in watched.values()}
        ledger.standing = (
            {
                (row.sku_id, row.action_kind, row.action_id): row
                for row in PromoExit.objects.filter(standing=True, sku_id__in=sku_ids)
            }
            if ids is not None
            else {
                (row.sku_id, row.action_kind, row.action_id): row
                for row in PromoExit.objects.filter(standing=True, sku__account=account)
            }
        )
        if ids is None:
            # A full run answers for every SKU of its account: a SKU no longer watched (maintenance off, MRPC cleared) is
            # no longer "in a promotion under MRPC" as far as the guard is concerned.
            sku_ids |= {key[0] for key in ledger.standing}
        for kind, part in ((PromoKind.OZON, _ozon_promotions), (PromoKind.SELLER, _seller_promotions)):
            try:
                part(client, lease, watched=watched, ledger=ledger, remove=remove, result=result)
            except (ApiError, LeaseLost) as error:
                result.fail(str(error) or _("The guard lost its lease; it stopped before the next change."))
            else:
                ledger.close_unseen(kind=kind, sku_ids=sku_ids)
        try:
            promo_timers_keep(
                client,
                lease,
                watched=list(watched.values()),
                renew=remove and account.promo_guard,
                result=result,
            )
        except ApiError as error:
            result.fail(str(error))
    try:
        discount_requests_run(
            client,
            lease,
            account=account,
            product_ids=ids,
            dry_run=result.dry_run,
            reason=reason,
            actor=actor,
            result=result,
        )
    except ApiError as error:
        result.fail(str(error))


# --- Ozon's promotions ------------------------------------------------------------------
def _ozon_promotions(client: OzonClient, lease: Lease, *, watched, ledger: Ledger, remove: bool, result) -> None:
    for action in client.actions_list():
        if not action.is_participating and not action.participating_products_count:
            continue  # Ozon says none of the seller's products are in it
        found: dict[int, Breach] = {}  # by product: a page served twice counts once
        for page in client.action_products_pages(action_id=action.id):
            for product in page:
                target = watched.get(product.product_id)
                if target is not None and product.action_price is not None and product.action_price < target.mrpc:
                    found[product.product_id] = Breach(
                        target, PromoKind.OZON, action.id, action.title, product.action_price
                    )
        breaches = list(found.values())
        result.breaches += len(breaches)
        if not remove:
            _report(ledger, breaches, result)
            continue
        for batch in chunked(breaches, DEACTIVATE_MAX):
            _check_lease(lease)
            ledger.record(_deactivate(client, action.id, batch, result))


def _deactivate(
    client: OzonClient, action_id: int, batch, result: GuardResult
) -> list[tuple[Breach, PromoOutcome, str]]:
    try:
        answer = client.action_products_deactivate(
            action_id=action_id, product_ids=[b.watched.product_id for b in batch]
        )
    except ApiError as error:
        return _failed(batch, error, result)
    outcomes = []
    removed = set(answer.removed)
    for breach in batch:
        pid = breach.watched.product_id
        if pid in answer.rejected:
            outcomes.append((breach, PromoOutcome.REFUSED, answer.rejected[pid] or _("Ozon gave no reason")))
            result.refused += 1
            result.errors.append({"product_id": str(pid), "error": answer.rejected[pid]})
        elif pid in removed:
            outcomes.append((breach, PromoOutcome.REMOVED, ""))
            result.removed += 1
        else:
            outcomes.append((breach, PromoOutcome.FAILED, _("Ozon's answer left this product out")))
            result.failed += 1
    return outcomes


# --- the seller's own promotions ------------------------------------------------------------
def _seller_promotions(client: OzonClient, lease: Lease, *, watched, ledger: Ledger, remove: bool, result) -> None:
    actions = [action for page in client.seller_actions_pages() for action in page]
    for action in actions:
        found: dict[int, Breach] = {}
        for page in client.seller_action_products_pages(action_id=action.id):
            for product in page:
                target = watched.get(product.product_id)
                if (
                    target is not None
                    and product.is_active
                    and product.action_price is not None
                    and product.action_price < target.mrpc
                ):
                    skus = tuple(product.skus) or ((target.sku,) if target.sku else ())
                    found[product.product_id] = Breach(
                        target, PromoKind.SELLER, action.id, action.title, product.action_price, skus
                    )
        breaches = list(found.values())
        result.breaches += len(breaches)
        if not remove:
            _report(ledger, breaches, result)
            continue
        for batch in _by_sku_count(breaches, SELLER_DELETE_MAX):
            _check_lease(lease)
            ledger.record(_delete(client, action.id, batch, result))


def _by_sku_count(breaches: list[Breach], limit: int) -> list[list[Breach]]:
    """Batches whose SKUs together stay within `limit` (a product may have several SKUs)."""
    batches: list[list[Breach]] = [[]]
    count = 0
    for breach in breaches:
        if batches[-1] and count + len(breach.skus) > limit:
            batches.append([])
            count = 0
        batches[-1].append(breach)
        count += len(breach.skus)
    return [batch for batch in batches if batch]


def _delete(client: OzonClient, action_id: int, batch: list[Breach], result) -> list[tuple[Breach, PromoOutcome, str]]:
    without_sku = [b for b in batch if not b.skus]
    outcomes = [(b, PromoOutcome.FAILED, _("The product has no Ozon SKU to remove it by")) for b in without_sku]
    result.failed += len(without_sku)
    batch = [b for b in batch if b.skus]
    if not batch:
        return outcomes
    try:
        client.seller_action_products_delete(action_id=action_id, skus=[s for b in batch for s in b.skus])
    except ApiError as error:
        return outcomes + _failed(batch, error, result)
    # Ozon answers a bare 200 for the lot: the next run reads the promotion back.
    result.removed += len(batch)
    return outcomes + [(b, PromoOutcome.REMOVED, "") for b in batch]


# --- shared ---------------------------------------------------------------------------------
def _report(ledger: Ledger, breaches: list[Breach], result: GuardResult) -> None:
    result.reported += len(breaches)
    ledger.record((breach, PromoOutcome.REPORTED, "") for breach in breaches)


def _failed(batch, error: ApiError, result: GuardResult) -> list[tuple[Breach, PromoOutcome, str]]:
    """A removal call that failed: each product recorded; a permanent failure fails the run."""
    if error.permanent:
        result.fail(str(error))
    result.failed += len(batch)
    result.errors.extend({"product_id": str(b.watched.product_id), "error": str(error)} for b in batch)
    return [(b, PromoOutcome.FAILED, str(error)) for b in batch]


def _check_lease(lease: Lease) -> None:
    if lease.lost:
        raise LeaseLost(_("The guard lost its lease; it stopped before the next change."))

"""Buyers' discount requests (заявки на скидку): read, recorded, and declined below MRPC when so set.

Every run reads the NEW requests (`/v2/actions/discounts-task/list`, 50 a
page) and upserts one `DiscountRequest` per Ozon id, matched to the catalogue
by Ozon SKU. In `decline_below_mrpc` mode each request whose price is under
its SKU's MRPC is declined (50 a call) with the comment from the settings,
and the decision, when and who are recorded; a refusal keeps Ozon's
`error_for_user`. Nothing is ever approved: the others are left to the manager.

A decline whose answer never came is not re-sent: the requests stay undecided
with the error noted, and the next run reads NEW again (a declined request is
no longer there).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from ozonprice.accounts import account_resolve
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient
from ozonprice.clients.ozon_discount_tasks import DECLINE_MAX, DiscountTask
from ozonprice.db import rows_insert
from ozonprice.leases import Lease
from ozonprice.models import Account, DiscountRequestsMode
from pricing.models import DiscountDecision, DiscountRequest, DiscountRequestStatus, Reason
from pricing.services.guard import GuardResult, chunked, guard_run

UPSERT_FIELDS = (
    "sku",
    "ozon_sku",
    "name",
    "requested_price",
    "original_price",
    "mrpc",
    "requested_quantity_max",
    "status",
    "created_at",
    "end_at",
    "seen_at",
)


def discount_requests_process(
    *,
    account: Account | None = None,
    product_ids: Iterable[int] | None = None,
    dry_run: bool = False,
    reason: str = Reason.SCHEDULED,
    actor: str = "",
    client: OzonClient | None = None,
) -> GuardResult:
    """Read the account's NEW requests and, in its `decline_below_mrpc` mode, decline those under MRPC.

    `account` None: the only one. Under the account's guard lease. Never raises for Ozon.
    """
    account = account if account is not None else account_resolve()
    result = GuardResult(mode=account.promo_guard_mode, requests_mode=account.discount_requests_mode, dry_run=dry_run)
    return guard_run(
        result,
        client,
        lambda ozon, lease: discount_requests_run(
            ozon,
            lease,
            account=account,
            product_ids=product_ids,
            dry_run=dry_run,
            reason=reason,
            actor=actor,
            result=result,
        ),
        account=account,
    )


def discount_requests_run(
    client: OzonClient,
    lease: Lease | None,
    *,
    account: Account,
    product_ids: Iterable[int] | None,
    dry_run: bool,
    reason: str,
    actor: str,
    result: GuardResult,
) -> None:
    """The guard's part for the account's requests (`client` is the account's), under the caller's lease.

    Raises ApiError when the list cannot be read.
    """
    tasks = {task.id: task for page in client.discount_tasks_pages(status="NEW") for task in page}
    result.requests_seen += len(tasks)
    if not tasks:
        return
    skus = _skus_by_ozon_sku({task.sku for task in tasks.values()}, account=account)
    _upsert(tasks.values(), skus)
    scope = {int(pid) for pid in product_ids} if product_ids is not None else None
    below = [
        task
        for task in tasks.values()
        if (sku := skus.get(task.sku)) is not None
        and sku.mrpc is not None
        and task.requested_price is not None
        and task.requested_price < sku.mrpc
        and (scope is None or sku.product_id in scope)
    ]
    result.requests_below_mrpc += len(below)
    products = {task.id: str(skus[task.sku].product_id) for task in below}
    if dry_run or account.discount_requests_mode != DiscountRequestsMode.DECLINE_BELOW_MRPC:
        return
    comment = account.discount_decline_comment
    for batch in chunked(below, DECLINE_MAX):
        if lease is not None and lease.lost:
            result.fail(_("The guard lost its lease; it stopped before declining more requests."))
            return
        _decline(client, list(batch), products, comment=comment, reason=reason, actor=actor, result=result)


def _skus_by_ozon_sku(ozon_skus: set[int], *, account: Account) -> dict[int, Sku]:
    """The account's SKUs by Ozon SKU: the requests listed are the account's, and so are their products."""
    found: dict[int, Sku] = {}
    for batch in chunked(sorted(ozon_skus), 1000):
        for sku in (
            Sku.objects.filter(account=account, sku__in=list(batch))
            .only("id", "sku", "product_id", "mrpc")
            .order_by("id")
        ):
            assert sku.sku is not None, "filtered on sku__in"
            found.setdefault(sku.sku, sku)
    return found


def _upsert(tasks: Iterable[DiscountTask], skus: dict[int, Sku]) -> None:
    rows = []
    for task in tasks:
        sku = skus.get(task.sku)
        rows.append(
            DiscountRequest(
                ozon_id=task.id,
                sku=sku,
                ozon_sku=task.sku,
                name=task.name[:500],
                requested_price=task.requested_price,
                original_price=task.original_price,
                mrpc=sku.mrpc if sku is not None else None,
                requested_quantity_max=task.requested_quantity_max,
                status=DiscountRequestStatus.NEW,
                created_at=task.created_at,
                end_at=task.end_at,
            )
        )
    for batch in chunked(rows, 1000):
        rows_insert(list(batch), upsert_on="ozon_id", update_fields=UPSERT_FIELDS)


def _decline(
    client: OzonClient,
    batch: list[DiscountTask],
    products: dict[int, str],
    *,
    comment: str,
    reason: str,
    actor: str,
    result: GuardResult,
) -> None:
    """One decline call; its answer recorded per request in one short transaction."""
    ids = [task.id for task in batch]
    try:
        answer = client.discount_tasks_decline(tasks=[(task_id, comment) for task_id in ids])
    except ApiError as error:
        if error.permanent:
            result.fail(str(error))
        result.errors.extend(_request_error(products, task_id, str(error)) for task_id in ids)
        DiscountRequest.objects.filter(ozon_id__in=ids).update(error_message=str(error))
        return
    now = timezone.now()
    failed = {task_id: message for task_id, message in answer.failed.items() if task_id in products}
    declined = [task_id for task_id in ids if task_id not in failed]
    with transaction.atomic():
        DiscountRequest.objects.filter(ozon_id__in=declined).update(
            status=DiscountRequestStatus.DECLINED,
            decision=DiscountDecision.DECLINED_BELOW_MRPC,
            seller_comment=comment[:255],
            error_message="",
            reason=reason,
            actor=actor[:150],
            decided_at=now,
        )
        for task_id, message in failed.items():
            DiscountRequest.objects.filter(ozon_id=task_id).update(
                decision=DiscountDecision.DECLINE_REFUSED,
                seller_comment=comment[:255],
                error_message=message or _("Ozon gave no reason"),
                reason=reason,
                actor=actor[:150],
                decided_at=now,
            )
    result.declined += len(declined)
    result.decline_refused += len(failed)
    result.errors.extend(_request_error(products, task_id, message) for task_id, message in failed.items())


def _request_error(products: dict[int, str], task_id: int, message: str) -> dict[str, str | None]:
    return {
        "product_id": products.get(task_id),
        "error": _("discount request %(id)s: %(message)s") % {"id": task_id, "message": message},
    }

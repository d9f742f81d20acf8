"""The steps of an image push (SPEC §6, docs/ozon-api.md §5): record, resolve, send, poll, confirm, finish.

`imagepush.services` runs them for a request or an admin job; `imagepush.repoll`
runs the last three for pushes an earlier run left `sent`. Every Ozon failure
is judged by its error type (`RateLimited`, `permanent`, `outcome_unknown`),
never by a status code.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from catalog.models import Sku
from imagepush.models import ImagePush, PushStatus
from imagepush.outcomes import Kind, PushOutcome, Timer
from imagepush.validation import PushRequest
from ozonprice.clients.http import ApiError, RateLimited
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.clients.ozon_pictures import IMPORT_MAX_ITEMS, ImportItemResult, picture_item
from ozonprice.models import Account

logger = logging.getLogger(__name__)

POLL_FIRST_S = 0.5
POLL_MAX_S = 5.0


def pushes_record(
    requests: Sequence[PushRequest], *, source: str, requested_by: str, account: Account | None = None
) -> list[PushOutcome]:
    """Record valid requests as `validated` pushes of `account` (None: credentials that match no account)."""
    rows_of = Sku.objects.filter(product_id__in=[r.product_id for r in requests])
    if account is not None:
        # product_id is unique per account only: the catalogue row is the account's.
        rows_of = rows_of.filter(account=account)
    skus = {sku.product_id: sku for sku in rows_of.only("id", "product_id", "offer_id")}
    rows = [
        ImagePush(
            account=account,
            sku=skus.get(r.product_id),
            product_id=r.product_id,
            offer_id=skus[r.product_id].offer_id if r.product_id in skus else "",
            images=list(r.images),
            primary_image=r.primary_image,
            color_image=r.color_image,
            source=source,
            requested_by=requested_by[:150],
            status=PushStatus.VALIDATED,
        )
        for r in requests
    ]
    with transaction.atomic():
        # Not `ozonprice.db.rows_insert`: the pushes' ids are needed back (the API answers with them, each
        # step then updates its row), and executemany cannot return them; `bulk_create` reads them back in
        # the same statement (RETURNING), for the few pushes of one request.
        created = ImagePush.objects.bulk_create(rows)
    return [PushOutcome(push=push) for push in created]


def offer_ids_resolve(outcomes: list[PushOutcome], client: OzonClient) -> list[PushOutcome]:
    """Ask Ozon for the offer_ids the catalogue lacks; the pushes that can go on."""
    unknown = [o for o in outcomes if not o.push.offer_id]
    for chunk in chunks(unknown, PAGE_LIMIT):
        try:
            infos = client.product_info_list(product_ids=[o.push.product_id for o in chunk])
        except ApiError as error:
            for outcome in chunk:
                outcome_fail_on(outcome, error)
            continue
        offer_ids = {info.product_id: info.offer_id for info in infos}
        for outcome in chunk:
            offer_id = offer_ids.get(outcome.push.product_id)
            if offer_id:
                outcome.push.offer_id = offer_id
            else:
                outcome.fail(Kind.NOT_FOUND, f"product {outcome.push.product_id} not found on Ozon")
    return [o for o in outcomes if o.push.status == PushStatus.VALIDATED]


def pictures_send(batch: list[PushOutcome], client: OzonClient, timer: Timer) -> int | None:
    """One picture import; the task id, or None when Ozon refused it (the pushes are failed)."""
    items = [
        picture_item(
            offer_id=o.push.offer_id,
            images=o.push.images,
            primary_image=o.push.primary_image,
            color_image=o.push.color_image,
        )
        for o in batch
    ]
    while True:
        try:
            task_id = client.pictures_import(items)
            break
        except ApiError as error:
            # Ozon's per-minute item quota: wait for its reset when the budget allows
            # (at least a second, so a zero header cannot spin the loop).
            wait = max(error.retry_after or 0.0, 1.0)
            if isinstance(error, RateLimited) and error.retry_after is not None and timer.fits(wait):
                logger.info("picture import quota used up; waiting %.0fs as Ozon asks", wait)
                timer.sleep(wait)
                continue
            for outcome in batch:
                outcome_fail_on(outcome, error)
            return None
    now = timezone.now()
    for outcome in batch:
        outcome.push.status, outcome.push.task_id, outcome.push.sent_at = PushStatus.SENT, task_id, now
    # Recorded at once: should this process die now, the row still names Ozon's task.
    ImagePush.objects.bulk_update([o.push for o in batch], ["offer_id", "status", "task_id", "sent_at"])
    return task_id


def task_poll(task_id: int, batch: list[PushOutcome], client: OzonClient, timer: Timer) -> None:
    """Read the task until every item is final, backing off; bounded by the run's budget."""
    delay, last_error = POLL_FIRST_S, None
    while True:
        try:
            items = client.import_info(task_id)
        except ApiError as error:
            if error.permanent:
                for outcome in batch:
                    outcome.fail(
                        Kind.OZON, f"cannot read import task {task_id}: {error.message}", status=PushStatus.SENT
                    )
                return
            items, last_error = [], error
        task_items_apply(task_id, batch, items)
        waiting = [o for o in batch if o.push.status == PushStatus.SENT]
        if not waiting:
            return
        wait = max(delay, last_error.retry_after or 0) if last_error is not None else delay
        if not timer.fits(wait):
            note = f"; last error: {last_error.message}" if last_error is not None else ""
            for outcome in waiting:
                outcome.fail(
                    Kind.PENDING,
                    f"import task {task_id} is still pending; Ozon may finish it later, check the product's "
                    f"pictures or push again{note}",
                    status=PushStatus.SENT,
                )
            return
        timer.sleep(wait)
        delay, last_error = min(delay * 2, POLL_MAX_S), None


def task_items_apply(task_id: int, batch: list[PushOutcome], items: list[ImportItemResult]) -> None:
    by_offer = {item.offer_id: item for item in items}
    by_product = {item.product_id: item for item in items if item.product_id}
    for outcome in batch:
        push = outcome.push
        item = by_offer.get(push.offer_id) or by_product.get(push.product_id or 0)
        if item is None or not item.done or push.status != PushStatus.SENT or outcome.kind != Kind.OK:
            continue
        push.result, push.errors = item.as_dict(), item.errors
        if item.status == "failed":
            reasons = "; ".join(e["message"] or e["description"] or e["code"] for e in item.errors) or "no reason given"
            outcome.fail(Kind.OZON, f"import task {task_id} failed for {push.offer_id}: {reasons}")
        else:
            push.status = PushStatus.IMPORTED if item.status == "imported" else PushStatus.SKIPPED


def pictures_confirm(outcomes: list[PushOutcome], client: OzonClient) -> None:
    """Record the pictures Ozon holds now; an import whose pictures cannot be read back is not ok."""
    for chunk in chunks(outcomes, PAGE_LIMIT):
        try:
            held = client.pictures_info([o.push.product_id for o in chunk])
        except ApiError as error:
            for outcome in chunk:
                if outcome.kind == Kind.OK:
                    outcome.fail(
                        Kind.OZON,
                        f"{outcome.push.get_status_display()}, but reading the pictures back failed: {error.message}",
                        status=outcome.push.status,
                    )
            continue
        for outcome in chunk:
            push, pictures = outcome.push, held.get(outcome.push.product_id)
            if pictures is None:
                if outcome.kind == Kind.OK:
                    outcome.fail(
                        Kind.OZON, f"Ozon did not return the pictures of product {push.product_id}", status=push.status
                    )
                continue
            push.current_images, push.current_color_image = pictures.images, pictures.color_image
            sent = {*push.images, push.primary_image, push.color_image} - {""}
            missing = [e for e in pictures.errors if e["url"] in sent]
            if missing and outcome.kind == Kind.OK:
                push.errors = [*push.errors, *missing]
                outcome.fail(Kind.OZON, "Ozon could not download " + ", ".join(e["url"] for e in missing))


def pushes_finish(outcomes: list[PushOutcome]) -> None:
    """The outcome of every push and the confirmed SKUs' images, in one short transaction."""
    now = timezone.now()
    fields = [
        "offer_id",
        "status",
        "task_id",
        "result",
        "errors",
        "error",
        "current_images",
        "current_color_image",
        "finished_at",
    ]
    for outcome in outcomes:
        if outcome.push.status != PushStatus.SENT:
            outcome.push.finished_at = now
    skus = [
        Sku(
            pk=o.push.sku_id,
            images=o.push.current_images,
            primary_image=o.push.current_images[0][:1000] if o.push.current_images else "",
            color_image=o.push.current_color_image[:1000],
        )
        for o in outcomes
        if o.ok and o.push.sku_id is not None
    ]
    with transaction.atomic():
        ImagePush.objects.bulk_update([o.push for o in outcomes], fields)
        Sku.objects.bulk_update(skus, ["images", "primary_image", "color_image"])


def outcome_fail_on(outcome: PushOutcome, error: ApiError) -> None:
    if isinstance(error, RateLimited):
        wait = f" (retry in {math.ceil(error.retry_after / 60)} min)" if error.retry_after else ""
        outcome.fail(Kind.QUOTA, f"{error.message}{wait}", retry_after=error.retry_after)
    elif error.outcome_unknown:
        outcome.fail(Kind.OZON, f"{error.message}; the import may or may not have been applied: pushing again is safe")
    else:
        outcome.fail(Kind.OZON, error.message)


def chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def pushes_carry(
    outcomes: list[PushOutcome], client: OzonClient, timer: Timer, *, on_progress: Callable[[int], None] | None = None
) -> None:
    """Steps 2–5 for recorded (`validated`) pushes; `on_progress(done)` after each import batch."""
    live = offer_ids_resolve(outcomes, client)
    done = len(outcomes) - len(live)
    for batch in chunks(live, IMPORT_MAX_ITEMS):
        task_id = pictures_send(batch, client, timer)
        if task_id is not None:
            task_poll(task_id, batch, client, timer)
        done += len(batch)
        if on_progress is not None:
            on_progress(done)
    pictures_confirm([o for o in outcomes if o.push.task_id is not None and o.push.status != PushStatus.SENT], client)
    pushes_finish(outcomes)

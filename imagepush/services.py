"""Pushing pictures to Ozon: record, resolve, import, poll, confirm (SPEC §6, docs/ozon-api.md §5).

One run takes any number of valid pushes:

1. records each as `validated` (refused input is recorded as `failed`);
2. finds each product's `offer_id` in the catalogue, or asks `/v3/product/info/list`;
3. sends `/v2/product/pictures/import` in batches of ≤ 100 items (`sent`, with
   Ozon's task id); a 429 is waited out when Ozon's `Item-Retry-After` fits
   the run's time budget;
4. polls `/v1/product/import/info` with backoff until every item is
   `imported` / `failed` / `skipped`, or the budget is spent (the push stays
   `sent`: Ozon may still finish it);
5. reads `/v2/product/pictures/info` for what Ozon holds now, and writes the
   outcome (and the SKU's images) in one short transaction.

Nothing half-done counts as success: only an `imported` / `skipped` push whose
pictures were read back is `ok`. HTTP never runs inside a transaction.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.validation import Credential, PushRequest, Validation, image_push_validate, problem
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import PAGE_LIMIT, OzonClient
from ozonprice.clients.ozon_pictures import IMPORT_MAX_ITEMS, ImportItemResult, picture_item
from ozonprice.models import RuntimeSettings
from ozonprice.runs import RunSummary, run_summary_log, task_run

logger = logging.getLogger(__name__)

# How long one run may wait for Ozon (task polling and quota waits): an
# ImageStudio user is watching a spinner.
WAIT_S = 60.0
POLL_FIRST_S = 0.5
POLL_MAX_S = 5.0
PREFIX = "Ozon API error: "
STORED_IMAGES_MAX = 100


class Kind:
    """Why a push is not ok; the API maps each to one HTTP status."""

    OK = "ok"
    INVALID = "invalid"  # the request itself (400)
    NOT_FOUND = "not_found"  # Ozon does not know the product (404)
    QUOTA = "quota"  # Ozon's item quota (503 + Retry-After)
    PENDING = "pending"  # Ozon has not finished within the budget (504)
    OZON = "ozon"  # any other Ozon failure, including a task that ended `failed` (502)


@dataclass
class PushOutcome:
    push: ImagePush
    kind: str = Kind.OK
    retry_after: int | None = None  # seconds, for a quota refusal

    @property
    def ok(self) -> bool:
        return self.kind == Kind.OK and self.push.ok

    @property
    def errors(self) -> list[dict[str, Any]]:
        return list(self.push.errors or [])

    def fail(self, kind: str, message: str, *, status: str = PushStatus.FAILED, retry_after: float | None = None) -> None:
        self.kind = kind
        self.push.status = status
        self.push.error = message if message.startswith(PREFIX) else PREFIX + message
        if retry_after is not None:
            self.retry_after = max(1, math.ceil(retry_after))

    def summary(self) -> str:
        push = self.push
        name = push.offer_id or push.product_id or "?"
        if self.ok:
            return f"{name}: {push.get_status_display()}, {len(push.current_images or [])} images on Ozon"
        return f"{name}: {push.error or push.get_status_display()}"


@dataclass(frozen=True)
class Timer:
    """The run's time budget, on an injectable clock."""

    deadline: float
    clock: Callable[[], float]
    sleep: Callable[[float], None]

    def fits(self, seconds: float) -> bool:
        return self.clock() + seconds <= self.deadline


# --- entry points -------------------------------------------------------------------
@task_run("image_push")
def image_push_submit(
    *,
    data: Any,
    source: str,
    requested_by: str = "",
    client: OzonClient | None = None,
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> PushOutcome:
    """Validate one push request as ImageStudio sends it, and run it.

    A `credential` in the request is used for this push's calls only (the seam
    scrubs its key from every log); otherwise the stored credentials.
    """
    runtime = RuntimeSettings.load()
    validation = image_push_validate(data=data, images_limit=runtime.images_limit)
    if validation.ok and client is None and validation.credential is None:
        if not (runtime.ozon_client_id and runtime.ozon_api_key):
            validation.errors.append(
                problem("credential", _("No Ozon credentials are stored: send credential {client_id, api_key}"))
            )
    if not validation.ok:
        return image_push_refuse(validation=validation, source=source, requested_by=requested_by)
    own_client = client is None
    client = client or ozon_client_for(credential=validation.credential)
    try:
        (outcome,) = image_pushes_run(
            requests=[validation.request],
            client=client,
            source=source,
            requested_by=requested_by,
            wait_s=wait_s,
            sleep=sleep,
            clock=clock,
        )
    finally:
        if own_client:
            client.close()
    return outcome


def image_push_refuse(*, validation: Validation, source: str, requested_by: str = "") -> PushOutcome:
    """Record a request that failed validation (nothing was sent to Ozon)."""
    push = ImagePush.objects.create(
        sku=Sku.objects.filter(product_id=validation.product_id).first() if validation.product_id else None,
        product_id=validation.product_id,
        images=validation.images[:STORED_IMAGES_MAX],
        primary_image=validation.primary_image[:2000],
        color_image=validation.color_image[:2000],
        source=source,
        requested_by=requested_by[:150],
        status=PushStatus.FAILED,
        errors=validation.errors[:STORED_IMAGES_MAX],
        error="invalid request: " + "; ".join(f"{e['field']}: {e['reason']}" for e in validation.errors[:5]),
        finished_at=timezone.now(),
    )
    return PushOutcome(push=push, kind=Kind.INVALID)


def ozon_client_for(*, credential: Credential | None) -> OzonClient:
    """The stored account's client, or one built for this request's credentials."""
    if credential is None:
        return OzonClient.from_settings()
    return OzonClient.for_account(client_id=credential.client_id, api_key=credential.api_key, caller_credentials=True)


@task_run("image_push")
def image_pushes_run(
    *,
    requests: Sequence[PushRequest],
    client: OzonClient,
    source: str = PushSource.ADMIN,
    requested_by: str = "",
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[PushOutcome]:
    """Push valid requests (one per product), in request order. Never raises for Ozon trouble."""
    timer = Timer(deadline=clock() + wait_s, clock=clock, sleep=sleep)
    outcomes = _record(requests, source=source, requested_by=requested_by)
    live = _resolve_offer_ids(outcomes, client)
    for batch in _chunks(live, IMPORT_MAX_ITEMS):
        task_id = _send(batch, client, timer)
        if task_id is not None:
            _poll(task_id, batch, client, timer)
    _confirm([o for o in outcomes if o.push.task_id is not None and o.push.status != PushStatus.SENT], client)
    _finish(outcomes)
    for outcome in outcomes:
        logger.info("image push %s: %s", outcome.push.pk, outcome.summary())
    done = sum(outcome.ok for outcome in outcomes)
    counts = {"pushes": len(outcomes), "ok": done, "failed": len(outcomes) - done}
    text = f"image push {'ok' if done == len(outcomes) else 'FAILED'}: pushes {len(outcomes)}, ok {done}, failed {len(outcomes) - done}"
    run_summary_log(logger, RunSummary(text, ok=done == len(outcomes), counts=counts))
    return outcomes


# --- the steps ----------------------------------------------------------------------
def _record(requests: Sequence[PushRequest], *, source: str, requested_by: str) -> list[PushOutcome]:
    skus = {
        sku.product_id: sku
        for sku in Sku.objects.filter(product_id__in=[r.product_id for r in requests]).only("id", "product_id", "offer_id")
    }
    rows = [
        ImagePush(
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
        created = ImagePush.objects.bulk_create(rows)
    return [PushOutcome(push=push) for push in created]


def _resolve_offer_ids(outcomes: list[PushOutcome], client: OzonClient) -> list[PushOutcome]:
    """Ask Ozon for the offer_ids the catalogue lacks; the pushes that can go on."""
    unknown = [o for o in outcomes if not o.push.offer_id]
    for chunk in _chunks(unknown, PAGE_LIMIT):
        try:
            infos = client.product_info_list(product_ids=[o.push.product_id for o in chunk])
        except ApiError as error:
            for outcome in chunk:
                _fail_on(outcome, error)
            continue
        offer_ids = {info.product_id: info.offer_id for info in infos}
        for outcome in chunk:
            offer_id = offer_ids.get(outcome.push.product_id)
            if offer_id:
                outcome.push.offer_id = offer_id
            else:
                outcome.fail(Kind.NOT_FOUND, f"product {outcome.push.product_id} not found on Ozon")
    return [o for o in outcomes if o.push.status == PushStatus.VALIDATED]


def _send(batch: list[PushOutcome], client: OzonClient, timer: Timer) -> int | None:
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
            if error.status == 429 and error.retry_after is not None and timer.fits(wait):
                logger.info("picture import quota used up; waiting %.0fs as Ozon asks", wait)
                timer.sleep(wait)
                continue
            for outcome in batch:
                _fail_on(outcome, error)
            return None
    now = timezone.now()
    for outcome in batch:
        outcome.push.status, outcome.push.task_id, outcome.push.sent_at = PushStatus.SENT, task_id, now
    # Recorded at once: should this process die now, the row still names Ozon's task.
    ImagePush.objects.bulk_update([o.push for o in batch], ["offer_id", "status", "task_id", "sent_at"])
    return task_id


def _poll(task_id: int, batch: list[PushOutcome], client: OzonClient, timer: Timer) -> None:
    """Read the task until every item is final, backing off; bounded by the run's budget."""
    delay, last_error = POLL_FIRST_S, None
    while True:
        try:
            items = client.import_info(task_id)
        except ApiError as error:
            if error.permanent:
                for outcome in batch:
                    outcome.fail(Kind.OZON, f"cannot read import task {task_id}: {error.message}", status=PushStatus.SENT)
                return
            items, last_error = [], error
        _apply(task_id, batch, items)
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


def _apply(task_id: int, batch: list[PushOutcome], items: list[ImportItemResult]) -> None:
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


def _confirm(outcomes: list[PushOutcome], client: OzonClient) -> None:
    """Record the pictures Ozon holds now; an import whose pictures cannot be read back is not ok."""
    for chunk in _chunks(outcomes, PAGE_LIMIT):
        try:
            held = client.pictures_info([o.push.product_id for o in chunk])
        except ApiError as error:
            for outcome in chunk:
                if outcome.kind == Kind.OK:
                    outcome.fail(Kind.OZON, f"{outcome.push.get_status_display()}, but reading the pictures back "
                                 f"failed: {error.message}", status=outcome.push.status)
            continue
        for outcome in chunk:
            push, pictures = outcome.push, held.get(outcome.push.product_id)
            if pictures is None:
                if outcome.kind == Kind.OK:
                    outcome.fail(Kind.OZON, f"Ozon did not return the pictures of product {push.product_id}",
                                 status=push.status)
                continue
            push.current_images, push.current_color_image = pictures.images, pictures.color_image
            sent = {*push.images, push.primary_image, push.color_image} - {""}
            missing = [e for e in pictures.errors if e["url"] in sent]
            if missing and outcome.kind == Kind.OK:
                push.errors = [*push.errors, *missing]
                outcome.fail(Kind.OZON, "Ozon could not download " + ", ".join(e["url"] for e in missing))


def _finish(outcomes: list[PushOutcome]) -> None:
    """The outcome of every push and the confirmed SKUs' images, in one short transaction."""
    now = timezone.now()
    fields = ["offer_id", "status", "task_id", "result", "errors", "error", "current_images",
              "current_color_image", "finished_at"]
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


# --- helpers ----------------------------------------------------------------------
def _fail_on(outcome: PushOutcome, error: ApiError) -> None:
    if error.status == 429:
        wait = f" (retry in {math.ceil(error.retry_after / 60)} min)" if error.retry_after else ""
        outcome.fail(Kind.QUOTA, f"{error.message}{wait}", retry_after=error.retry_after)
    elif error.outcome_unknown:
        outcome.fail(Kind.OZON, f"{error.message}; the import may or may not have been applied: pushing again is safe")
    else:
        outcome.fail(Kind.OZON, error.message)


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


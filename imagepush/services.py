"""Pushing pictures to Ozon: record, resolve, import, poll, confirm (SPEC §6, docs/ozon-api.md §5).

One run takes any number of valid pushes:

1. records each as `validated` (refused input is recorded as `failed`);
2. finds each product's `offer_id` in the catalogue, or asks `/v3/product/info/list`;
3. sends `/v2/product/pictures/import` in batches of ≤ 100 items (`sent`, with
   Ozon's task id); a rate-limit refusal (`RateLimited`) is waited out when
   Ozon's `Item-Retry-After` fits the run's time budget;
4. polls `/v1/product/import/info` with backoff until every item is
   `imported` / `failed` / `skipped`, or the budget is spent (the push stays
   `sent`: Ozon may still finish it, and `imagepush.repoll` settles it later);
5. reads `/v2/product/pictures/info` for what Ozon holds now, and writes the
   outcome (and the SKU's images) in one short transaction.

The steps live in `imagepush.steps`. Nothing half-done counts as success: only
an `imported` / `skipped` push whose pictures were read back is `ok`. HTTP
never runs inside a transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Sku
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.outcomes import PREFIX, Kind, PushOutcome, Timer
from imagepush.steps import outcome_fail_on, pushes_carry, pushes_finish, pushes_record
from imagepush.validation import Credential, PushRequest, Validation, image_push_validate, problem
from ozonprice.accounts import AccountError, account_resolve
from ozonprice.clients.http import ApiError
from ozonprice.clients.ozon import OzonClient
from ozonprice.models import Account, RuntimeSettings
from ozonprice.runs import RunSummary, run_summary_log, task_run

__all__ = [
    "PREFIX",
    "Kind",
    "PushOutcome",
    "account_for_client_id",
    "image_push_refuse",
    "image_push_submit",
    "image_pushes_record",
    "image_pushes_run",
    "image_pushes_send",
    "ozon_client_for",
]

logger = logging.getLogger(__name__)

# How long one run may wait for Ozon (task polling and quota waits): an
# ImageStudio user is watching a spinner.
WAIT_S = 60.0
STORED_IMAGES_MAX = 100


@task_run("image_push")
def image_push_submit(
    *,
    data: Any,
    source: str,
    requested_by: str = "",
    account: Account | None = None,
    client: OzonClient | None = None,
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> PushOutcome:
    """Validate one push request as ImageStudio sends it, and run it.

    A `credential` in the request is used for this push's calls only (the seam
    scrubs its key from every log, nothing stores it); the push belongs to the
    account with that Client-Id, or to none. Without one, the stored credentials
    of `account` (None: the only account).
    """
    runtime = RuntimeSettings.load()
    validation = image_push_validate(data=data, images_limit=runtime.images_limit)
    if validation.ok and validation.credential is not None:
        account = account_for_client_id(validation.credential.client_id)
    elif validation.ok and account is None:
        try:
            account = account_resolve()
        except AccountError as error:
            # No account at all is the "no stored credentials" below; several, a request that must name one.
            if client is None and Account.objects.exists():
                validation.errors.append(problem(AccountError.field, str(error)))
    if validation.ok and client is None and validation.credential is None:
        if account is None or not (account.client_id and account.api_key):
            validation.errors.append(
                problem("credential", _("No Ozon credentials are stored: send credential {client_id, api_key}"))
            )
    if not validation.ok:
        return image_push_refuse(validation=validation, source=source, requested_by=requested_by, account=account)
    own_client = client is None
    client = client or ozon_client_for(credential=validation.credential, account=account)
    try:
        (outcome,) = image_pushes_run(
            requests=[validation.request],
            client=client,
            account=account,
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


def image_push_refuse(
    *, validation: Validation, source: str, requested_by: str = "", account: Account | None = None
) -> PushOutcome:
    """Record a request that failed validation (nothing was sent to Ozon)."""
    # A product id is one account's: without an account the push names no local SKU.
    sku = None
    if validation.product_id is not None and account is not None:
        sku = Sku.objects.filter(account=account, product_id=validation.product_id).first()
    push = ImagePush.objects.create(
        account=account,
        sku=sku,
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


def account_for_client_id(client_id: str) -> Account | None:
    """The account whose Ozon Client-Id this is: a push with a caller's credentials belongs to it (or to none)."""
    return Account.objects.filter(client_id=client_id.strip()).first() if client_id.strip() else None


def ozon_client_for(*, credential: Credential | None, account: Account | None = None) -> OzonClient:
    """A client for this request's credentials, else the account's stored ones (None: the settings')."""
    if credential is None:
        return OzonClient.of(account if account is not None else account_resolve())
    return OzonClient.for_account(client_id=credential.client_id, api_key=credential.api_key, caller_credentials=True)


@task_run("image_push")
def image_pushes_run(
    *,
    requests: Sequence[PushRequest],
    client: OzonClient,
    account: Account | None = None,
    source: str = PushSource.ADMIN,
    requested_by: str = "",
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[PushOutcome]:
    """Push valid requests (one per product), in request order. Never raises for Ozon trouble."""
    timer = Timer(deadline=clock() + wait_s, clock=clock, sleep=sleep)
    outcomes = pushes_record(requests, source=source, requested_by=requested_by, account=account)
    pushes_carry(outcomes, client, timer)
    return pushes_report(outcomes)


def image_pushes_record(*, requests: Sequence[PushRequest], source: str, requested_by: str = "") -> list[int]:
    """Record valid requests as `validated` pushes, to be sent later by `image_pushes_send`; their ids."""
    return [outcome.push.pk for outcome in pushes_record(requests, source=source, requested_by=requested_by)]


@task_run("image_push")
def image_pushes_send(
    *,
    push_ids: Sequence[int],
    client: OzonClient | None = None,
    on_progress: Callable[[int], None] | None = None,
    wait_s: float = WAIT_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[PushOutcome]:
    """Send recorded pushes that are still `validated` (an admin job's); a second delivery sends nothing.

    Never raises for Ozon trouble: without stored credentials every push is failed with the reason.
    """
    pushes = list(ImagePush.objects.filter(pk__in=list(push_ids), status=PushStatus.VALIDATED).order_by("id"))
    outcomes = [PushOutcome(push=push) for push in pushes]
    if not outcomes:
        return []
    own_client = client is None
    try:
        client = client or OzonClient.of(account_resolve())
    except ApiError as error:
        for outcome in outcomes:
            outcome_fail_on(outcome, error)
        pushes_finish(outcomes)
        return pushes_report(outcomes)
    try:
        timer = Timer(deadline=clock() + wait_s, clock=clock, sleep=sleep)
        pushes_carry(outcomes, client, timer, on_progress=on_progress)
    finally:
        if own_client:
            client.close()
    return pushes_report(outcomes)


def pushes_report(outcomes: list[PushOutcome]) -> list[PushOutcome]:
    """Log each push's outcome and the run's summary line."""
    for outcome in outcomes:
        logger.info("image push %s: %s", outcome.push.pk, outcome.summary())
    done = sum(outcome.ok for outcome in outcomes)
    counts = {"pushes": len(outcomes), "ok": done, "failed": len(outcomes) - done}
    text = f"image push {'ok' if done == len(outcomes) else 'FAILED'}: pushes {len(outcomes)}, ok {done}, failed {len(outcomes) - done}"
    run_summary_log(logger, RunSummary(text, ok=done == len(outcomes), counts=counts))
    return outcomes

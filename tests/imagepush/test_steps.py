"""The steps of an image push against the scripted pictures API: record, resolve, send, poll, confirm, finish.

`push` runs the steps as `imagepush.services` does (record, then carry), without the service's door.
"""

import pytest
import requests  # noqa: TID251 - tests drive the seam with requests' own exceptions
import responses

from catalog.models import Sku
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.outcomes import Kind, Timer
from imagepush.steps import offer_ids_resolve, pushes_carry, pushes_finish, pushes_record
from imagepush.validation import PushRequest
from tests.factories import SkuFactory
from tests.fakes.pictures import (
    BASE,
    DENIED_403,
    IMPORT_INFO,
    INFO_LIST,
    INTERNAL_500,
    INVALID_400,
    PICTURES_IMPORT,
    PICTURES_INFO,
    QUOTA_429,
    item_error,
)
from tests.imagepush.conftest import NEW, OLD

pytestmark = pytest.mark.django_db


def record(*requests_, requested_by="api-client"):
    return pushes_record(list(requests_), source=PushSource.API, requested_by=requested_by)


def carry(outcomes, client, clock, wait_s=60.0, **kwargs):
    pushes_carry(outcomes, client, Timer(deadline=clock() + wait_s, clock=clock, sleep=clock.sleep), **kwargs)
    return outcomes


def push(client, clock, wait_s=60.0, product_id=111, images=tuple(NEW), **data):
    (outcome,) = carry(record(PushRequest(product_id=product_id, images=images, **data)), client, clock, wait_s)
    return outcome


# --- record ----------------------------------------------------------------------------------
def test_recording_links_catalogue_skus_and_leaves_unknown_products_to_be_resolved(sku):
    outcomes = record(
        PushRequest(product_id=111, images=tuple(NEW), color_image="https://r2.com/c.jpg"),
        PushRequest(product_id=999, images=("https://r2.com/x.jpg",)),
        requested_by="x" * 200,
    )

    rows = list(ImagePush.objects.order_by("product_id"))
    assert [o.push.pk for o in outcomes] == [r.pk for r in rows]
    assert [(r.sku_id, r.offer_id, r.status) for r in rows] == [
        (sku.pk, "ART-111", PushStatus.VALIDATED),
        (None, "", PushStatus.VALIDATED),
    ]
    assert rows[0].images == NEW and rows[0].color_image == "https://r2.com/c.jpg"
    assert {(r.source, r.requested_by) for r in rows} == {(PushSource.API, "x" * 150)}
    assert {o.kind for o in outcomes} == {Kind.OK}


# --- resolve ---------------------------------------------------------------------------------
def test_offer_ids_ozon_cannot_give_fail_those_pushes_only(ozon, client, sku):
    ozon.fail(INFO_LIST, 500, INTERNAL_500)
    outcomes = record(PushRequest(product_id=111, images=tuple(NEW)), PushRequest(product_id=222, images=tuple(NEW)))

    live = offer_ids_resolve(outcomes, client)

    assert [o.push.product_id for o in live] == [111]  # the catalogue knew it: no call needed
    assert (outcomes[1].kind, outcomes[1].push.status) == (Kind.OZON, PushStatus.FAILED)
    assert "Internal error" in outcomes[1].push.error
    assert ozon.bodies[INFO_LIST] == [{"product_id": ["222"]}]


def test_a_product_ozon_does_not_know_is_not_found_and_never_sent(ozon, client, clock):
    outcome = push(client, clock, product_id=999)

    assert (outcome.kind, outcome.push.status) == (Kind.NOT_FOUND, PushStatus.FAILED)
    assert outcome.push.error == "Ozon API error: product 999 not found on Ozon"
    assert ImagePush.objects.get().finished_at is not None
    assert ozon.calls(PICTURES_IMPORT) == 0


# --- send, poll -------------------------------------------------------------------------------
def test_the_task_is_polled_with_backoff_until_it_is_done(ozon, client, clock, sku, ozon_credentials):
    ozon.pending_polls = 5

    assert push(client, clock).ok
    assert ozon.calls(IMPORT_INFO) == 6
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 5.0]


def test_a_task_still_pending_when_the_wait_is_over_stays_sent(ozon, client, clock, sku, ozon_credentials):
    ozon.pending_polls = 1000

    outcome = push(client, clock, wait_s=10)

    assert not outcome.ok and outcome.kind == Kind.PENDING
    row = ImagePush.objects.get()
    assert row.status == PushStatus.SENT and row.task_id == 7000001 and row.finished_at is None
    assert row.error.startswith("Ozon API error: import task 7000001 is still pending")
    assert sum(clock.sleeps) <= 10
    sku.refresh_from_db()
    assert sku.images == OLD


def test_a_task_that_ends_failed_is_a_failure_with_ozons_reasons(ozon, client, clock, sku, ozon_credentials):
    reason = "failed to download image https://r2.com/img2.jpg"
    ozon.failing["ART-111"] = [item_error("image_download_failed", reason)]

    outcome = push(client, clock)

    assert not outcome.ok and outcome.kind == Kind.OZON
    row = outcome.push
    assert row.status == PushStatus.FAILED
    assert row.error == f"Ozon API error: import task 7000001 failed for ART-111: {reason}"
    assert row.errors[0]["code"] == "image_download_failed"
    assert row.current_images == OLD  # what Ozon kept, recorded
    sku.refresh_from_db()
    assert sku.images == OLD


def test_pictures_ozon_already_holds_are_skipped_and_that_is_success(ozon, client, clock, sku, ozon_credentials):
    assert push(client, clock).push.status == PushStatus.IMPORTED

    again = push(client, clock)

    assert again.ok and again.push.status == PushStatus.SKIPPED
    assert again.push.current_images == NEW


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (400, INVALID_400, "Ozon API error: ozon 400 on /v2/product/pictures/import: items[0].images"),
        (
            403,
            DENIED_403,
            "Ozon API error: ozon 403 on /v2/product/pictures/import: Api-Key is missing a required role",
        ),
        (500, INTERNAL_500, "Ozon API error: ozon 500 on /v2/product/pictures/import: Internal error"),
    ],
)
def test_an_import_ozon_refuses_is_failed_and_sent_once(
    ozon, client, clock, sku, ozon_credentials, status, body, message
):
    ozon.fail(PICTURES_IMPORT, status, body)

    outcome = push(client, clock)

    assert not outcome.ok and outcome.kind == Kind.OZON
    assert outcome.push.error.startswith(message)
    assert outcome.push.status == PushStatus.FAILED and outcome.push.task_id is None
    assert ozon.calls(PICTURES_IMPORT) == 1


def test_an_import_without_an_answer_says_pushing_again_is_safe(no_network, ozon, client, clock, sku, ozon_credentials):
    no_network.replace(responses.POST, BASE + PICTURES_IMPORT, body=requests.ReadTimeout("read timed out"))

    outcome = push(client, clock)

    assert outcome.kind == Kind.OZON and outcome.push.status == PushStatus.FAILED
    assert "may or may not have been applied: pushing again is safe" in outcome.push.error


def test_a_used_up_quota_is_waited_out_when_item_retry_after_fits(ozon, client, clock, sku, ozon_credentials):
    ozon.fail(PICTURES_IMPORT, 429, QUOTA_429, {"Item-Retry-After": "1"})

    outcome = push(client, clock, wait_s=120)

    assert outcome.ok
    assert clock.sleeps[0] == 60.0  # one minute, as Ozon asked
    assert ozon.calls(PICTURES_IMPORT) == 2


def test_a_quota_reset_beyond_the_wait_fails_with_the_retry_time(ozon, client, clock, sku, ozon_credentials):
    ozon.fail(PICTURES_IMPORT, 429, QUOTA_429, {"Item-Retry-After": "5"})

    outcome = push(client, clock, wait_s=60)

    assert not outcome.ok and outcome.kind == Kind.QUOTA
    assert outcome.retry_after == 300
    assert outcome.push.status == PushStatus.FAILED
    assert outcome.push.error.endswith("(retry in 5 min)")
    assert clock.sleeps == [] and ozon.calls(PICTURES_IMPORT) == 1


def test_a_task_read_that_fails_for_a_moment_is_read_again(ozon, client, clock, sku, ozon_credentials):
    ozon.fail(IMPORT_INFO, 500, INTERNAL_500)

    assert push(client, clock).ok
    assert ozon.calls(IMPORT_INFO) == 2


def test_a_task_ozon_cannot_find_leaves_the_push_sent_with_the_reason(ozon, client, clock, sku, ozon_credentials):
    ozon.fail(IMPORT_INFO, 404, {"code": 5, "message": "task 7000001 not found", "details": []})

    outcome = push(client, clock)

    assert outcome.kind == Kind.OZON and outcome.push.status == PushStatus.SENT
    assert "cannot read import task 7000001" in outcome.push.error


def test_an_import_whose_pictures_cannot_be_read_back_is_not_reported_as_done(
    ozon, client, clock, sku, ozon_credentials
):
    ozon.fail(PICTURES_INFO, 500, INTERNAL_500)

    outcome = push(client, clock)

    assert not outcome.ok and outcome.kind == Kind.OZON
    assert outcome.push.status == PushStatus.IMPORTED  # true, but unconfirmed
    assert "reading the pictures back failed" in outcome.push.error
    assert outcome.push.current_images is None


def test_a_url_ozon_reports_it_could_not_download_fails_the_push(
    no_network, ozon, client, clock, sku, ozon_credentials
):
    held = {
        "product_id": 111,
        "primary_photo": NEW[:1],
        "photo": NEW,
        "color_photo": [],
        "errors": [{"message": "failed to download image", "url": NEW[2]}],
    }
    ozon.fail(PICTURES_INFO, 200, {"items": [held]})

    outcome = push(client, clock)

    assert outcome.kind == Kind.OZON and outcome.push.status == PushStatus.FAILED
    assert outcome.push.error == f"Ozon API error: Ozon could not download {NEW[2]}"


# --- many at once: batches of ≤ 100 ----------------------------------------------------------
def test_many_pushes_go_in_imports_of_at_most_100_with_progress_and_one_pictures_read(
    ozon, client, clock, django_assert_max_num_queries
):
    for i in range(150):
        ozon.add(1000 + i, f"ART-{i}", OLD)
        SkuFactory(product_id=1000 + i, offer_id=f"ART-{i}")
    outcomes = record(*[PushRequest(product_id=1000 + i, images=(f"https://r2.com/{i}.jpg",)) for i in range(150)])
    progress = []

    with django_assert_max_num_queries(12):  # not one per push
        carry(outcomes, client, clock, on_progress=progress.append)

    assert [len(batch) for batch in ozon.imports] == [100, 50] and progress == [100, 150]
    assert ozon.calls(PICTURES_INFO) == 1
    assert all(o.ok for o in outcomes)
    assert set(ImagePush.objects.values_list("status", flat=True)) == {PushStatus.IMPORTED}
    assert Sku.objects.get(product_id=1149).images == ["https://r2.com/149.jpg"]


# --- finish -----------------------------------------------------------------------------------
def test_finishing_records_every_outcome_and_updates_only_the_confirmed_skus(sku):
    other = SkuFactory(product_id=222, offer_id="ART-222", images=OLD)
    done, failed, waiting = record(
        PushRequest(product_id=111, images=tuple(NEW)),
        PushRequest(product_id=222, images=tuple(NEW)),
        PushRequest(product_id=333, images=tuple(NEW)),
    )
    done.push.status, done.push.current_images, done.push.current_color_image = PushStatus.IMPORTED, NEW, ""
    failed.fail(Kind.OZON, "refused")
    waiting.fail(Kind.PENDING, "still pending", status=PushStatus.SENT)

    pushes_finish([done, failed, waiting])

    rows = {r.product_id: r for r in ImagePush.objects.all()}
    assert rows[111].status == PushStatus.IMPORTED and rows[111].finished_at is not None
    assert (rows[222].status, rows[222].error) == (PushStatus.FAILED, "Ozon API error: refused")
    assert rows[333].status == PushStatus.SENT and rows[333].finished_at is None  # the re-poll settles it
    sku.refresh_from_db()
    other.refresh_from_db()
    assert (sku.images, sku.primary_image, sku.color_image) == (NEW, NEW[0], "")
    assert other.images == OLD

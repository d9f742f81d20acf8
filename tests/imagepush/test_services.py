"""The push service against a scripted Ozon: resolve, import, poll, confirm, record; and every failure."""

import json

import pytest
import requests  # noqa: TID251 - tests drive the seam with requests' own exceptions
import responses
from django.db import transaction

from auditlog.models import ApiLogEntry
from catalog.models import Sku
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.services import Kind, image_push_submit, image_pushes_run
from imagepush.validation import PushRequest
from ozonprice.clients.http import RetryPolicy
from ozonprice.clients.ozon import OzonClient
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
    FakePictures,
    item_error,
)

pytestmark = pytest.mark.django_db

OLD = ["https://cdn.ozon.example/old/1.jpg", "https://cdn.ozon.example/old/2.jpg"]
NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg", "https://r2.com/img3.jpg"]
COLOR = "https://r2.com/color.jpg"


class Clock:
    """A clock that moves only when the service sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ozon(no_network):
    fake = FakePictures()
    fake.add(111, "ART-111", OLD)
    return fake.install(no_network)


@pytest.fixture
def client(clock):
    # No retries in the seam: these tests drive the service's own waiting.
    client = OzonClient(
        base_url=BASE,
        client_id="123456",
        api_key="stored-key-0",
        rate_limit=0,
        retry=RetryPolicy(max_retries=0),
        sleep=clock.sleep,
    )
    yield client
    client.close()


@pytest.fixture
def sku():
    return SkuFactory(product_id=111, offer_id="ART-111", images=OLD, primary_image=OLD[0])


def push(client, clock, wait_s=60.0, **data):
    body = {"product_id": 111, "images": NEW, **data}
    return image_push_submit(
        data=body,
        source=PushSource.API,
        requested_by="api-client",
        client=client,
        wait_s=wait_s,
        sleep=clock.sleep,
        clock=clock,
    )


# --- the whole way --------------------------------------------------------------------------
def test_a_catalogue_product_is_imported_confirmed_and_recorded(ozon, client, clock, sku, ozon_credentials):
    outcome = push(client, clock, color_image=COLOR)

    assert outcome.ok and outcome.kind == Kind.OK
    row = ImagePush.objects.get()
    assert row.sku == sku and (row.product_id, row.offer_id) == (111, "ART-111")
    assert (row.images, row.color_image, row.source, row.requested_by) == (NEW, COLOR, "api", "api-client")
    assert row.status == PushStatus.IMPORTED and row.task_id == 7000001
    assert row.result == {"offer_id": "ART-111", "product_id": 111, "status": "imported", "errors": []}
    assert row.current_images == NEW and row.current_color_image == COLOR
    assert row.sent_at and row.finished_at and row.error == ""
    assert ozon.imports == [[{"offer_id": "ART-111", "images": NEW, "color_image": COLOR}]]
    assert ozon.calls(INFO_LIST) == 0  # the catalogue knew the offer_id
    sku.refresh_from_db()
    assert (sku.images, sku.primary_image, sku.color_image) == (NEW, NEW[0], COLOR)


def test_a_product_missing_from_the_catalogue_gets_its_offer_id_from_ozon(ozon, client, clock, ozon_credentials):
    outcome = push(client, clock)

    assert outcome.ok
    assert ozon.bodies[INFO_LIST] == [{"product_id": ["111"]}]
    assert ozon.imports[0][0]["offer_id"] == "ART-111"
    row = ImagePush.objects.get()
    assert row.sku is None and row.offer_id == "ART-111"


def test_a_product_ozon_does_not_know_is_not_found_and_nothing_is_imported(ozon, client, clock, ozon_credentials):
    outcome = push(client, clock, product_id=999)

    assert not outcome.ok and outcome.kind == Kind.NOT_FOUND
    assert outcome.push.error == "Ozon API error: product 999 not found on Ozon"
    assert outcome.push.status == PushStatus.FAILED and outcome.push.finished_at
    assert ozon.calls(PICTURES_IMPORT) == 0


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


# --- Ozon refusing or failing -------------------------------------------------------------
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
def test_many_pushes_go_in_imports_of_at_most_100_and_one_pictures_read(
    ozon, client, clock, django_assert_max_num_queries
):
    for i in range(150):
        ozon.add(1000 + i, f"ART-{i}", OLD)
        SkuFactory(product_id=1000 + i, offer_id=f"ART-{i}")
    requests_ = [PushRequest(product_id=1000 + i, images=(f"https://r2.com/{i}.jpg",)) for i in range(150)]

    with django_assert_max_num_queries(16):  # not one per push
        outcomes = image_pushes_run(requests=requests_, client=client, sleep=clock.sleep, clock=clock)

    assert [len(batch) for batch in ozon.imports] == [100, 50]
    assert ozon.calls(PICTURES_INFO) == 1
    assert all(o.ok for o in outcomes)
    assert [o.push.product_id for o in outcomes] == [1000 + i for i in range(150)]
    assert Sku.objects.get(product_id=1149).images == ["https://r2.com/149.jpg"]


# --- refused input, credentials ----------------------------------------------------------
def test_an_invalid_request_is_recorded_as_failed_and_nothing_is_sent(no_network, ozon_credentials):
    outcome = image_push_submit(
        data={
            "product_id": 111,
            "images": ["https://r2.com/1.jpg", "ftp://x/2.jpg"],
            "images360": ["https://r2.com/3.jpg"],
        },
        source=PushSource.API,
    )

    assert outcome.kind == Kind.INVALID
    assert [e["field"] for e in outcome.errors] == ["images", "images360"]
    row = ImagePush.objects.get()
    assert row.status == PushStatus.FAILED and row.errors == outcome.errors and row.images[0] == "https://r2.com/1.jpg"
    assert row.error.startswith("invalid request: images: Invalid URL format")
    assert len(no_network.calls) == 0


def test_without_stored_credentials_a_request_must_bring_its_own(no_network, db):
    outcome = image_push_submit(data={"product_id": 111, "images": NEW}, source=PushSource.API)

    assert outcome.kind == Kind.INVALID
    assert outcome.errors[0]["field"] == "credential"
    assert len(no_network.calls) == 0


def test_a_sent_credential_is_used_for_the_calls_and_never_stored_or_logged(ozon, no_network, caplog, db):
    key = "request-only-api-key-9f8e7d"
    outcome = image_push_submit(
        data={"product_id": 111, "images": NEW, "credential": {"client_id": "777", "api_key": key}},
        source=PushSource.API,
        requested_by="api-client",
    )

    assert outcome.ok
    assert {call.request.headers["Api-Key"] for call in no_network.calls} == {key}
    assert {call.request.headers["Client-Id"] for call in no_network.calls} == {"777"}
    stored = json.dumps([list(ImagePush.objects.values()), list(ApiLogEntry.objects.values())], default=str)
    assert ApiLogEntry.objects.count() == len(no_network.calls)
    assert key not in stored and key not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_no_ozon_call_runs_inside_a_transaction(no_network, clock):
    fake = FakePictures()
    fake.add(111, "ART-111", OLD)
    seen = []
    for path in (INFO_LIST, PICTURES_IMPORT, IMPORT_INFO, PICTURES_INFO):
        original = fake.__getattribute__(
            {INFO_LIST: "_info_list", PICTURES_IMPORT: "_import", IMPORT_INFO: "_info", PICTURES_INFO: "_pictures"}[
                path
            ]
        )

        def spy(body, original=original, path=path):
            seen.append((path, transaction.get_connection().in_atomic_block))
            return original(body)

        setattr(
            fake,
            {INFO_LIST: "_info_list", PICTURES_IMPORT: "_import", IMPORT_INFO: "_info", PICTURES_INFO: "_pictures"}[
                path
            ],
            spy,
        )
    fake.install(no_network)
    client = OzonClient(base_url=BASE, client_id="1", api_key="k", rate_limit=0)

    (outcome,) = image_pushes_run(
        requests=[PushRequest(product_id=111, images=tuple(NEW))], client=client, sleep=clock.sleep, clock=clock
    )

    assert outcome.ok
    assert [path for path, _ in seen] == [INFO_LIST, PICTURES_IMPORT, IMPORT_INFO, PICTURES_INFO]
    assert not any(atomic for _, atomic in seen)


# --- recorded pushes, sent later (the admin's background job) ----------------------------
def test_recorded_pushes_are_sent_once_with_progress_and_a_second_delivery_sends_nothing(
    ozon, client, clock, sku, ozon_credentials
):
    from imagepush.services import image_pushes_record, image_pushes_send

    push_ids = image_pushes_record(
        requests=[PushRequest(product_id=111, images=tuple(NEW))], source=PushSource.ADMIN, requested_by="boss"
    )
    assert ImagePush.objects.get().status == PushStatus.VALIDATED and ozon.imports == []
    progress = []

    (outcome,) = image_pushes_send(
        push_ids=push_ids, client=client, on_progress=progress.append, sleep=clock.sleep, clock=clock
    )
    again = image_pushes_send(push_ids=push_ids, client=client, sleep=clock.sleep, clock=clock)

    assert outcome.ok and progress == [1] and again == []
    assert len(ozon.imports) == 1 and ImagePush.objects.get().status == PushStatus.IMPORTED

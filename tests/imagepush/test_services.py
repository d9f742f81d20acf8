"""The push service against a scripted Ozon: the whole way, refused input, credentials, transactions, jobs.

Each step's own behaviour (polling, quota, Ozon's failures, batches) is tested in test_steps.py.
"""

import json

import pytest
from django.db import transaction

from auditlog.models import ApiLogEntry
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.services import Kind, image_push_submit, image_pushes_run
from imagepush.validation import PushRequest
from ozonprice.clients.ozon import OzonClient
from tests.fakes.pictures import BASE, IMPORT_INFO, INFO_LIST, PICTURES_IMPORT, PICTURES_INFO, FakePictures
from tests.imagepush.conftest import COLOR, NEW, OLD

pytestmark = pytest.mark.django_db


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

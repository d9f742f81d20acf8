"""The re-poll of pushes left `sent` (a 504): settled when Ozon has finished, bounded, leased, given up in time."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from imagepush import repoll
from imagepush.models import ImagePush, PushSource, PushStatus
from imagepush.repoll import image_pushes_repoll
from imagepush.services import Kind, image_push_submit
from ozonprice.leases import task_lease
from tests.factories import SkuFactory
from tests.fakes.pictures import IMPORT_INFO, INTERNAL_500, PICTURES_INFO, FakePictures

pytestmark = pytest.mark.django_db

OLD = ["https://cdn.ozon.example/old/1.jpg"]
NEW = ["https://r2.com/img1.jpg", "https://r2.com/img2.jpg"]


@pytest.fixture
def ozon(no_network, settings):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    fake = FakePictures()
    fake.add(111, "ART-111", OLD)
    fake.add(222, "ART-222", OLD)
    return fake.install(no_network)


def left_sent(ozon, client, product_id=111, age=timedelta(minutes=10)):
    """A push whose run gave up waiting (the API's 504), sent `age` ago."""
    ozon.pending_polls = 1000
    outcome = image_push_submit(
        data={"product_id": product_id, "images": NEW}, source=PushSource.API, client=client, wait_s=0
    )
    assert outcome.kind == Kind.PENDING
    ImagePush.objects.filter(pk=outcome.push.pk).update(sent_at=timezone.now() - age)
    return outcome.push.pk


def test_a_push_ozon_has_finished_since_is_settled_with_the_pictures_read_back(ozon, client, ozon_credentials):
    sku = SkuFactory(product_id=111, offer_id="ART-111", images=OLD, primary_image=OLD[0])
    pk = left_sent(ozon, client)
    ozon.pending_polls = 0

    result = image_pushes_repoll(client=client)

    push = ImagePush.objects.get(pk=pk)
    assert (push.status, push.error, push.current_images) == (PushStatus.IMPORTED, "", NEW)
    assert push.ok and push.finished_at is not None
    assert (result.tasks, result.settled, result.settled_ok, result.pending, result.ok) == (1, 1, 1, 0, True)
    sku.refresh_from_db()
    assert sku.images == NEW


def test_a_task_still_pending_stays_sent_for_the_next_run(ozon, client, ozon_credentials):
    pk = left_sent(ozon, client)

    result = image_pushes_repoll(client=client)

    assert ImagePush.objects.get(pk=pk).status == PushStatus.SENT
    assert (result.settled, result.pending) == (0, 1)
    assert ozon.calls(PICTURES_INFO) == 0


def test_a_task_that_ended_failed_is_recorded_failed_with_ozons_reason(ozon, client, ozon_credentials):
    pk = left_sent(ozon, client)
    ozon.pending_polls = 0
    ozon.failing["ART-111"] = [
        {
            "code": "E",
            "message": "bad image",
            "state": "failed",
            "level": "error",
            "description": "bad image",
            "field": "images",
            "attribute_id": 0,
            "attribute_name": "",
        }
    ]

    image_pushes_repoll(client=client)

    push = ImagePush.objects.get(pk=pk)
    assert push.status == PushStatus.FAILED and "bad image" in push.error


def test_a_young_push_is_left_to_the_run_that_sent_it(ozon, client, ozon_credentials):
    left_sent(ozon, client, age=timedelta(seconds=30))
    polls = ozon.calls(IMPORT_INFO)

    assert image_pushes_repoll(client=client).tasks == 0
    assert ozon.calls(IMPORT_INFO) == polls


def test_each_run_reads_at_most_max_tasks_oldest_first(ozon, client, ozon_credentials):
    older = left_sent(ozon, client, product_id=111, age=timedelta(minutes=20))
    newer = left_sent(ozon, client, product_id=222, age=timedelta(minutes=10))
    ozon.pending_polls = 0
    polls = ozon.calls(IMPORT_INFO)

    result = image_pushes_repoll(client=client, max_tasks=1)

    assert result.tasks == 1 and ozon.calls(IMPORT_INFO) == polls + 1
    assert ImagePush.objects.get(pk=older).status == PushStatus.IMPORTED
    assert ImagePush.objects.get(pk=newer).status == PushStatus.SENT


def test_an_ozon_error_leaves_the_push_sent_and_fails_the_run(ozon, client, ozon_credentials):
    pk = left_sent(ozon, client)
    ozon.fail(IMPORT_INFO, 500, INTERNAL_500)

    result = image_pushes_repoll(client=client)

    assert ImagePush.objects.get(pk=pk).status == PushStatus.SENT
    assert not result.ok and "import task 7000001" in result.errors[0]


def test_a_push_ozon_never_finished_is_given_up_after_a_day_without_a_call(ozon, client, ozon_credentials):
    pk = left_sent(ozon, client, age=timedelta(hours=25))
    polls = ozon.calls(IMPORT_INFO)

    result = image_pushes_repoll(client=client)

    push = ImagePush.objects.get(pk=pk)
    assert push.status == PushStatus.FAILED and "still pending after 24 h" in push.error
    assert result.gave_up == 1 and ozon.calls(IMPORT_INFO) == polls


def test_a_second_run_while_one_holds_the_lease_does_nothing(ozon, client, ozon_credentials):
    pk = left_sent(ozon, client)
    ozon.pending_polls = 0

    with task_lease(repoll.LEASE):
        result = image_pushes_repoll(client=client)

    assert result.skipped and ImagePush.objects.get(pk=pk).status == PushStatus.SENT


def test_the_command_prints_the_summary_and_fails_on_errors(ozon, client, ozon_credentials, capsys):
    left_sent(ozon, client)
    ozon.pending_polls = 0
    call_command("repoll_image_pushes")
    assert "settled 1" in capsys.readouterr().out

    left_sent(ozon, client)
    ozon.fail(IMPORT_INFO, 500, INTERNAL_500)
    with pytest.raises(CommandError, match="FAILED"):
        call_command("repoll_image_pushes")

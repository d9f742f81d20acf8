"""The image-push scheduled task: the re-poll once per slot with the stored credentials, failing loudly for django-q2."""

import pytest

from imagepush.models import ImagePush, PushStatus
from imagepush.tasks import repoll_image_pushes
from ozonprice.models import RuntimeSettings
from ozonprice.schedule import TaskFailed, jobs
from tests.fakes.pictures import IMPORT_INFO, INTERNAL_500
from tests.imagepush.test_repoll import left_sent, ozon  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_scheduled_task_uses_the_stored_credentials_and_claims_its_slot(ozon, client, ozon_credentials):  # noqa: F811
    pk = left_sent(ozon, client)
    ozon.pending_polls = 0

    assert repoll_image_pushes().startswith("image push re-poll ok: tasks 1, settled 1")
    assert repoll_image_pushes().startswith("skipped")
    assert ImagePush.objects.get(pk=pk).status == PushStatus.IMPORTED
    assert "imagepush.tasks.repoll_image_pushes" in {job.func for job in jobs(RuntimeSettings.load())}


def test_a_failed_re_poll_raises_so_django_q_records_the_run_failed(ozon, client, ozon_credentials):  # noqa: F811
    pk = left_sent(ozon, client)
    ozon.fail(IMPORT_INFO, 500, INTERNAL_500)

    with pytest.raises(TaskFailed, match="FAILED"):
        repoll_image_pushes()
    assert ImagePush.objects.get(pk=pk).status == PushStatus.SENT

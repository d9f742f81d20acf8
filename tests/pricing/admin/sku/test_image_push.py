"""The SKU list's bulk action "Push images to Ozon": the background job it starts; who may use it.

The form itself (imagepush.actions) is tested in tests/imagepush/test_actions.py.
"""

import pytest
from django.urls import reverse

from imagepush.models import ImagePush, PushSource, PushStatus
from pricing.models import AdminJob, JobKind, JobStatus
from tests.factories import UserFactory, account_default, superuser_client
from tests.fakes.pictures import PICTURES_IMPORT, FakePictures
from tests.fakes.push_admin import SKUS, form_data, skus_with_pictures

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return superuser_client("boss")


@pytest.fixture
def ozon(no_network, settings, ozon_credentials):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    return FakePictures().install(no_network)


@pytest.fixture
def skus(ozon):
    return skus_with_pictures(ozon)


def test_submitting_records_the_pushes_and_runs_them_as_a_background_job(admin_client, skus, ozon):
    new = {sku.pk: [f"https://r2.com/{sku.offer_id}/{n}.jpg" for n in (1, 2, 3)] for sku in skus}

    response = admin_client.post(SKUS, form_data(skus, new))

    job = AdminJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:pricing_adminjob_change", args=[job.pk]
    )
    pushes = ImagePush.objects.order_by("product_id")
    # The task got the row's id; the row names the pushes by id, nothing else.
    assert (job.kind, job.status, job.product_ids, job.total, job.done) == (
        JobKind.IMAGE_PUSH,
        JobStatus.DONE,
        [501, 502],
        2,
        2,
    )
    assert job.params == {"push_ids": sorted(p.pk for p in pushes), "account_id": account_default().pk}
    assert job.result == {"pushes": 2, "ok": 2, "pending": 0, "failed": 0} and job.errors == []
    assert len(ozon.imports) == 1 and len(ozon.imports[0]) == 2
    assert [(p.status, p.source, p.requested_by) for p in pushes] == [
        (PushStatus.IMPORTED, PushSource.ADMIN, "boss")
    ] * 2
    skus[0].refresh_from_db()
    assert skus[0].images == new[skus[0].pk]

    page = admin_client.get(response["Location"]).content.decode()
    assert "Pictures replaced on Ozon for 2 of 2 SKUs, failed 0." in page


def test_an_ozon_failure_is_reported_per_sku_on_the_job_page(admin_client, skus, ozon):
    ozon.fail(PICTURES_IMPORT, 500, {"code": 13, "message": "Internal error", "details": []})
    new = {sku.pk: ["https://r2.com/x.jpg"] for sku in skus}

    response = admin_client.post(SKUS, form_data(skus, new), follow=True)

    job = AdminJob.objects.get()
    assert job.result == {"pushes": 2, "ok": 0, "pending": 0, "failed": 2}
    error = "Ozon API error: ozon 500 on /v2/product/pictures/import: Internal error"
    assert job.errors == [{"product_id": "501", "error": error}, {"product_id": "502", "error": error}]
    page = response.content.decode()
    assert "Pictures replaced on Ozon for 0 of 2 SKUs, failed 2." in page and "Internal error" in page


def test_a_push_ozon_has_not_finished_is_left_for_the_re_poll(admin_client, skus, ozon, monkeypatch):
    from functools import partial

    from imagepush.services import image_pushes_send
    from pricing.services import jobs

    monkeypatch.setattr(jobs, "image_pushes_send", partial(image_pushes_send, wait_s=0))  # no real minute
    ozon.pending_polls = 1000
    new = {sku.pk: ["https://r2.com/x.jpg"] for sku in skus}

    response = admin_client.post(SKUS, form_data(skus, new), follow=True)

    assert AdminJob.objects.get().result == {"pushes": 2, "ok": 0, "pending": 2, "failed": 0}
    assert set(ImagePush.objects.values_list("status", flat=True)) == {PushStatus.SENT}
    assert "2 pushes are awaiting Ozon: they are checked again every few minutes." in response.content.decode()


def test_without_stored_credentials_the_job_fails_each_push_with_the_reason(admin_client, skus, ozon):
    account = account_default()
    account.api_key = ""  # the account's Api-Key is not stored
    account.save()
    new = {sku.pk: ["https://r2.com/x.jpg"] for sku in skus}

    admin_client.post(SKUS, form_data(skus, new))

    assert AdminJob.objects.get().result["failed"] == 2 and ozon.imports == []
    assert set(ImagePush.objects.values_list("status", flat=True)) == {PushStatus.FAILED}
    assert f"Ozon credentials of the account {account.name!r} are not configured" in ImagePush.objects.first().error


def test_only_users_who_may_push_images_get_the_push_action(rf):
    from django.contrib.admin.sites import site
    from django.contrib.auth.models import Permission

    from catalog.models import Sku

    viewer = UserFactory(staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_sku"))
    editor = UserFactory(staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_sku", "change_sku"]))
    pusher = UserFactory(staff=True)
    pusher.user_permissions.add(*Permission.objects.filter(codename__in=["view_sku", "add_imagepush"]))
    sku_admin = site.get_model_admin(Sku)

    def actions(user):
        request = rf.get(SKUS)
        request.user = user
        return set(sku_admin.get_actions(request))

    assert "push_images_to_ozon" not in actions(viewer)
    # Changing prices is not pushing pictures: the push has a permission of its own, as in the API.
    assert "push_images_to_ozon" not in actions(editor)
    assert "push_images_to_ozon" in actions(pusher)

"""The SKU list's bulk action "Push images to Ozon": the form, then a background job; who may use it."""

import pytest
from django.test import Client
from django.urls import reverse

from imagepush.models import ImagePush, PushSource, PushStatus
from ozonprice.models import RuntimeSettings
from pricing.models import AdminJob, JobKind, JobStatus
from tests.factories import SkuFactory, UserFactory
from tests.fakes.pictures import PICTURES_IMPORT, FakePictures

pytestmark = pytest.mark.django_db

SKUS = reverse("admin:catalog_sku_changelist")
PUSHES = reverse("admin:imagepush_imagepush_changelist")
OLD = ["https://cdn.ozon.example/a/1.jpg", "https://cdn.ozon.example/a/2.jpg"]


@pytest.fixture
def admin_client():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(superuser=True, username="boss"))
    return client


@pytest.fixture
def ozon(no_network, settings, ozon_credentials):
    settings.OZON_MAX_RETRIES = 0
    settings.OZON_RATE_LIMIT = 0
    return FakePictures().install(no_network)


@pytest.fixture
def skus(ozon):
    made = []
    for i in (1, 2):
        sku = SkuFactory(
            product_id=500 + i,
            offer_id=f"ART-{i}",
            images=OLD,
            primary_image=OLD[0],
            color_image="https://cdn.ozon.example/a/color.jpg",
        )
        ozon.add(sku.product_id, sku.offer_id, OLD, sku.color_image)
        made.append(sku)
    return made


def action_post(skus, **extra):
    return {"action": "push_images_to_ozon", "_selected_action": [s.pk for s in skus], **extra}


def form_data(skus, images_by_sku, color=""):
    data = action_post(skus, apply="1")
    data.update({"form-TOTAL_FORMS": str(len(skus)), "form-INITIAL_FORMS": str(len(skus))})
    for i, sku in enumerate(skus):
        data[f"form-{i}-sku"] = str(sku.pk)
        data[f"form-{i}-images"] = "\n".join(images_by_sku[sku.pk])
        data[f"form-{i}-primary_image"] = ""
        data[f"form-{i}-color_image"] = color
    return data


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_action_shows_a_form_per_sku_prefilled_with_the_pictures_ozon_holds(admin_client, skus, no_network):
    response = admin_client.post(SKUS, action_post(skus))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/imagepush/push_images.html"
    forms = response.context["formset"].forms
    assert [f.initial["images"] for f in forms] == ["\n".join(OLD)] * 2
    assert [f.initial["color_image"] for f in forms] == ["https://cdn.ozon.example/a/color.jpg"] * 2
    assert [f.initial["primary_image"] for f in forms] == ["", ""]  # already the first image
    assert "ART-1" in response.content.decode() and "Push images to Ozon" in response.content.decode()
    assert len(no_network.calls) == 0


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
    assert job.params == {"push_ids": sorted(p.pk for p in pushes)}
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
    RuntimeSettings.objects.update(ozon_client_id="", ozon_api_key="")
    new = {sku.pk: ["https://r2.com/x.jpg"] for sku in skus}

    admin_client.post(SKUS, form_data(skus, new))

    assert AdminJob.objects.get().result["failed"] == 2 and ozon.imports == []
    assert set(ImagePush.objects.values_list("status", flat=True)) == {PushStatus.FAILED}
    assert "Ozon credentials are not configured" in ImagePush.objects.first().error


def test_invalid_urls_show_the_form_again_naming_the_line(admin_client, skus, ozon):
    new = {skus[0].pk: ["https://r2.com/ok.jpg", "ftp://bad/1.jpg"], skus[1].pk: ["https://r2.com/ok2.jpg"]}

    response = admin_client.post(SKUS, form_data(skus, new))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["images"] == ["line 2: Invalid URL format (ftp://bad/1.jpg)"]
    assert not response.context["formset"].forms[1].errors
    assert ozon.imports == [] and ImagePush.objects.count() == 0


def test_a_sku_that_was_not_selected_cannot_be_pushed(admin_client, skus, ozon):
    other = SkuFactory(product_id=900)
    data = form_data(skus[:1], {skus[0].pk: ["https://r2.com/1.jpg"]})
    data["form-0-sku"] = str(other.pk)

    response = admin_client.post(SKUS, data)

    assert "This SKU was not selected." in response.content.decode()
    assert ozon.imports == []


def test_too_many_skus_are_refused(admin_client, ozon, monkeypatch):
    from imagepush import actions

    monkeypatch.setattr(actions, "MAX_SKUS", 2)
    many = [SkuFactory() for _ in range(3)]

    response = admin_client.post(SKUS, action_post(many), follow=True)

    assert texts(response) == ["Select at most 2 SKUs per push."]


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

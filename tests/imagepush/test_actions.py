"""The intermediate form of the bulk action "Push images to Ozon": pre-filled per SKU, checked as the API checks.

A valid submit is handed to the caller's `start`; the job it starts is tested in tests/pricing/admin/test_image_push.py.
"""

import pytest
from django.contrib.admin.sites import site

from catalog.models import Sku
from imagepush import actions
from imagepush.actions import push_images_form
from imagepush.models import ImagePush
from imagepush.validation import PushRequest
from ozonprice.models import RuntimeSettings
from tests.factories import SkuFactory, UserFactory, superuser_client
from tests.fakes.push_admin import OLD, SKUS, action_post, form_data, skus_with_pictures, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    return superuser_client("boss")


@pytest.fixture
def skus():
    return skus_with_pictures()


def form_request(rf, data):
    request = rf.post(SKUS, data)
    request.user = UserFactory(superuser=True)
    return request


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


def test_a_main_image_other_than_the_first_is_prefilled_by_name(admin_client):
    sku = SkuFactory(images=OLD, primary_image="https://cdn.ozon.example/a/main.jpg")

    response = admin_client.post(SKUS, action_post([sku]))

    assert response.context["formset"].forms[0].initial["primary_image"] == "https://cdn.ozon.example/a/main.jpg"


def test_invalid_urls_show_the_form_again_naming_the_line(admin_client, skus, no_network):
    new = {skus[0].pk: ["https://r2.com/ok.jpg", "ftp://bad/1.jpg"], skus[1].pk: ["https://r2.com/ok2.jpg"]}

    response = admin_client.post(SKUS, form_data(skus, new))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["images"] == ["line 2: Invalid URL format (ftp://bad/1.jpg)"]
    assert not response.context["formset"].forms[1].errors
    assert len(no_network.calls) == 0 and ImagePush.objects.count() == 0


def test_a_bad_color_image_is_an_error_on_that_field(admin_client, skus):
    response = admin_client.post(SKUS, form_data(skus[:1], {skus[0].pk: ["https://r2.com/1.jpg"]}, color="nope"))

    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"color_image"} and "nope" in errors["color_image"][0]


def test_more_images_than_the_runtime_limit_are_refused(admin_client, skus):
    RuntimeSettings.objects.filter(pk=RuntimeSettings.load().pk).update(images_limit=2)
    new = {skus[0].pk: [f"https://r2.com/{n}.jpg" for n in range(3)]}

    response = admin_client.post(SKUS, form_data(skus[:1], new))

    assert response.context["images_limit"] == 2
    assert "images" in response.context["formset"].forms[0].errors
    assert ImagePush.objects.count() == 0


def test_a_sku_that_was_not_selected_cannot_be_pushed(admin_client, skus, no_network):
    other = SkuFactory(product_id=900)
    data = form_data(skus[:1], {skus[0].pk: ["https://r2.com/1.jpg"]})
    data["form-0-sku"] = str(other.pk)

    response = admin_client.post(SKUS, data)

    assert "This SKU was not selected." in response.content.decode()
    assert len(no_network.calls) == 0 and ImagePush.objects.count() == 0


def test_too_many_skus_are_refused(admin_client, monkeypatch):
    monkeypatch.setattr(actions, "MAX_SKUS", 2)
    many = [SkuFactory() for _ in range(3)]

    response = admin_client.post(SKUS, action_post(many), follow=True)

    assert texts(response) == ["Select at most 2 SKUs per push."]


def test_a_valid_submit_hands_each_sku_with_its_checked_request_to_start(rf, skus):
    new = {skus[0].pk: [" https://r2.com/a.jpg ", "", "https://r2.com/b.jpg"], skus[1].pk: ["https://r2.com/c.jpg"]}
    data = form_data(skus, new, color="https://r2.com/color.jpg")
    started = []

    answer = push_images_form(
        site.get_model_admin(Sku),
        form_request(rf, data),
        Sku.objects.filter(pk__in=[s.pk for s in skus]),
        start=lambda pairs: started.extend(pairs) or "started",
    )

    assert answer == "started"
    assert started == [
        (
            skus[0],
            PushRequest(
                product_id=501,
                images=("https://r2.com/a.jpg", "https://r2.com/b.jpg"),
                color_image="https://r2.com/color.jpg",
            ),
        ),
        (
            skus[1],
            PushRequest(product_id=502, images=("https://r2.com/c.jpg",), color_image="https://r2.com/color.jpg"),
        ),
    ]


def test_an_invalid_submit_never_reaches_start(rf, skus):
    data = form_data(skus[:1], {skus[0].pk: ["ftp://bad/1.jpg"]})
    started = []

    answer = push_images_form(
        site.get_model_admin(Sku), form_request(rf, data), Sku.objects.filter(pk=skus[0].pk), start=started.append
    )

    assert answer.status_code == 200 and started == []

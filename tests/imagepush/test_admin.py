"""The image-push admin: the read-only push log, its search and filters, and the pushes on the SKU page."""

import pytest
from django.test import Client
from django.urls import reverse

from imagepush.models import ImagePush, PushSource, PushStatus
from tests.factories import SkuFactory, UserFactory

pytestmark = pytest.mark.django_db

PUSHES = reverse("admin:imagepush_imagepush_changelist")


@pytest.fixture
def admin_client():
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(UserFactory(superuser=True, username="boss"))
    return client


def make_push(sku=None, **fields):
    data = {
        "product_id": sku.product_id if sku else 777,
        "offer_id": sku.offer_id if sku else "ART-X",
        "images": ["https://r2.com/1.jpg"],
        "source": PushSource.API,
        "status": PushStatus.IMPORTED,
    }
    data.update(fields)
    return ImagePush.objects.create(sku=sku, **data)


def test_the_push_log_lists_in_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    sku = SkuFactory()
    for _ in range(60):
        make_push(sku)

    with django_assert_max_num_queries(8):
        response = admin_client.get(PUSHES)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50


def test_the_push_log_is_read_only(admin_client):
    push = make_push()

    page = admin_client.get(reverse("admin:imagepush_imagepush_change", args=[push.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:imagepush_imagepush_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:imagepush_imagepush_delete", args=[push.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_the_push_log_is_searched_by_article_product_id_or_task_id(admin_client):
    make_push(offer_id="FIND-ME", product_id=1)
    make_push(offer_id="OTHER", product_id=424242)
    make_push(offer_id="TASK", product_id=2, task_id=7000009)

    def found(term):
        return {p.offer_id for p in admin_client.get(PUSHES, {"q": term}).context["cl"].result_list}

    assert found("find") == {"FIND-ME"}
    assert found("424242") == {"OTHER"}
    assert found("7000009") == {"TASK"}


def test_the_push_log_filters_by_status(admin_client):
    make_push(offer_id="OK")
    make_push(offer_id="BAD", status=PushStatus.FAILED)

    response = admin_client.get(PUSHES, {"status__exact": "failed"})

    assert [p.offer_id for p in response.context["cl"].result_list] == ["BAD"]


def test_the_sku_page_shows_its_pushes_read_only(admin_client):
    sku = SkuFactory()
    make_push(sku, error="Ozon API error: something", status=PushStatus.FAILED)
    make_push(SkuFactory())

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    assert response.status_code == 200
    (inline,) = [f for f in response.context["inline_admin_formsets"] if f.opts.model is ImagePush]
    assert len(inline.formset.queryset) == 1
    assert "Ozon API error: something" in response.content.decode()
    assert not inline.has_add_permission and not inline.has_delete_permission


def test_saving_a_sku_with_pushes_needs_no_data_for_them(admin_client):
    sku = SkuFactory()
    make_push(sku)

    response = admin_client.post(
        reverse("admin:catalog_sku_change", args=[sku.pk]), {"mrpc": "1100.00", "discount": "0", "active": ""}
    )

    assert response.status_code == 302
    assert ImagePush.objects.filter(sku=sku).count() == 1

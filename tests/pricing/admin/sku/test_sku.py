"""The SKU admin: the list, its filters and search, what a manager may edit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from tests.factories import SkuFactory, table_statistics_refresh

pytestmark = pytest.mark.django_db

SKUS = reverse("admin:catalog_sku_changelist")
LOG = reverse("admin:auditlog_apilogentry_changelist")


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {sku.name for sku in response.context["cl"].result_list}


# --- SKUs -------------------------------------------------------------------


def test_the_sku_list_renders_200_skus_in_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries):
    SkuFactory.create_batch(200)
    table_statistics_refresh(Sku)

    with django_assert_max_num_queries(8):
        response = admin_client.get(SKUS)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].result_count == 200


@pytest.fixture
def assorted():
    now = timezone.now()
    SkuFactory(name="active", active=True, mrpc=Decimal("900"), front_price=Decimal("950"))
    SkuFactory(name="sold out", available=False)
    SkuFactory(name="below", mrpc=Decimal("1000"), front_price=Decimal("950"))
    SkuFactory(name="no showcase", mrpc=Decimal("1000"), front_price=None)
    SkuFactory(name="archived", archived=True)
    SkuFactory(name="missing", missing_since=now - timedelta(days=1))


ALL = {"active", "sold out", "below", "no showcase", "archived", "missing"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"active__exact": "1"}, {"active"}),
        ({"active__exact": "0"}, ALL - {"active"}),
        ({"available__exact": "0"}, {"sold out"}),
        ({"mrpc_set": "yes"}, {"active", "below", "no showcase"}),
        ({"mrpc_set": "no"}, {"sold out", "archived", "missing"}),
        ({"below_mrpc": "yes"}, {"below"}),
        ({"below_mrpc": "no"}, {"active"}),
        ({"archived__exact": "1"}, {"archived"}),
        ({"missing": "yes"}, {"missing"}),
        ({"missing": "no"}, ALL - {"missing"}),
        ({"mrpc_set": "yes", "available__exact": "1", "below_mrpc": "yes"}, {"below"}),
    ],
)
def test_each_sku_filter_selects_its_rows(admin_client, assorted, params, expected):
    assert listed(admin_client.get(SKUS, params)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hose", {"Garden hose"}),
        ("HOSE-25", {"Garden hose"}),
        ("777000111", {"Garden hose"}),
        ("555000222", {"Garden hose"}),
        ("777000", set()),
        ("40012", {"Numeric article"}),
        ("garden 25", {"Garden hose"}),
    ],
)
def test_the_sku_search_matches_text_by_part_and_ids_exactly(admin_client, query, expected):
    SkuFactory(name="Garden hose", offer_id="HOSE-25", sku=777000111, product_id=555000222)
    SkuFactory(name="Numeric article", offer_id="40012345")

    assert listed(admin_client.get(SKUS, {"q": query})) == expected


def test_the_sku_search_keeps_the_chosen_filters(admin_client):
    SkuFactory(name="Lamp red", active=True)
    SkuFactory(name="Lamp blue", active=False)

    assert listed(admin_client.get(SKUS, {"q": "lamp", "active__exact": "1"})) == {"Lamp red"}


def test_only_mrpc_discount_active_and_the_showcase_hold_are_editable(admin_client):
    sku = SkuFactory()

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == {"mrpc", "discount", "active", "showcase_hold"}


def test_saving_a_sku_changes_only_the_managers_columns(admin_client):
    sku = SkuFactory(price=Decimal("1000.00"))

    response = admin_client.post(
        reverse("admin:catalog_sku_change", args=[sku.pk]),
        {"mrpc": "1100.00", "discount": "10", "active": "", "price": "1.00"},
    )

    assert response.status_code == 302
    sku.refresh_from_db()
    assert (sku.mrpc, sku.discount, sku.price) == (Decimal("1100.00"), Decimal("10.00"), Decimal("1000.00"))


def test_skus_cannot_be_added_or_deleted_in_the_admin(admin_client):
    sku = SkuFactory()

    assert admin_client.get(reverse("admin:catalog_sku_add")).status_code == 403
    assert admin_client.post(reverse("admin:catalog_sku_delete", args=[sku.pk]), {"post": "yes"}).status_code == 403
    assert Sku.objects.filter(pk=sku.pk).exists()

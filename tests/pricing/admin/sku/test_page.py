"""The SKU page (chart, history, why this price), and the list on a big catalogue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalog.models import Sku
from ozonprice.db import rows_insert
from pricing.models import ChangeStatus, PriceChange, PriceHistory, Reason
from tests.factories import SkuFactory, table_statistics_refresh

pytestmark = pytest.mark.django_db
D = Decimal
SKUS = reverse("admin:catalog_sku_changelist")


def history(sku, hours_ago: int, price: str, old: str, showcase: str):
    return PriceHistory.objects.create(
        sku=sku,
        timestamp=timezone.now() - timedelta(hours=hours_ago),
        showcase_price=D(showcase),
        price_before=sku.price,
        old_price_before=sku.old_price,
        new_price=D(price),
        new_old_price=D(old),
        new_min_price=D(price),
        mrpc=D(price),
        reason=Reason.ADMIN,
        actor="anna",
    )


# --- the SKU page --------------------------------------------------------------


def test_the_sku_page_draws_the_price_history_as_an_inline_svg_chart(admin_client):
    sku = SkuFactory(mrpc=D("1100"), discount=D("20"), active=True, price=D("1100"), old_price=D("1375"))
    history(sku, 48, "1000", "0", "950")
    history(sku, 5, "1100", "1375", "1080")

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    page = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="price-chart"' in page
    for series in ("MRPC", "Crossed-out price", "Price on Ozon", "Showcase price"):
        assert f">{series}</text>" in page
    assert page.count("<polyline") >= 3  # price, crossed-out and MRPC lines
    assert 'id="price-history"' in page and "anna" in page
    assert "<script" not in page.split('id="price-chart"')[1].split("</svg>")[0]


def test_the_sku_page_explains_why_this_price(admin_client):
    sku = SkuFactory(mrpc=D("1100"), discount=D("20"), front_price=D("1050"), front_price_source="ozon_seller_price")

    response = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk]))

    why = response.context["why_this_price"]
    assert any("MRPC 1,100 ₽" in line and "1,375 ₽" in line and "−20 %" in line for line in why), why
    assert any("Ozon marketing_seller_price (upper bound)" in line and "50 ₽ below MRPC" in line for line in why), why
    assert any(line.startswith("Price maintenance is off.") for line in why)


def test_the_sku_page_says_why_a_sku_cannot_be_activated(admin_client):
    sku = SkuFactory(mrpc=None)

    why = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).context["why_this_price"]

    assert "It cannot be switched on: MRPC is not set." in why[-1]


def test_the_sku_page_lists_changes_in_progress(admin_client):
    sku = SkuFactory()
    PriceChange.objects.create(
        sku=sku,
        status=ChangeStatus.HELD,
        expected_price=D("3000"),
        expected_old_price=D("0"),
        expected_min_price=D("3000"),
        price_before=D("1000"),
    )

    page = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).content.decode()

    assert "awaiting approval (quarantine)" in page.split('id="open-changes"')[1]


def test_a_sku_without_history_still_gets_a_chart(admin_client):
    sku = SkuFactory(price=None, old_price=None, front_price=None, mrpc=None)

    page = admin_client.get(reverse("admin:catalog_sku_change", args=[sku.pk])).content.decode()

    assert "No prices yet" in page


# --- a big catalogue -------------------------------------------------------------


@pytest.fixture
def catalogue_100k(account):
    now = timezone.now()
    rows = [
        Sku(
            account=account,
            product_id=500_000 + i,
            offer_id=f"BIG-{i:06d}",
            sku=900_000_000 + i,
            name=f"Товар {i}",
            price=D("1000"),
            old_price=D("0"),
            min_price=D("1000"),
            front_price=D("990") if i % 10 else D("900"),
            mrpc=D("950") if i % 3 == 0 else None,
            discount=D("0"),
            available=i % 7 != 0,
            active=i % 5 == 0,
            synced_at=now,
            created_at=now,
        )
        for i in range(100_000)
    ]
    rows_insert(rows)
    # The unfiltered list's count is PostgreSQL's estimate: the planner must know this table, not one an
    # earlier test left (statistics survive a test's rollback).
    table_statistics_refresh(Sku)
    return len(rows)


FILTERS = [
    {},
    {"active__exact": "1"},
    {"available__exact": "0"},
    {"mrpc_set": "yes"},
    {"below_mrpc": "yes"},
    {"archived__exact": "1"},
    {"missing": "no"},
    {"q": "BIG-000123"},
    {"q": "900000123"},
    {"p": "3"},
]


def test_the_list_of_100000_skus_answers_in_a_bounded_number_of_queries_whatever_the_filter(
    admin_client, catalogue_100k, django_assert_max_num_queries
):
    for params in FILTERS:
        with django_assert_max_num_queries(10) as captured:
            response = admin_client.get(SKUS, params)
        assert response.status_code == 200, params
        assert response.context["cl"].result_list or params == {"archived__exact": "1"}, params
        if not params or params == {"p": "3"}:
            # Unfiltered: an estimate (SKUs are never deleted), never a COUNT over 100,000 rows.
            assert response.context["cl"].result_count >= catalogue_100k  # the highest id (PostgreSQL: reltuples)
            assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize(
    "columns",
    # A product id is unique per account: its index leads with the account, as every lookup by it is an account's.
    [["active"], ["available"], ["mrpc"], ["archived"], ["missing_since"], ["sku"], ["account_id", "product_id"]],
)
def test_every_list_filter_and_id_search_has_an_index(columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Sku._meta.db_table)

    assert any(c["index"] or c["unique"] for c in constraints.values() if c["columns"][: len(columns)] == columns)


def test_showcase_below_mrpc_has_a_partial_index():
    index = next(i for i in Sku._meta.indexes if i.name == "sku_below_mrpc_idx")

    assert index.condition is not None
    with connection.cursor() as cursor:
        assert "sku_below_mrpc_idx" in connection.introspection.get_constraints(cursor, Sku._meta.db_table)

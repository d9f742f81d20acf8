"""The SKU list's paginator: an unfiltered big table is estimated, a small or filtered one counted exactly."""

import pytest
from django.db import connection

from catalog.models import Sku
from pricing.admin.sku.paginator import EXACT_BELOW, EstimatedCountPaginator, table_rows_estimate
from tests.factories import SkuFactory, table_statistics_refresh

pytestmark = pytest.mark.django_db
# SQLite estimates from the highest id; PostgreSQL from its planner statistics when it has them.
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the highest-id estimate is SQLite's")


def test_a_small_table_is_counted_exactly():
    SkuFactory.create_batch(3)
    table_statistics_refresh(Sku)

    assert EstimatedCountPaginator(Sku.objects.order_by("id"), 2).count == 3


@sqlite_only
def test_an_unfiltered_big_table_is_estimated_from_the_highest_id_without_counting():
    SkuFactory(id=EXACT_BELOW * 2)
    SkuFactory(id=5)

    assert table_rows_estimate(Sku) == EXACT_BELOW * 2
    assert EstimatedCountPaginator(Sku.objects.order_by("id"), 100).count == EXACT_BELOW * 2


def test_a_filtered_list_is_always_counted_exactly():
    SkuFactory(id=EXACT_BELOW * 2, active=True)
    SkuFactory(id=5, active=False)

    assert EstimatedCountPaginator(Sku.objects.filter(active=True).order_by("id"), 100).count == 1


def test_an_empty_table_estimates_zero():
    table_statistics_refresh(Sku)

    assert table_rows_estimate(Sku) == 0

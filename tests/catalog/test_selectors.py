"""The product list's reads: newest first, a page in two SELECTs with only the listed columns."""

import pytest

from catalog.models import Sku
from catalog.selectors import PRODUCT_FIELDS, sku_list, sku_page_rows
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def test_pages_follow_the_newest_first_order_without_overlap(django_assert_num_queries):
    skus = SkuFactory.create_batch(5)
    newest_first = [s.id for s in reversed(skus)]

    with django_assert_num_queries(2):
        page = sku_page_rows(sku_list(), 2, 2)

    assert [r["id"] for r in page] == newest_first[2:4]
    assert set(page[0]) == set(PRODUCT_FIELDS)


def test_a_filtered_queryset_is_paged_as_filtered():
    SkuFactory.create_batch(3, active=False)
    active = SkuFactory(active=True)

    assert [r["id"] for r in sku_page_rows(sku_list().filter(active=True), 0, 10)] == [active.id]
    assert sku_page_rows(Sku.objects.none(), 0, 10) == []

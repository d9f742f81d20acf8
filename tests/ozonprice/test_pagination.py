"""The API's one pagination: `page`/`per_page` in, `{items, total, page, pages}` out; past the end is an empty page."""

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from catalog.models import Sku
from ozonprice.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE, PagePagination
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def request(**params) -> Request:
    return Request(APIRequestFactory().get("/api/anything", params))


def page(queryset, view=None, **params):
    paginator = PagePagination()
    rows = paginator.paginate_queryset(queryset, request(**params), view=view)
    return rows, paginator.get_paginated_response(rows).data


def test_a_page_says_its_rows_the_total_and_the_page_count():
    skus = SkuFactory.create_batch(5)

    rows, body = page(Sku.objects.order_by("id"), page=2, per_page=2)

    assert [s.pk for s in rows] == [skus[2].pk, skus[3].pk]
    assert {k: v for k, v in body.items() if k != "items"} == {"total": 5, "page": 2, "pages": 3}


def test_the_defaults_are_page_1_of_50_rows():
    SkuFactory.create_batch(3)

    _, body = page(Sku.objects.order_by("id"))

    assert (body["page"], body["pages"], len(body["items"])) == (1, 1, 3)
    assert DEFAULT_PER_PAGE == 50


def test_a_page_past_the_end_is_empty_and_reads_no_rows(django_assert_num_queries):
    SkuFactory.create_batch(2)

    with django_assert_num_queries(1):  # the COUNT only
        rows, body = page(Sku.objects.order_by("id"), page=9)

    assert rows == [] and body["total"] == 2


@pytest.mark.parametrize("params", [{"per_page": MAX_PER_PAGE + 1}, {"per_page": 0}, {"page": 0}, {"page": "x"}])
def test_a_bad_page_or_size_is_a_validation_error_naming_the_field_not_a_clamp(params):
    with pytest.raises(ValidationError) as caught:
        page(Sku.objects.order_by("id"), **params)

    assert set(caught.value.detail) == set(params)  # the 400 names the bad parameter


def test_a_view_may_read_the_rows_its_own_way():
    SkuFactory.create_batch(3)

    class View:
        @staticmethod
        def page_rows(queryset, offset, limit):
            return [("custom", offset, limit)]

    rows, _ = page(Sku.objects.order_by("id"), view=View(), page=2, per_page=2)

    assert rows == [("custom", 2, 2)]

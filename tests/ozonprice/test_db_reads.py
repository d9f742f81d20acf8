"""`rows_read` (a page of instances without `Model.__init__`) and the PostgreSQL storage the hot paths rely on."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Sku
from ozonprice.db import rows_read, rows_update
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal
ON_POSTGRES = connection.vendor == "postgresql"
FIELDS = ("id", "product_id", "price", "mrpc", "front_price_timestamp")


def test_rows_read_gives_the_instances_only_would_in_one_query(django_assert_num_queries):
    for n in (3, 1, 2):
        SkuFactory(product_id=n, price=D("10.50"), mrpc=D("12"), name=f"n{n}")
    queryset = Sku.objects.filter(product_id__gt=1).order_by("product_id")

    with django_assert_num_queries(1):
        read = rows_read(queryset, FIELDS)
    expected = list(queryset.only(*FIELDS))

    assert [type(s) for s in read] == [Sku, Sku]
    assert [(s.pk, s.product_id, s.price, s.mrpc, s.front_price_timestamp) for s in read] == [
        (s.pk, s.product_id, s.price, s.mrpc, s.front_price_timestamp) for s in expected
    ]
    assert all(not s._state.adding and s._state.db == "default" for s in read)
    assert read[0].get_deferred_fields() == expected[0].get_deferred_fields()
    with django_assert_num_queries(1):  # a field not read is loaded on access, as with `only`
        assert read[0].name == "n2"


def test_rows_read_instances_are_written_back_by_rows_update():
    sku = SkuFactory(price=D("10"))
    [read] = rows_read(Sku.objects.filter(pk=sku.pk), FIELDS)
    read.price = D("11")

    rows_update([read], ["price"], increment=("price_version",))

    sku.refresh_from_db()
    assert (sku.price, sku.price_version) == (D("11.00"), 1)


def test_a_batch_update_of_scattered_keys_leaves_the_rows_between_them_alone():
    first, middle, last = SkuFactory(price=D("1")), SkuFactory(price=D("2")), SkuFactory(price=D("3"))
    first.price, last.price = D("10"), D("30")

    rows_update([last, first], ["price"])

    assert list(Sku.objects.order_by("id").values_list("price", flat=True)) == [D("10.00"), D("2.00"), D("30.00")]
    middle.refresh_from_db()
    assert middle.price_version == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL storage parameter")
def test_sku_pages_keep_room_for_heap_only_price_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Sku._meta.db_table])
        (options,) = cursor.fetchone()
    assert "fillfactor=50" in options


def test_repeated_and_missing_values_of_a_batch_are_stored_as_given():
    now = timezone.now()
    skus = [SkuFactory(price=D(n)) for n in (1, 2, 3)]
    for sku, old in zip(skus, (None, D("5"), None), strict=True):
        sku.old_price, sku.update_timestamp = old, now

    rows_update(skus, ["old_price", "update_timestamp"])

    stored = list(Sku.objects.order_by("id").values_list("old_price", "update_timestamp"))
    assert stored == [(None, now), (D("5.00"), now), (None, now)]

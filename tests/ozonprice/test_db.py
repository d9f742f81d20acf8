"""Bulk writes in one executemany: insert, upsert of chosen fields, a version guard, update by primary key."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from ozonprice.db import rows_insert, rows_update
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_rows_are_inserted_with_every_value_as_the_orm_would_store_it():
    rows_insert([SkuFactory.build(product_id=1, price=D("10.50")), SkuFactory.build(product_id=2, name="Чайник")])

    assert dict(Sku.objects.values_list("product_id", "price")) == {1: D("10.50"), 2: D("1000.00")}
    assert Sku.objects.get(product_id=2).name == "Чайник"


def test_an_upsert_overwrites_only_the_named_fields_of_an_existing_row():
    SkuFactory(product_id=1, name="old", price=D("10"), mrpc=D("500"))

    rows_insert(
        [SkuFactory.build(product_id=1, name="new", price=D("20"), mrpc=None), SkuFactory.build(product_id=2)],
        upsert_on="product_id",
        update_fields=["name", "price"],
    )

    row = Sku.objects.get(product_id=1)
    assert (row.name, row.price, row.mrpc) == ("new", D("20.00"), D("500"))  # the manager's MRPC kept
    assert Sku.objects.count() == 2


def test_the_version_guard_keeps_fields_another_writer_changed_since_the_read():
    stored = SkuFactory(product_id=1, price=D("10"), name="old")
    Sku.objects.filter(pk=stored.pk).update(price=D("30"), price_version=stored.price_version + 1)  # a later writer

    rows_insert(
        [SkuFactory.build(product_id=1, price=D("20"), name="new", price_version=stored.price_version)],
        upsert_on="product_id",
        update_fields=["price", "name"],
        unless_changed=("price_version", ["price"]),
    )

    row = Sku.objects.get(product_id=1)
    assert (row.price, row.name) == (D("30.00"), "new")


def test_rows_are_updated_by_primary_key_in_the_named_fields_only():
    a, b = SkuFactory(price=D("1")), SkuFactory(price=D("2"))
    a.price, b.price, b.name = D("11"), D("22"), "not written"

    rows_update([a, b], ["price"])

    assert [r.price for r in Sku.objects.order_by("id")] == [D("11.00"), D("22.00")]
    assert Sku.objects.get(pk=b.pk).name != "not written"


def test_nothing_to_write_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows_insert([])
        rows_update([], ["price"])

"""Bulk writes in one executemany: insert, upsert of chosen fields, a version guard, update by primary key."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from ozonprice.db import row_new, rows_insert, rows_update
from pricing.models import PriceChange
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
        upsert_on=("account", "product_id"),
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
        upsert_on=("account", "product_id"),
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


def test_row_new_builds_the_same_instance_as_the_model_and_caches_its_related_object(django_assert_num_queries):
    sku = SkuFactory()
    values = {"status": "planned", "expected_price": D("1100"), "price_before": D("1000")}

    fast, slow = row_new(PriceChange, sku=sku, **values), PriceChange(sku=sku, **values)

    assert {k: v for k, v in fast.__dict__.items() if k != "_state"} == {
        k: v for k, v in slow.__dict__.items() if k != "_state"
    }
    assert fast._state.adding and fast._state.db is None
    with django_assert_num_queries(0):
        assert fast.sku is sku
    rows_insert([fast])
    assert PriceChange.objects.get().expected_price == D("1100")


def test_row_new_refuses_a_field_the_model_does_not_have():
    with pytest.raises(TypeError, match="no field 'expected'"):
        row_new(PriceChange, expected=D("1"))


def test_each_row_new_instance_gets_its_own_callable_default():
    first, second = row_new(Sku, product_id=1), row_new(Sku, product_id=2)

    assert first.images == second.images == []
    first.images.append("a.jpg")  # `default=list`: one list per instance, never a shared one
    assert second.images == []

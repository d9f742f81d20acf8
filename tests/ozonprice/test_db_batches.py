"""Bulk writes on either database: NULLs, JSON, datetimes, encrypted text, repeats in one batch, keys read back.

On PostgreSQL a batch is one statement (`unnest` of one array per column); on
SQLite one `executemany`. These hold on both (CI runs them under
`scripts/with-postgres` too).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Sku
from ozonprice.db import row_new, rows_insert, rows_update
from ozonprice.models import Account
from pricing.models import ChangeStatus, PriceChange
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db
D = Decimal
ON_POSTGRES = connection.vendor == "postgresql"


def test_nulls_json_and_datetimes_are_stored_as_the_orm_stores_them():
    seen = timezone.now() - timedelta(minutes=5)
    rows_insert(
        [
            SkuFactory.build(product_id=1, images=["a.jpg", "b.jpg"], mrpc=None, missing_since=seen),
            SkuFactory.build(product_id=2, images=[], mrpc=D("12.34"), missing_since=None),
        ]
    )

    one, two = Sku.objects.order_by("product_id")
    assert (one.images, one.mrpc, one.missing_since) == (["a.jpg", "b.jpg"], None, seen)
    assert (two.images, two.mrpc, two.missing_since) == ([], D("12.34"), None)


def test_a_column_of_nulls_only_is_written():
    rows_insert([SkuFactory.build(product_id=n, mrpc=None, missing_since=None) for n in (1, 2)])

    assert list(Sku.objects.values_list("mrpc", "missing_since")) == [(None, None), (None, None)]


def test_encrypted_text_goes_through_the_field_as_with_save(account):
    account.api_key = "plain-key"

    rows_update([account], ["api_key"])

    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM ozonprice_account WHERE id = %s", [account.pk])
        assert "plain-key" not in cursor.fetchone()[0]
    assert Account.objects.get(pk=account.pk).api_key == "plain-key"


def test_an_upsert_batch_repeating_a_key_ends_with_the_later_object_as_row_by_row():
    SkuFactory(product_id=1, name="stored")

    rows_insert(
        [SkuFactory.build(product_id=1, name="first"), SkuFactory.build(product_id=1, name="second")],
        upsert_on=("account", "product_id"),
        update_fields=["name"],
    )

    assert list(Sku.objects.values_list("name", flat=True)) == ["second"]


def test_an_update_batch_repeating_an_object_raises_its_counter_once_per_object():
    sku = SkuFactory(price=D("1"), price_version=5)
    first, second = Sku.objects.get(pk=sku.pk), Sku.objects.get(pk=sku.pk)
    first.price, second.price = D("2"), D("3")

    rows_update([first, second], ["price"], increment=("price_version",))

    assert Sku.objects.values_list("price", "price_version").get() == (D("3.00"), 7)


def test_the_counter_is_raised_from_the_stored_value_with_the_new_prices():
    a, b = SkuFactory(price_version=3), SkuFactory(price_version=8)
    Sku.objects.filter(pk=a.pk).update(price_version=4)  # another writer since the read
    a.price, b.price = D("5"), D("6")

    rows_update([a, b], ["price"], increment=("price_version",))

    assert list(Sku.objects.order_by("id").values_list("price", "price_version")) == [(D("5.00"), 5), (D("6.00"), 9)]


def test_read_pk_sets_each_new_rows_key_in_order_on_postgresql_and_says_whether_it_did():
    skus = [SkuFactory() for _ in range(3)]
    changes = [
        row_new(PriceChange, sku=s, status=ChangeStatus.PLANNED, expected_price=D(n)) for n, s in enumerate(skus)
    ]

    read = rows_insert(changes, read_pk=True)

    assert read is ON_POSTGRES
    if read:
        stored = dict(PriceChange.objects.values_list("id", "sku_id"))
        assert {c.pk: c.sku_id for c in changes} == stored
        assert not any(c._state.adding for c in changes)
    else:
        assert all(c.pk is None for c in changes)


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite writes a batch with executemany")
def test_a_batch_is_one_statement_on_postgresql(django_assert_num_queries):
    skus = [SkuFactory.build(product_id=n) for n in range(1, 501)]
    with django_assert_num_queries(1):
        rows_insert(
            skus,
            upsert_on=("account", "product_id"),
            update_fields=["name"],
            unless_changed=("price_version", ["price"]),
        )
    stored = list(Sku.objects.all())
    for sku in stored:
        sku.price = D("9")
    with django_assert_num_queries(1) as context:
        rows_update(stored, ["price"], increment=("price_version",))
    assert "unnest" in context.captured_queries[0]["sql"]
    assert Sku.objects.filter(price=D("9"), price_version=1).count() == 500

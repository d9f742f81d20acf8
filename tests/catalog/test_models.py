"""The SKU row: the database itself refuses a discount outside 0–90 % and a non-positive MRPC."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalog.models import Sku
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fields", [{"discount": Decimal("90")}, {"discount": Decimal("-1")}, {"mrpc": Decimal("0")}])
def test_the_database_refuses_values_ozon_would_reject(fields):
    sku = SkuFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Sku.objects.filter(pk=sku.pk).update(**fields)


def test_a_missing_mrpc_and_a_discount_just_under_90_are_allowed():
    sku = SkuFactory(mrpc=None, discount=Decimal("89.99"))

    assert Sku.objects.get(pk=sku.pk).discount == Decimal("89.99")
    assert str(sku)  # the admin names it

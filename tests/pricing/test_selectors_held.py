"""The one held-changes query: Ozon's quarantine queue, of some SKUs or among some changes."""

from decimal import Decimal

import pytest

from catalog.models import Sku
from pricing.models import ChangeStatus, PriceChange, Reason
from pricing.selectors import price_changes_held
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def _change(sku, status):
    return PriceChange.objects.create(sku=sku, status=status, reason=Reason.SCHEDULED, expected_price=Decimal("100"))


def test_only_held_changes_of_the_given_skus_and_ids():
    first, second = SkuFactory(), SkuFactory()
    held_first, held_second = _change(first, ChangeStatus.HELD), _change(second, ChangeStatus.HELD)
    _change(first, ChangeStatus.PLANNED)
    _change(first, ChangeStatus.SENT)

    assert set(price_changes_held()) == {held_first, held_second}
    assert list(price_changes_held(skus=Sku.objects.filter(pk=first.pk).values("pk"))) == [held_first]
    assert list(price_changes_held(skus=[second.pk])) == [held_second]
    assert list(price_changes_held(change_ids=[held_second.pk, held_first.pk + 1000])) == [held_second]
    assert list(price_changes_held(skus=[first.pk], change_ids=[held_second.pk])) == []

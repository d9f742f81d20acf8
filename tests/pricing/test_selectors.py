"""The price history as the API lists it: newest first, the API's field names, only the listed columns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.models import PriceHistory, Reason
from pricing.selectors import price_history_list
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def test_rows_come_newest_first_with_the_product_id_and_the_price_before():
    sku = SkuFactory(product_id=777)
    now = timezone.now()
    old = PriceHistory.objects.create(
        sku=sku,
        timestamp=now - timedelta(hours=1),
        reason=Reason.API,
        new_price=Decimal("1000"),
        price_before=Decimal("900"),
    )
    new = PriceHistory.objects.create(sku=sku, timestamp=now, reason=Reason.API, new_price=Decimal("1100"))

    rows = list(price_history_list())

    assert [r["id"] for r in rows] == [new.id, old.id]
    assert set(rows[0]) == {"id", "account", "product", "timestamp", "showcase_price", "old", "new_price"}
    assert (rows[1]["product"], rows[1]["old"], rows[1]["new_price"]) == (777, Decimal("900"), Decimal("1000"))

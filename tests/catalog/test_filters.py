"""The SKU list's filters: search by words, article or exact id; maintenance and stock switches."""

import pytest

from catalog.filters import MAX_ID, SkuFilter, sku_search_q
from catalog.models import Sku
from tests.factories import SkuFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> set[int]:
    return set(Sku.objects.filter(sku_search_q(query)).values_list("pk", flat=True))


@pytest.fixture
def kettle():
    return SkuFactory(name="Чайник электрический Bosch", offer_id="KT-100", sku=5_000_123, product_id=9_000_456)


def test_every_word_must_match_the_name_or_the_article(kettle):
    SkuFactory(name="Чайник заварочный", offer_id="TP-1")

    assert found("Чайник BOSCH") == {kettle.pk}  # SQLite folds ASCII case only
    assert found("kt-100") == {kettle.pk}
    assert found("Чайник philips") == set()


def test_a_number_also_finds_the_exact_sku_or_product_id(kettle):
    assert found("5000123") == {kettle.pk}
    assert found("9000456") == {kettle.pk}
    assert found("500012") == set()  # ids match exactly, not as text


def test_a_number_past_64_bits_or_not_ascii_is_only_text(kettle):
    assert found(str(MAX_ID + 1)) == set()
    assert found("²") == set()


def test_the_api_filters_maintenance_and_stock():
    on = SkuFactory(active=True, available=True)
    off_out = SkuFactory(active=False, available=False)

    def ids(data):
        filterset = SkuFilter(data, queryset=Sku.objects.all())
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs.values_list("pk", flat=True))

    assert ids({"active": "true"}) == {on.pk}
    assert ids({"has_stock": "false"}) == {off_out.pk}
    assert ids({}) == {on.pk, off_out.pk}

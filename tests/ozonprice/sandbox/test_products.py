"""The sandbox's demo products: a pure function of (seed, index), with valid barcodes and plausible prices."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.names import KINDS
from ozonprice.sandbox.products import archived_by_default, demo_product, demo_products_warm, offer_id_of, rub

INDEXES = range(1, 400)


def ean13_valid(code: str) -> bool:
    digits = [int(c) for c in code]
    return len(digits) == 13 and sum(d * (3 if n % 2 else 1) for n, d in enumerate(digits)) % 10 == 0


def test_a_product_is_the_same_for_the_same_seed_and_index_and_differs_by_seed():
    assert demo_product(7, 42) == demo_product(7, 42)
    assert demo_product(7, 42) != demo_product(8, 42)


def test_identifiers_follow_the_index():
    products = [demo_product(1, i) for i in INDEXES]

    assert [p.offer_id for p in products] == [offer_id_of(i) for i in INDEXES]
    assert len({p.product_id for p in products}) == len({p.sku for p in products}) == len(INDEXES)


def test_barcodes_are_valid_russian_ean13():
    for i in INDEXES:
        barcode = demo_product(1, i).barcode
        assert barcode.startswith("460") and ean13_valid(barcode), barcode


def test_prices_are_two_place_decimals_with_min_price_and_old_price_on_the_right_side():
    for i in INDEXES:
        p = demo_product(1, i)
        assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in (p.price, p.old_price, p.min_price))
        assert p.min_price == 0 or p.min_price <= p.price
        assert p.old_price == 0 or p.old_price > p.price


def test_names_come_from_the_vocabulary():
    phrases = {phrase for kind in KINDS for phrase in kind.phrases}

    for i in INDEXES:
        name = demo_product(1, i).name
        assert any(name.startswith(phrase) for phrase in phrases), name


def test_about_five_percent_start_archived():
    archived = sum(archived_by_default(1, i) for i in range(10_000))

    assert 300 < archived < 700


@pytest.mark.parametrize(
    ("value", "expected"), [("1.005", "1.01"), (2, "2.00"), (0.1, "0.10"), (Decimal("3.456"), "3.46")]
)
def test_rub_rounds_half_up_to_kopecks(value, expected):
    assert rub(value) == Decimal(expected) and str(rub(value)) == expected


def test_warming_builds_the_catalogue_into_the_cache_before_any_request():
    demo_product.cache_clear()
    try:
        demo_products_warm(7, 40)

        assert demo_product.cache_info().currsize == 40
        hits = demo_product.cache_info().hits
        assert [demo_product(7, i) for i in range(1, 41)] == [demo_product.__wrapped__(7, i) for i in range(1, 41)]
        assert demo_product.cache_info().hits == hits + 40  # every one served from the cache
    finally:
        demo_product.cache_clear()

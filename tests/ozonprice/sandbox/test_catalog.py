"""The demo catalogue: deterministic, plausible, cheap; changes stay in overrides."""

import re
from decimal import Decimal

import pytest

from ozonprice.sandbox.catalog import ACTIVE, ARCHIVED, REMOVED, Catalog
from ozonprice.sandbox.products import demo_product

CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def test_the_same_seed_gives_the_same_products():
    first, second = Catalog(500, seed=3), Catalog(500, seed=3)
    assert [first.product(i) for i in range(1, 501)] == [second.product(i) for i in range(1, 501)]
    assert demo_product.__wrapped__(3, 42) == demo_product(3, 42)


def test_another_seed_gives_other_products():
    names = {demo_product(1, i).name for i in range(1, 50)}
    others = {demo_product(2, i).name for i in range(1, 50)}
    assert names != others


def test_identifiers_follow_the_index():
    product = demo_product(1, 123)
    assert (product.product_id, product.offer_id, product.sku) == (100000123, "ART-000123", 200000123)
    catalog = Catalog(1000)
    assert catalog.index_of_product_id(100000123) == 123
    assert catalog.index_of_offer_id("ART-000123") == 123
    assert catalog.index_of_sku(200000123) == 123
    assert catalog.index_of_offer_id("ART-123") is None
    assert catalog.index_of_product_id(100001001) is None


def test_products_look_like_a_real_shop():
    products = [demo_product(5, i) for i in range(1, 3001)]
    for p in products:
        assert Decimal(150) <= p.price <= Decimal(50_000)
        assert p.price.as_tuple().exponent == -2
        assert p.old_price == 0 or p.old_price > p.price + 20
        assert p.marketing_seller_price <= p.price
        assert p.min_price <= p.price
        assert CYRILLIC.search(p.name)
        assert 1 <= len(p.images) <= 4
        assert p.images[0] == f"https://cdn.sandbox.invalid/img/{p.offer_id}/1.jpg"
        assert len(p.barcode) == 13
    share = lambda test: sum(1 for p in products if test(p)) / len(products)  # noqa: E731
    assert 0.03 < share(lambda p: p.archived) < 0.07
    assert 0.2 < share(lambda p: p.old_price == 0) < 0.4
    assert share(lambda p: not p.has_stock) > 0.1
    assert share(lambda p: p.fbo_reserved or p.fbs_reserved) > 0.05
    assert share(lambda p: p.price % 100 == 0) > 0.2  # many round prices
    assert share(lambda p: p.color_image) > 0.1


def test_a_big_catalogue_costs_little_until_read():
    catalog = Catalog(100_000, seed=9)
    assert catalog.count(ACTIVE) + catalog.count(ARCHIVED) == 100_000
    indices, more = catalog.scan(ARCHIVED, 0, 10)
    assert len(indices) == 10 and more
    assert all(catalog.product(i).archived for i in indices)


def test_scan_reports_whether_more_follow():
    catalog = Catalog(30)
    active = [i for i in range(1, 31) if catalog.state(i) == ACTIVE]
    first, more = catalog.scan(ACTIVE, 0, len(active) - 1)
    assert first == active[:-1] and more
    rest, more = catalog.scan(ACTIVE, first[-1], 100)
    assert rest == active[-1:] and not more


def test_updates_live_in_overrides_and_keep_seller_price_under_price():
    catalog = Catalog(10)
    original = catalog.by_product_id(100000001)
    changed = catalog.update(100000001, price="99.5", old_price=0)
    assert changed.price == Decimal("99.50") and changed.old_price == Decimal("0.00")
    assert changed.marketing_seller_price <= changed.price
    assert changed.name == original.name
    assert demo_product(1, 1) == original  # the pure function is untouched
    with pytest.raises(ValueError, match="cannot change"):
        catalog.update(100000001, product_id=5)
    with pytest.raises(KeyError):
        catalog.update(100000099, price=1)


def test_archive_remove_restore_and_grow():
    catalog = Catalog(20)
    i = next(i for i in range(1, 21) if catalog.state(i) == ACTIVE)
    product_id = 100000000 + i
    assert catalog.archive([product_id]) == 1 and catalog.product(i).archived
    assert catalog.unarchive([product_id]) == 1 and not catalog.product(i).archived
    assert catalog.remove([product_id]) == 1 and catalog.state(i) == REMOVED and catalog.product(i) is None
    assert catalog.restore([product_id]) == 1 and catalog.product(i) is not None
    assert catalog.add_products(5) == [100000021 + n for n in range(5)]
    assert catalog.size == 25 and catalog.product(25).offer_id == "ART-000025"

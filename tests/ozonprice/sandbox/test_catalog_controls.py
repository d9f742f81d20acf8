"""The sandbox's catalogue controls: what tests and the demo change, the answers then show."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.server import OzonSandbox


@pytest.fixture
def sandbox() -> OzonSandbox:
    return OzonSandbox(products=20, seed=3)


def on_sale(sandbox: OzonSandbox) -> int:
    return next(p.product_id for p in (sandbox.catalog.product(i) for i in range(1, 21)) if not p.archived)


def test_set_price_changes_only_the_price_fields_it_is_given(sandbox):
    product_id = on_sale(sandbox)
    before = sandbox.product(product_id)

    after = sandbox.set_price(product_id, price="1234.5")

    assert after.price == Decimal("1234.5")
    assert (after.old_price, after.min_price) == (before.old_price, before.min_price)
    with pytest.raises(ValueError, match="set_price takes"):
        sandbox.set_price(product_id, stock=3)


def test_set_stock_takes_only_stock_fields(sandbox):
    product_id = on_sale(sandbox)

    assert sandbox.set_stock(product_id, fbo_present=0, fbs_present=7).fbs_present == 7
    with pytest.raises(ValueError, match="set_stock takes"):
        sandbox.set_stock(product_id, price=1)


def test_a_removed_product_is_gone_until_restored(sandbox):
    product_id = on_sale(sandbox)

    assert sandbox.remove([product_id]) == 1
    assert sandbox.product(product_id) is None
    assert sandbox.restore([product_id]) == 1
    assert sandbox.product(product_id) is not None


def test_archive_unarchive_and_grow(sandbox):
    product_id = on_sale(sandbox)

    sandbox.archive([product_id])
    assert sandbox.product(product_id).archived
    sandbox.unarchive([product_id])
    assert not sandbox.product(product_id).archived
    new = sandbox.add_products(3)
    assert len(new) == 3 and all(sandbox.product(i) is not None for i in new)

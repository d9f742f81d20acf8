"""How the sandbox renders a product in Ozon's answers: today's fields, numbers as Ozon writes them, nothing retired."""

from decimal import Decimal

import pytest

from ozonprice.sandbox.products import demo_product
from ozonprice.sandbox.shapes import delivery_amount, info_item, list_item, number, price_item, stock_item

PRODUCT = demo_product(1, 3)
RETIRED = {"marketing_price", "images360", "total"}  # docs/ozon-api.md: gone from Ozon's answers


def keys(value) -> set[str]:
    """Every key at any depth of a JSON value."""
    if isinstance(value, dict):
        return set(value) | set().union(*(keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize(
    ("amount", "expected"), [(Decimal("499.00"), 499), (Decimal("1299.50"), 1299.5), (Decimal("0"), 0)]
)
def test_money_is_written_as_ozon_writes_it_whole_amounts_without_a_fraction(amount, expected):
    value = number(amount)
    assert value == expected and type(value) is type(expected)


def test_delivery_grows_in_steps_with_volume_weight():
    assert delivery_amount(0.1) == delivery_amount(0.2) < delivery_amount(0.21)
    assert delivery_amount(10_000) == delivery_amount(1e9)


@pytest.mark.parametrize("shape", [list_item, info_item, price_item, stock_item])
def test_no_shape_carries_a_field_ozon_retired(shape):
    assert not keys(shape(PRODUCT)) & RETIRED


def test_the_ids_agree_across_every_shape():
    for shape in (list_item, info_item, price_item, stock_item):
        item = shape(PRODUCT)
        assert item.get("product_id", item.get("id")) == PRODUCT.product_id
        assert item["offer_id"] == PRODUCT.offer_id


def test_the_v5_price_carries_the_products_prices_as_numbers():
    price = price_item(PRODUCT)["price"]

    assert (price["price"], price["old_price"], price["min_price"]) == (
        number(PRODUCT.price),
        number(PRODUCT.old_price),
        number(PRODUCT.min_price),
    )
    assert price["marketing_seller_price"] <= price["price"]


def test_stocks_are_split_by_scheme_with_the_ozon_sku():
    stocks = stock_item(PRODUCT)["stocks"]

    assert {s["type"] for s in stocks} == {"fbo", "fbs"}
    assert {s["sku"] for s in stocks} == {PRODUCT.sku}

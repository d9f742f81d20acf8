"""Ozon's numbers checked before a column: ids fit 64 bits, stocks fit 32; anything else is a malformed answer."""

import pytest

from ozonprice.clients.ozon_values import MAX_STOCK, ozon_id, stock_count
from ozonprice.converters import INT64_MAX


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (42, 42), ("42", 42), (INT64_MAX, INT64_MAX)])
def test_an_ozon_id_is_a_json_number_or_a_string_of_digits(value, expected):
    assert ozon_id(value) == expected


@pytest.mark.parametrize("value", [True, 1.0, None, "", "12a", "-1", "١٢", "1" * 20, -1, INT64_MAX + 1, [1]])
def test_anything_else_is_no_ozon_id(value):
    with pytest.raises(ValueError):  # noqa: PT011 - the client names the endpoint
        ozon_id(value)


def test_a_stock_count_fits_the_32_bit_column():
    assert stock_count(5) == 5
    assert stock_count("7") == 7
    assert stock_count(-MAX_STOCK) == -MAX_STOCK


@pytest.mark.parametrize("value", [MAX_STOCK + 1, float("inf"), True, None, "many"])
def test_a_stock_past_the_column_or_not_a_number_is_malformed(value):
    with pytest.raises((ValueError, TypeError)):
        stock_count(value)

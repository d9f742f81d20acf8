"""Strict input fields: what Python would quietly read as a number or a day is a validation error."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.exceptions import ValidationError

from ozonprice.converters import INT64_MAX
from ozonprice.inputs import BoundedDateField, PlainDecimalField, SkuReferenceField, looks_numeric


@pytest.mark.parametrize("text", ["٢٠", "２０", "2_0", "+5", "²", " 5"])
def test_text_python_reads_as_a_number_but_not_ascii_digits_looks_numeric(text):
    assert looks_numeric(text)


@pytest.mark.parametrize("text", ["20", "ART-20", "abc", ""])
def test_plain_digits_and_articles_do_not(text):
    assert not looks_numeric(text)


@pytest.mark.parametrize(
    ("value", "expected"), [(123, "123"), ("123", "123"), ("  ART-1 ", "ART-1"), (INT64_MAX, str(INT64_MAX))]
)
def test_a_sku_reference_is_an_ozon_sku_or_an_article_returned_as_text(value, expected):
    assert SkuReferenceField().to_internal_value(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (True, "invalid"),
        (1.5, "invalid"),
        (0, "invalid"),
        (INT64_MAX + 1, "too_large"),
        (str(INT64_MAX + 1), "too_large"),
        ("  ", "blank"),
        ("x" * 256, "too_long"),
        ("A\x00B", "control"),
        ("١٢٣", "digits"),
    ],
)
def test_a_bad_sku_reference_is_refused_with_its_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        SkuReferenceField().to_internal_value(value)
    assert caught.value.get_codes() == [code]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1290, Decimal("1290")), ("1290.50", Decimal("1290.50")), (0.5, Decimal("0.5")), ("-1", Decimal("-1"))],
)
def test_a_plain_decimal_is_a_json_number_or_a_plain_string(value, expected):
    assert PlainDecimalField().to_internal_value(value) == expected


@pytest.mark.parametrize(
    "value", [True, None, "1e3", "NaN", "Infinity", float("nan"), float("inf"), "١٢", "1_000", "1" * 33, "1,5", []]
)
def test_anything_else_is_not_a_decimal(value):
    with pytest.raises(ValidationError):
        PlainDecimalField().to_internal_value(value)


def test_a_day_is_ascii_and_within_1970_to_2999():
    field = BoundedDateField()

    assert field.to_internal_value("2026-11-29") == date(2026, 11, 29)
    for bad in ("1969-12-31", "3000-01-01", "٢٠٢٦-11-29"):
        with pytest.raises(ValidationError):
            field.to_internal_value(bad)

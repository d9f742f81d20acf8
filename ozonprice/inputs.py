"""Strict API input fields: what Python would quietly accept is refused with a 400 naming the field.

Python's `int()` and `Decimal()` read other scripts' digits ("٢٠", "２０") and
underscores ("2_0") as numbers, and a date near year 1 or 9999 overflows once
shifted into TIME_ZONE; none of that may reach a query.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ozonprice.converters import INT64_MAX

ASCII_DIGITS = re.compile(r"[0-9]+")
# A plain decimal in a string: ASCII digits, an optional sign and point; no exponent.
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Longer than any price the database holds; refused before it is parsed.
MAX_NUMBER_CHARS = 32
# offer_id's column length (catalog.models.Sku).
MAX_ARTICLE_CHARS = 255
# Any day the API can mean: far from the years where shifting to UTC overflows.
MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2999, 12, 31)


def is_ascii_digits(text: str) -> bool:
    return bool(ASCII_DIGITS.fullmatch(text))


def looks_numeric(text: str) -> bool:
    """Text Python would read as a number although it is not plain ASCII digits ("٢٠", "2_0", "+5", "²")."""
    if any(char.isnumeric() and not char.isascii() for char in text):
        return True
    try:
        int(text)
    except ValueError:
        return False
    return not is_ascii_digits(text)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": MAX_ARTICLE_CHARS},
            {"type": "integer", "format": "int64", "minimum": 1, "maximum": INT64_MAX},
        ],
    }
)
class SkuReferenceField(serializers.Field):
    """An Ozon SKU (ASCII digits or a JSON integer, 64-bit) or a seller article; returned as text."""

    default_error_messages = {
        "invalid": _("Give the Ozon SKU or the seller article as a string."),
        "blank": _("This field may not be blank."),
        "too_long": _("At most 255 characters."),
        "too_large": _("Too large for an Ozon SKU (at most 9223372036854775807)."),
        "digits": _("Use ASCII digits 0-9 for an Ozon SKU."),
        "control": _("Control characters are not allowed."),
    }

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        if isinstance(data, int):
            if not 1 <= data <= INT64_MAX:
                self.fail("too_large" if data > 0 else "invalid")
            return str(data)
        text = data.strip()
        if not text:
            self.fail("blank")
        if len(text) > MAX_ARTICLE_CHARS:
            self.fail("too_long")
        if any(ord(char) < 32 or ord(char) == 127 for char in text):
            self.fail("control")
        if is_ascii_digits(text):
            if int(text) > INT64_MAX:
                self.fail("too_large")
        elif looks_numeric(text):
            self.fail("digits")
        return text

    def to_representation(self, value: Any) -> str:
        return str(value)


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "maxLength": 32}],
    }
)
class PlainDecimalField(serializers.Field):
    """A JSON number or a plain decimal string; its range is the service's per-item check."""

    default_error_messages = {
        "invalid": _('A number is required: a JSON number or a string like "1290.50" (ASCII digits).'),
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        if isinstance(data, str) and (len(data) > MAX_NUMBER_CHARS or not PLAIN_DECIMAL.fullmatch(data.strip())):
            self.fail("invalid")
        try:
            number = Decimal(str(data).strip())
        except InvalidOperation:
            self.fail("invalid")
        if not number.is_finite():
            self.fail("invalid")
        return number

    def to_representation(self, value: Any) -> Any:
        return value


class BoundedDateField(serializers.DateField):
    """A day from 1970 to 2999: outside that, the day's start in TIME_ZONE would overflow or mean nothing."""

    default_error_messages = {"range": _("Give a day from 1970-01-01 to 2999-12-31.")}

    def to_internal_value(self, value: Any) -> date:
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")  # Django's parse_date would read "٢٠٢٤" as 2024
        day = super().to_internal_value(value)
        if not MIN_DATE <= day <= MAX_DATE:
            self.fail("range")
        return day

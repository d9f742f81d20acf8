"""Ozon's numbers checked before they reach a column: a value out of range is a malformed answer.

Each helper raises ValueError, which the client's `_reading` turns into one
clear OzonResponseError naming the endpoint: the sync then fails cleanly,
without a traceback and without writing part of a page.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ozonprice.clients.http import ApiError
from ozonprice.converters import INT64_MAX

SERVICE = "ozon"
CENT = Decimal("0.01")

DIGITS = re.compile(r"[0-9]{1,19}")
# The stock columns are 32-bit integers on every database.
MAX_STOCK = 2**31 - 1


def ozon_id(value: Any) -> int:
    """An Ozon id (product_id, sku): a 64-bit integer, as a JSON number or a string of ASCII digits.

    Anything else is a malformed answer (ValueError, turned into OzonResponseError
    by `_reading`), never a number the database cannot store.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, str))
        or (isinstance(value, str) and not DIGITS.fullmatch(value))
    ):
        raise ValueError(f"not an Ozon id: {str(value)[:40]!r}")
    number = int(value)
    if not 0 <= number <= INT64_MAX:
        raise ValueError(f"id {str(value)[:40]} does not fit 64 bits")
    return number


def stock_count(value: Any) -> int:
    """A stock quantity; one past the integer column (32-bit) is a malformed answer."""
    try:
        number = int(value) if not isinstance(value, bool) else None
    except OverflowError:  # int(float("inf"))
        number = None
    if number is None or not -MAX_STOCK <= number <= MAX_STOCK:
        raise ValueError(f"stock quantity {str(value)[:40]} out of range")
    return number


class OzonResponseError(ApiError):
    """Ozon answered 2xx with a body we cannot read: a contract break, not a blip."""


class reading:
    """Turns a shape error while reading a response into one clear OzonResponseError."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        if exc is None:
            return False
        if isinstance(exc, (KeyError, TypeError, ValueError, InvalidOperation, AttributeError)):
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
            raise OzonResponseError(
                f"Ozon sent a malformed response on {self.path}: {detail}",
                service=SERVICE,
                endpoint=self.path,
                permanent=True,
            ) from None
        return False


def money(value: Any) -> Decimal | None:
    """Ozon money: a string ("1299.00") in v3, a number in v5; empty means none."""
    if value is None or value == "":
        return None
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not amount.is_finite():
        raise InvalidOperation(f"not a price: {value!r}")
    return amount.quantize(CENT)

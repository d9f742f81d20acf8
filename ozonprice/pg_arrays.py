"""PostgreSQL array parameters for the batch statements of `ozonprice.db` (`unnest`).

Django's psycopg cursors bind client side, and psycopg's list dumper quotes
each element in Python with a regular expression: for the ~40 columns of a
1000-row batch that costs more than the statement. `array_param` builds the
array literal with C string methods instead; a column holding a value of any
other type is left to psycopg as a list.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from psycopg.types.json import Jsonb


def hashable(kinds: set[type]) -> bool:
    return all(kind.__hash__ is not None for kind in kinds)  # a dict (JSON) is not


_NUMBERS = frozenset({int, Decimal})
_NUMBERS_OR_NONE = _NUMBERS | {type(None)}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _element(value) -> str:
    """One element of a PostgreSQL array literal (text form)."""
    if value is None:
        return "NULL"
    kind = type(value)
    if kind is bool:
        return "t" if value else "f"
    if kind in _NUMBERS:
        return str(value)
    if kind is str:
        return _quoted(value)
    if isinstance(value, datetime | date):
        return _quoted(value.isoformat())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Jsonb):
        text = (value.dumps or json.dumps)(value.obj)
        return _quoted(text if isinstance(text, str) else text.decode())
    raise _NotLiteral


class _NotLiteral(Exception):
    pass


def array_param(column: list):
    """A column as one PostgreSQL array literal, or the list itself for psycopg to adapt."""
    kinds = set(map(type, column))
    if _NUMBERS.issuperset(kinds):
        return "{" + ",".join(map(str, column)) + "}"
    if _NUMBERS_OR_NONE.issuperset(kinds):  # "None" is no part of a number's text
        return "{" + ",".join(map(str, column)).replace("None", "NULL") + "}"
    try:
        if len(kinds - {type(None)}) == 1 and hashable(kinds):
            # One kind of value (a column never mixes True and 1): each distinct one quoted once.
            elements = {value: _element(value) for value in set(column)}
            return "{" + ",".join(map(elements.__getitem__, column)) + "}"
        return "{" + ",".join(map(_element, column)) + "}"
    except _NotLiteral:
        return column

"""PostgreSQL array literals for batch statements: every kind of value, quoting, NULLs, and what is left to psycopg."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from psycopg.types.json import Jsonb

from ozonprice.pg_arrays import array_param


def test_numbers_and_nulls_are_written_as_they_are():
    assert array_param([1, 2, 3]) == "{1,2,3}"
    assert array_param([Decimal("10.50"), None, 7]) == "{10.50,NULL,7}"


def test_text_is_quoted_and_escaped_and_none_stays_null():
    assert array_param(['a"b', "c\\d", None, "NULL"]) == '{"a\\"b","c\\\\d",NULL,"NULL"}'


def test_booleans_times_uuids_and_json():
    moment = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    batch = uuid.UUID("12345678-1234-5678-1234-567812345678")

    assert array_param([True, False, None]) == "{t,f,NULL}"
    assert array_param([moment, moment]) == '{"2026-11-29T12:00:00+00:00","2026-11-29T12:00:00+00:00"}'
    assert array_param([batch]) == "{12345678-1234-5678-1234-567812345678}"
    assert array_param([Jsonb({"k": 'v"'})]) == '{"{\\"k\\": \\"v\\\\\\"\\"}"}'


def test_a_value_of_another_kind_leaves_the_column_to_psycopg():
    column = [b"bytes", None]

    assert array_param(column) is column

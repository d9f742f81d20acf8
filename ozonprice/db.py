"""Bulk writes for the hot paths that write 1000 rows at a time.

Django's `bulk_create` and `bulk_update` build one statement holding every
row (a CASE per column for updates); for 1000 rows that costs far more Python
time than the write itself. On SQLite (in-process) one parameterised
statement sent with `executemany` costs a fraction. On PostgreSQL each row of
an `executemany` is still a statement the server parses and executes, so the
batch goes as ONE statement with one array parameter per column
(`INSERT … SELECT * FROM unnest(…)`, `UPDATE … FROM unnest(…)`).
Values go through each field's `get_db_prep_save`, as the ORM would do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from operator import attrgetter

from django.db import connection
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin

from ozonprice.pg_arrays import array_param, hashable

# Python types the database drivers take as they are.
_PLAIN = frozenset({str, int, bool, Decimal, type(None)})


# Converted once per statement: a batch shares one `now` and one batch id, and converting a
# datetime (time zone, then text on SQLite) for each of 1000 rows costs more than the write.
_SHARED = (datetime, uuid.UUID)


_PLAIN_AS_IS: dict[type, bool] = {}


def _plain_as_is(field_class: type) -> bool:
    """Whether a plain value goes to the driver as it is: Django's own fields, not a project field
    that converts in `get_prep_value` (an encrypted text field must never write its plaintext)."""
    known = _PLAIN_AS_IS.get(field_class)
    if known is None:
        known = _PLAIN_AS_IS[field_class] = all(
            getattr(field_class, name).__module__.startswith("django.")
            for name in ("get_prep_value", "get_db_prep_value", "get_db_prep_save")
        )
    return known


def _rows_values(objs: Sequence[Model], fields: Sequence[Field], *, add: bool) -> list[list]:
    """The objects' database values, one list per field in `fields`, as the ORM's `pre_save`/`get_db_prep_save` give them.

    `auto_now` (and, when adding, `auto_now_add`) fields get one time for the whole
    statement, set on the objects as `pre_save` would.
    """
    stamped = [f for f in fields if getattr(f, "auto_now", False) or (add and getattr(f, "auto_now_add", False))]
    for field in stamped:
        now = field.pre_save(objs[0], add)  # the field's own "now" (a date for a DateField)
        for obj in objs[1:]:
            setattr(obj, field.attname, now)
    converted: dict[tuple[Field, object], object] = {}

    def value(field: Field, raw):
        if type(raw) in _PLAIN and _plain_as_is(type(field)):
            return raw
        if isinstance(raw, _SHARED):
            key = (field, raw)
            if key not in converted:
                converted[key] = field.get_db_prep_save(raw, connection)
            return converted[key]
        return field.get_db_prep_save(raw, connection)

    # Column by column: a column of plain values (most) is taken as it is, checked in C.
    columns = []
    for field in fields:
        column = list(map(attrgetter(field.attname), objs))
        django_field = _plain_as_is(type(field))
        kinds = set(map(type, column))
        if django_field and _PLAIN.issuperset(kinds):
            pass
        elif django_field and len(kinds - {type(None)}) == 1 and hashable(kinds):
            # A batch's times and ids repeat (one `now`): each distinct value converted once.
            distinct = {raw: value(field, raw) for raw in set(column)}
            column = list(map(distinct.__getitem__, column))
        else:
            column = [value(field, raw) for raw in column]
        columns.append(column)
    return columns


@cache
def _blank(model: type[Model]) -> tuple[dict, tuple[Field, ...], dict[str, str]]:
    """A new instance's attributes (constant defaults), the fields with callable defaults, FK name → attname."""
    attrs = {k: v for k, v in model().__dict__.items() if k != "_state"}
    per_object = tuple(f for f in model._meta.concrete_fields if f.has_default() and callable(f.default))
    foreign = {f.name: f.attname for f in model._meta.concrete_fields if f.is_relation and f.many_to_one}
    return attrs, per_object, foreign


def row_new[M: Model](model: type[M], **values) -> M:
    """`model(**values)` for a row `rows_insert` writes, without `Model.__init__`'s per-field work.

    Building 1000 instances per batch through `__init__` (a pass over every
    field, the init signals, the related-object descriptor) costs more than
    writing them. The instance is the same: every field's default (callable
    ones called per instance), the given values, a related object (`sku=`)
    cached as the descriptor would. A model with init signal listeners is built
    the ordinary way.
    """
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**values)
    attrs, per_object, foreign = _blank(model)
    obj = model.__new__(model)
    obj.__dict__.update(attrs)
    obj._state = ModelState()
    for field in per_object:
        setattr(obj, field.attname, field.get_default())
    for name, value in values.items():
        if name in foreign:
            setattr(obj, foreign[name], None if value is None else value.pk)
            obj._state.fields_cache[name] = value
        elif name in attrs:
            setattr(obj, name, value)
        else:
            raise TypeError(f"{model.__name__} has no field {name!r}")
    return obj


def rows_read[M: Model](queryset: QuerySet[M], fields: Sequence[str]) -> list[M]:
    """`list(queryset.only(*fields))` without `Model.from_db`'s per-row `__init__`.

    A page of 1000 rows read to be planned and written back costs more in
    building the instances (a pass over every field of each) than in the query.
    The values come from `values_list` (the fields' converters applied); each
    instance is the loaded one: not adding, on the queryset's database, the
    other fields deferred (read on access, as with `only`). A model with init
    signal listeners is read the ordinary way.
    """
    model = queryset.model
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return list(queryset.only(*fields))
    attnames = [concrete_field(model, name).attname for name in fields]
    db, new = queryset.db, model.__new__
    objs = []
    for row in queryset.values_list(*attnames):
        obj = new(model)
        obj.__dict__.update(zip(attnames, row, strict=True))
        state = obj._state = ModelState()
        state.adding, state.db = False, db
        objs.append(obj)
    return objs


def concrete_field(model: type[Model], name: str) -> Field:
    """The model's field `name`, which must be a concrete one (a column, not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def column_name(field: Field) -> str:
    """A concrete field's database column."""
    if field.column is None:
        raise TypeError(f"{field} has no database column")
    return field.column


def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    # The database numbers an auto primary key; a natural one (TaskRun's name) is the row's own value.
    return tuple(f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin))


def _array_type(field: Field) -> str:
    """The PostgreSQL array type of a field's column (`numeric(12, 2)[]`, `bigint[]` for a foreign key)."""
    db_type = field.db_type(connection)
    if db_type is None:
        raise TypeError(f"{field} has no database type")
    return f"{db_type}[]"


def _unnest(fields: Sequence[Field]) -> str:
    # One array parameter per column, cast to the column's type: the statement does not depend on
    # what psycopg guesses from the values (a column of NULLs, small ints, text for an encrypted field).
    return "unnest(" + ", ".join(f"%s::{_array_type(f)}" for f in fields) + ")"


def _conflict_sql(
    model: type[Model], conflict: tuple[str, ...], updates: tuple[str, ...], guard: tuple[str, tuple[str, ...]] | None
) -> str:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    guard_column, guarded = (quote(column_name(concrete_field(model, guard[0]))), guard[1]) if guard else ("", ())

    def assignment(field: Field) -> str:
        column = quote(column_name(field))
        if field.name not in guarded:
            return f"{column} = EXCLUDED.{column}"
        # The stored row as it is now (the conflicting row, locked), not as the statement began.
        return (
            f"{column} = CASE WHEN {table}.{guard_column} = EXCLUDED.{guard_column} "
            f"THEN EXCLUDED.{column} ELSE {table}.{column} END"
        )

    assignments = ", ".join(assignment(f) for f in _insert_fields(model) if f.name in updates)
    target = ", ".join(quote(column_name(concrete_field(model, name))) for name in conflict)
    return f" ON CONFLICT ({target}) DO UPDATE SET {assignments}"


def _insert_head(model: type[Model]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column_name(f)) for f in _insert_fields(model))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"


@cache
def _insert_sql(
    model: type[Model],
    conflict: tuple[str, ...] | None,
    updates: tuple[str, ...],
    guard: tuple[str, tuple[str, ...]] | None,
) -> str:
    placeholders = ", ".join(["%s"] * len(_insert_fields(model)))
    # Table and column names come from the model; every value is a parameter.
    sql = f"{_insert_head(model)} VALUES ({placeholders})"
    return sql + _conflict_sql(model, conflict, updates, guard) if conflict else sql


@cache
def _insert_sql_unnest(
    model: type[Model],
    conflict: tuple[str, ...] | None,
    updates: tuple[str, ...],
    guard: tuple[str, tuple[str, ...]] | None,
    returning: bool = False,
) -> str:
    """PostgreSQL: the whole batch in one statement, one array per column (the rows in the arrays' order)."""
    sql = f"{_insert_head(model)} SELECT * FROM {_unnest(_insert_fields(model))}"  # noqa: S608
    if conflict:
        sql += _conflict_sql(model, conflict, updates, guard)
    if returning:
        pk = model._meta.pk
        assert pk is not None
        sql += f" RETURNING {connection.ops.quote_name(column_name(pk))}"
    return sql


@cache
def _update_sql_unnest(model: type[Model], fields: tuple[str, ...], increment: tuple[str, ...]) -> str:
    """PostgreSQL: UPDATE … FROM unnest(pks, column…) WHERE pk BETWEEN lowest AND highest: the batch in one statement."""
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    table = quote(meta.db_table)
    columns = [concrete_field(model, name) for name in fields]
    names = ", ".join(["k", *(f"v{i}" for i in range(len(columns)))])
    assignments = ", ".join(
        [f"{quote(column_name(f))} = v.v{i}" for i, f in enumerate(columns)]
        + [
            f"{quote(name)} = {table}.{quote(name)} + 1"
            for name in (column_name(concrete_field(model, n)) for n in increment)
        ]
    )
    source = _unnest([pk, *columns])
    key = f"{table}.{quote(column_name(pk))}"
    # The keys' range too: the planner then reads the batch's rows by index. From the join alone it
    # may hash the whole table (a scan of every row per batch).
    return (
        f"UPDATE {table} SET {assignments} FROM {source} AS v({names}) "  # noqa: S608
        f"WHERE {key} = v.k AND {key} BETWEEN %s AND %s"
    )


def _repeats(objs: Sequence[Model], fields: Sequence[Field]) -> bool:
    """Whether two objects share the `fields`' values (one upsert statement cannot touch a row twice)."""
    keys = list(map(attrgetter(*(field.attname for field in fields)), objs))
    return len(set(keys)) != len(keys)


def rows_insert(
    objs: Sequence[Model],
    *,
    upsert_on: str | tuple[str, ...] | None = None,
    update_fields: Iterable[str] = (),
    unless_changed: tuple[str, Iterable[str]] | None = None,
    read_pk: bool = False,
) -> bool:
    """INSERT `objs` (all of one model); True when their primary keys were read back onto them.

    With `upsert_on` (a unique field, or the fields of a unique constraint),
    a row whose `upsert_on` value exists already has only
    `update_fields` overwritten (`INSERT … ON CONFLICT … DO UPDATE`).
    `unless_changed=(version_field, fields)` overwrites `fields` only where the
    stored `version_field` still equals the one in the object: a writer that
    read before another one wrote does not undo that write.

    SQLite: one `executemany` (in-process, each row costs microseconds).
    PostgreSQL: one statement for the batch, `INSERT … SELECT * FROM unnest(…)`
    (a row per statement is a server round of parsing and executing each).
    An upsert batch where two objects share the `upsert_on` value goes row by
    row there too: one statement cannot update a row twice, and row by row the
    later object wins, as on SQLite. `read_pk` (a plain insert, PostgreSQL)
    sets each object's primary key from `RETURNING`, in the order of `objs`
    (the order `unnest` gives the rows, as Django's `bulk_create` relies on);
    on SQLite it does nothing and the caller reads the keys some other way.
    """
    if not objs:
        return False
    model = type(objs[0])
    conflict = (upsert_on,) if isinstance(upsert_on, str) else upsert_on
    guard = (unless_changed[0], tuple(sorted(unless_changed[1]))) if unless_changed else None
    updates = tuple(sorted(update_fields))
    columns = _rows_values(objs, _insert_fields(model), add=True)
    repeats = conflict and _repeats(objs, [concrete_field(model, name) for name in conflict])
    if connection.vendor == "postgresql" and not repeats:
        read_pk = read_pk and conflict is None
        with connection.cursor() as cursor:
            cursor.execute(
                _insert_sql_unnest(model, conflict, updates, guard, read_pk), list(map(array_param, columns))
            )
            if read_pk:
                pks = [row[0] for row in cursor.fetchall()]
                if len(pks) != len(objs):
                    raise AssertionError("RETURNING gave a key per inserted row")
                for obj, pk in zip(objs, pks, strict=True):
                    obj.pk = pk
                    obj._state.adding = False
        return read_pk
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, conflict, updates, guard), list(zip(*columns, strict=True)))
    return False


def rows_update(objs: Sequence[Model], fields: Sequence[str], *, increment: Sequence[str] = ()) -> None:
    """UPDATE `fields` of `objs` (all of one model, with primary keys) in one executemany.

    `increment`: integer columns raised by one in the same statement (a version counter), so a
    row is written once, not once for its values and again for its counter.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [concrete_field(model, name) for name in fields]
    assignments = ", ".join(
        [f"{quote(column_name(f))} = %s" for f in columns]
        + [f"{quote(name)} = {quote(name)} + 1" for name in (column_name(concrete_field(model, n)) for n in increment)]
    )
    pk = meta.pk
    assert pk is not None  # every concrete model has a primary key
    values = _rows_values(objs, columns, add=False)
    keys = [obj.pk for obj in objs]
    if connection.vendor == "postgresql" and len(set(keys)) == len(keys):
        with connection.cursor() as cursor:
            cursor.execute(
                _update_sql_unnest(model, tuple(fields), tuple(increment)),
                [*map(array_param, [keys, *values]), min(keys), max(keys)],
            )
        return
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(column_name(pk))} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*values, keys, strict=True)))

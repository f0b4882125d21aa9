"""Database access: a faster timestamp loader, `id_in` for queries over thousands of ids, and the
one place for hand-written SQL (the tick's bulk writes from arrays, an advisory lock).

Django (5.2) reads every `timestamptz` through its own subclass of psycopg's *Python* loader (to
attach its time zone), which bypasses psycopg's C loader: ~5 µs a value, 0.6 s for the 120,000
timestamps a simulation tick over 10,000 parcels reads. When the connection's time zone is UTC —
ours: `TIME_ZONE = "UTC"`, `USE_TZ = True` — psycopg's C loader already returns datetimes with
`datetime.timezone.utc`, exactly what Django's would, so new connections get it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, timedelta
from decimal import Decimal
from functools import cache

import orjson
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import (
    BigIntegerField,
    BooleanField,
    F,
    Func,
    Q,
    Value,
)


@cache
def _utc_timestamptz_loader() -> type:
    """A loader Django's cursors accept (they compare its `timezone` with theirs) whose `load` is
    psycopg's registered one — its C loader when the C extension is installed (a final class:
    it cannot be subclassed, so each instance delegates to one)."""
    import psycopg
    from psycopg.adapt import Loader

    base = psycopg.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, psycopg.pq.Format.TEXT)

    class UtcTimestamptzLoader(Loader):
        timezone = UTC

        def __init__(self, oid: int, context=None):
            super().__init__(oid, context)
            self.load = base(oid, context).load  # shadows the method below: no Python frame a value

        def load(self, data):  # noqa: F811 — the abstract method; instances use the C one above
            raise AssertionError("replaced in __init__")

    return UtcTimestamptzLoader


def use_c_timestamptz_loader(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection in UTC, load `timestamptz` with psycopg's own loader."""
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    connection.connection.adapters.register_loader("timestamptz", _utc_timestamptz_loader())


def connect() -> None:
    connection_created.connect(use_c_timestamptz_loader, dispatch_uid="ewtp.db.c_timestamptz_loader")


class _AnyOf(Func):
    """`column = ANY(%s::bigint[])`: the ids travel as one array parameter."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"  # the array Value casts itself to bigint[]
    output_field = BooleanField()

    def __init__(self, field: str, ids: list[int]):
        super().__init__(F(field), Value(ids, output_field=ArrayField(BigIntegerField())))


def id_in(field: str, ids: Iterable[int]) -> Q:
    """`field IN ids` for many ids: on PostgreSQL `field = ANY(array)`, one parameter where `IN`
    sends one placeholder per id (psycopg parses and adapts 10,000 of them in ~40 ms; the tick's
    batches hold 10,000 shipments). Elsewhere (the SQLite demo) a plain `__in`."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return Q(_AnyOf(field, ids))
    return Q(**{f"{field}__in": ids})


# --- The one place for hand-written bulk SQL ------------------------------------------------------
# The simulation's tick and routing batches write thousands of rows at once (events, legs,
# shipments, departure bookings). The ORM's `bulk_update` builds a CASE per row and field (quadratic
# SQL, and more Python than the rest of a routing batch) and `bulk_create` cannot say which rows an
# ON CONFLICT skipped: with them the biggest tick took 16 s and one worker routed 369 shipments/s
# (BENCHMARKS.md, "Session 7: the house"). These two statements send the rows as ONE JSON document
# (written by orjson, read by `json_to_recordset`): through Django's own cursor (its connection
# handling, query logging and transaction), yet without the client-side quoting of every element
# that cost ~0.2 s per 10,000 events. Table, columns and types come from the model's metadata,
# never typed by hand. Elsewhere (the SQLite demo) they do the same with the ORM, so their callers
# have one path.


def json_rows_supported() -> bool:
    """Whether the database takes the rows as one JSON document (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _jsonable(value):
    """What orjson cannot write itself (it writes datetimes and dates as ISO 8601)."""
    if isinstance(value, timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _recordset(columns: list, rows: list[tuple]) -> tuple[str, str]:
    """The rows as a JSON document and the `AS batch (c0 type, …)` that reads them back typed."""
    names = [f"c{index}" for index in range(len(columns))]
    document = orjson.dumps([dict(zip(names, row, strict=True)) for row in rows], default=_jsonable).decode()
    shape = ", ".join(f"c{index} {field.db_type(connection)}" for index, field in enumerate(columns))
    return document, shape


def unnest_insert(
    model, fields: Sequence[str], rows: list[tuple], *, unique: str, returning: Sequence[str]
) -> list[tuple]:
    """Insert `rows` (values in `fields` order) except those whose `unique` column is taken
    (`ON CONFLICT DO NOTHING`); returns `returning` of the rows really inserted."""
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    if not json_rows_supported():
        return _insert_with_the_orm(model, columns, rows, unique=unique, returning=returning)
    quote = connection.ops.quote_name
    document, shape = _recordset(columns, rows)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608  # nosec B608 — names from the model
        f"SELECT * FROM json_to_recordset(%s::json) AS batch ({shape}) "
        f"ON CONFLICT ({quote(meta.get_field(unique).column)}) DO NOTHING "
        f"RETURNING {', '.join(quote(meta.get_field(name).column) for name in returning)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])
        return cursor.fetchall()


def _insert_with_the_orm(
    model, columns: list, rows: list[tuple], *, unique: str, returning: Sequence[str]
) -> list[tuple]:
    """`unnest_insert` on SQLite: the rows whose unique value is not stored yet, then read back."""
    attnames = [field.attname for field in columns]
    key = model._meta.get_field(unique).attname
    candidates = [dict(zip(attnames, row, strict=True)) for row in rows]
    asked = [values[key] for values in candidates]
    stored = set(model.objects.filter(**{f"{key}__in": asked}).values_list(key, flat=True))
    new = [model(**values) for values in candidates if values[key] not in stored]
    model.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    back = [model._meta.get_field(name).attname for name in returning]
    return list(model.objects.filter(**{f"{key}__in": [getattr(row, key) for row in new]}).values_list(*back))


def unnest_update(model, fields: Sequence[str], rows: list[tuple]) -> None:
    """Set `fields` of each row by primary key: `rows` are (pk, *values in `fields` order)."""
    if not rows:
        return
    meta = model._meta
    if not json_rows_supported():
        attnames = [meta.get_field(name).attname for name in fields]
        objects = [model(pk=row[0], **dict(zip(attnames, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objects, attnames, batch_size=200)
        return
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    document, shape = _recordset(columns, rows)
    assignments = ", ".join(
        f"{quote(field.column)} = batch.c{index}" for index, field in enumerate(columns) if index
    )
    table = quote(meta.db_table)
    sql = (
        f"UPDATE {table} SET {assignments} FROM json_to_recordset(%s::json) AS batch ({shape}) "  # noqa: S608  # nosec B608 — names from the model
        f"WHERE {table}.{quote(meta.pk.column)} = batch.c0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [document])


def advisory_xact_lock(namespace: int, key: int) -> None:
    """PostgreSQL's transaction-scoped advisory lock on (namespace, key): held until commit, for
    what has no row to lock (a hub's sorting capacity across days)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])

"""Database access tuning that changes no value read or written: a faster timestamp loader,
`id_in` for queries over thousands of ids, and `binary_params_cursor` for statements fed arrays.

Django (5.2) reads every `timestamptz` through its own subclass of psycopg's *Python* loader (to
attach its time zone), which bypasses psycopg's C loader: ~5 µs a value, 0.6 s for the 120,000
timestamps a simulation tick over 10,000 parcels reads. When the connection's time zone is UTC —
ours: `TIME_ZONE = "UTC"`, `USE_TZ = True` — psycopg's C loader already returns datetimes with
`datetime.timezone.utc`, exactly what Django's would, so new connections get it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from operator import attrgetter

from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    F,
    ForeignKey,
    Func,
    IntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    Q,
    SmallIntegerField,
    TextField,
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


@cache
def _prepared_cursor_classes() -> tuple[type, type]:
    """psycopg cursors (`%s` placeholders; `$n` ones) whose statements are prepared on the
    server at their first run."""
    import psycopg

    class PrepareByDefault:
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    class PreparedCursor(PrepareByDefault, psycopg.Cursor):
        pass

    class PreparedRawCursor(PrepareByDefault, psycopg.RawCursor):
        pass

    return PreparedCursor, PreparedRawCursor


@contextmanager
def _wrapped(cursor_class: type, using: str) -> Iterator:
    """A psycopg cursor of `cursor_class` on Django's connection, wrapped like Django's own
    (query logging — the statement as written —, `execute_wrapper`, transactions)."""
    db = connections[using]
    # As Django's own `cursor()` does: a connection the server dropped (a restart, a terminated
    # backend) fails the health check and is replaced, instead of failing this statement.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    wrapper = _AsWrittenDebugCursor if db.queries_logged else CursorWrapper
    with wrapper(cursor_class(db.connection), db) as cursor:
        yield cursor


def prepared_cursor(using: str = "default"):
    """A cursor whose parameters travel apart from the SQL and whose statements PostgreSQL keeps
    prepared on this connection: parsed and planned once, then only executed.

    For the few statements every order runs (the token, the cart's listings, the placing
    statement): planning them cost ~0.3 ms of PostgreSQL's time per order. Not the default for
    every query (`server_side_binding` and `prepare_threshold` in settings): measured, prepared
    generic plans halved the catalog's full-text search (40 → 24 requests/s). PostgreSQL only."""
    return _wrapped(_prepared_cursor_classes()[0], using)


def numbered_params_cursor():
    """A prepared cursor (`prepared_cursor`) taking PostgreSQL's own `$1, $2…` placeholders,
    the statement sent as written.

    psycopg rewrites `%s` placeholders into `$n` on every execute, and caches the rewrite only
    for statements under 4 kB with at most 50 parameters; a whole order in one statement has
    ~100 (~0.3 ms of parsing each time). PostgreSQL only."""
    return _wrapped(_prepared_cursor_classes()[1], "default")


class _AsWrittenDebugCursor(CursorDebugWrapper):
    """Logs the statement as written (parameters beside it): Django's `last_executed_query`
    fails on `$n` placeholders and finds no client-composed text on a server-binding cursor."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


@contextmanager
def binary_params_cursor() -> Iterator:
    """A cursor whose parameters travel apart from the SQL (server-side binding), so `%b` sends an
    array in binary: ~4× cheaper for psycopg than the quoted literal Django's client-side cursors
    build (10,000 events × 14 columns: 0.05 s instead of 0.2 s). PostgreSQL only. It is wrapped
    like any Django cursor, so query logging, `execute_wrapper` and the transaction see it."""
    import psycopg

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection._prepare_cursor(psycopg.Cursor(connection.connection)) as cursor:
        yield cursor


class CompiledQuery:
    """A queryset of model instances compiled to SQL once per process; each call only sends new
    parameters (and, with prepared statements, PostgreSQL skips parsing and planning too).

    Building and compiling a queryset costs more Python than running it: the checkout's listing
    read (a filter, `select_related`, a defer) took ~0.65 ms of CPU against ~0.05 ms to run, and
    DRF's token lookup ~0.4 ms. `build(*args)` must make a queryset whose parameters are exactly
    its arguments: it is compiled once with `sentinels` (values no caller sends, one per
    argument), each sentinel is found among the compiled parameters, and later calls put their
    arguments in those places. Rows become instances as Django's own `ModelIterable` makes them
    (`from_db`, the compiler's converters, `select_related` populators). When a sentinel is not
    found exactly once (a lookup that rewrites its value, SQLite's `IN` with one placeholder per
    id) the queryset is simply built and run each call: slower, never wrong.
    """

    def __init__(self, build, *sentinels) -> None:
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[str, tuple | None] = {}

    def _compile(self, using: str) -> tuple | None:
        from django.db.models.query import get_related_populators

        queryset = self.build(*self.sentinels).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for sentinel in self.sentinels:
            places = [index for index, param in enumerate(params) if param == sentinel]
            if len(places) != 1:
                return None
            slots.append(places[0])
        klass_info = compiler.klass_info
        fields = [select[0] for select in compiler.select[0 : compiler.col_count]]
        if (
            klass_info is None
            or compiler.annotation_col_map
            or queryset._known_related_objects
            or compiler.has_composite_fields(fields)
        ):
            return None
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [select[0].target.attname for select in compiler.select[start:end]]
        populators = get_related_populators(klass_info, compiler.select, using)
        converters = compiler.get_converters(fields)
        model = klass_info["model"]
        return (sql, params, slots, compiler, converters, model, init_list, start, end, populators)

    def instances(self, *args, using: str = "default") -> list:
        try:
            compiled = self._compiled[using]
        except KeyError:
            compiled = self._compiled[using] = self._compile(using)
        if compiled is None:
            return list(self.build(*args).using(using))
        sql, params, slots, compiler, converters, model, init_list, start, end, populators = compiled
        params = params.copy()
        for slot, value in zip(slots, args, strict=True):
            params[slot] = value
        db = connections[using]
        with prepared_cursor(using) if db.vendor == "postgresql" else db.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def forget(self) -> None:
        """Compile again on the next call (tests that change the schema or the settings)."""
        self._compiled.clear()


# Field types whose attribute value psycopg adapts exactly as Django's `get_db_prep_save` would
# (on PostgreSQL those return the value unchanged). Subclasses are not assumed to behave alike.
_PASSED_AS_IS = frozenset(
    {
        BigIntegerField,
        BooleanField,
        CharField,
        DecimalField,
        ForeignKey,
        IntegerField,
        PositiveIntegerField,
        PositiveSmallIntegerField,
        SmallIntegerField,
        TextField,
    }
)


def _value_getter(field) -> Callable:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, add=True)  # sets the attribute too, as save() does
    if type(field) in _PASSED_AS_IS:
        return attrgetter(field.attname)
    attname = field.attname
    if type(field) is DateTimeField:  # aware datetimes go as they are; anything else as Django does
        def aware_datetime(obj):
            value = getattr(obj, attname)
            if type(value) is datetime and value.tzinfo is not None:
                return value
            return field.get_db_prep_save(value, connection)

        return aware_datetime
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


@cache
def insert_columns(model, leave_out: tuple[str, ...] = ()) -> tuple[list[str], list[Callable]]:
    """For hand-written INSERTs of `model` rows: the quoted columns (primary key and `leave_out`
    attnames excepted) and, for each, a function giving an instance's value ready for the cursor,
    as `Model.save()` would send it (auto_now fields set, JSON wrapped, countries as codes).

    Hand-written statements list these, never their own columns: a field added to the model is
    inserted without anyone remembering to."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in leave_out]
    return [connection.ops.quote_name(f.column) for f in fields], [_value_getter(f) for f in fields]

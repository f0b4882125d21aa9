"""Querysets compiled to SQL once per process, then run with a plain cursor.

Building a queryset and compiling it costs more Python than running it: ~0.1–0.35 ms for each of
the catalog page's small queries (rates, categories, facet counts, a page of cards) against
~0.1 ms to execute and fetch. `value_rows(key, build)` compiles `build()` — a `values_list`
queryset — the first time `key` is asked, and afterwards sends the same SQL and parameters.

This caches SQL text, never rows: every call reads the database. The caller's `key` must name
everything the SQL depends on (the filters, the date, the page's offset…); the SQL of a queryset
is a pure function of how it was built, so a key that names its inputs cannot go stale. The
compiler's converters are applied to the rows as the queryset would (SQLite's decimals, dates).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

_EMPTY = object()  # the queryset can match nothing (e.g. `pk__in=[]`): no query at all


class _Compiled:
    __slots__ = ("compiler", "converters", "params", "sql")

    def __init__(self, compiler: SQLCompiler, sql: str, params: tuple) -> None:
        self.compiler = compiler
        self.sql = sql
        self.params = params
        fields = [select[0] for select in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(fields)


_memo: OrderedDict[tuple, _Compiled | object] = OrderedDict()
_lock = threading.Lock()
MEMO_SIZE = 512


def _compile(qs: QuerySet) -> _Compiled | object:
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _EMPTY
    return _Compiled(compiler, sql, tuple(params))


def value_rows(key: Hashable, build: Callable[[], QuerySet], *, using: str = "default") -> list[tuple]:
    """The rows of the `values_list` queryset `build()`, compiled once per `key` and database."""
    connection = connections[using]
    memo_key = (using, connection.vendor, key)
    with _lock:
        compiled = _memo.get(memo_key)
        if compiled is not None:
            _memo.move_to_end(memo_key)
    if compiled is None:
        compiled = _compile(build().using(using))
        with _lock:
            _memo[memo_key] = compiled
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    if compiled is _EMPTY:
        return []
    assert isinstance(compiled, _Compiled)  # noqa: S101 - narrows the type  # nosec B101
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows: Any = cursor.fetchall()
    if compiled.converters:
        rows = compiled.compiler.apply_converters(rows, compiled.converters)
    return [tuple(row) for row in rows]


def forget() -> None:
    """Drop every compiled query (tests that change the schema or the settings)."""
    with _lock:
        _memo.clear()

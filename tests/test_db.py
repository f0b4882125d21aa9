"""ewtp/db.py: the database access tuning reads and writes exactly what Django's own path would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ewtp.db import binary_params_cursor, id_in
from logistics.models import Hub
from tests.logistics.factories import HubFactory

TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid


@pytest.mark.django_db
def test_timestamps_are_read_by_psycopgs_own_loader_with_djangos_time_zone():
    """Guards `use_c_timestamptz_loader` (connected in `EwtpConfig.ready`): without it Django's
    Python loader reads every timestamp (4× slower); with it the values are the same, in UTC."""
    fresh = connections.create_connection("default")  # the hook runs on `connection_created`
    try:
        with fresh.cursor() as cursor:
            loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
            load = loader(TIMESTAMPTZ, cursor.cursor).load
            cursor.execute(
                "SELECT '2026-03-29 01:30:00+02'::timestamptz, "
                "'2026-11-29 23:59:59.123456-11'::timestamptz, NULL::timestamptz"
            )
            spring, late, missing = cursor.fetchone()
    finally:
        fresh.close()
    assert loader.__name__ == "UtcTimestamptzLoader"
    if psycopg.pq.__impl__ != "python":  # psycopg's C extension does the parsing
        assert type(load.__self__).__module__ in {"psycopg_binary._psycopg", "psycopg_c._psycopg"}
    assert spring == datetime(2026, 3, 28, 23, 30, tzinfo=UTC) and spring.tzinfo is UTC
    assert late == datetime(2026, 11, 30, 10, 59, 59, 123456, tzinfo=UTC) and late.tzinfo is UTC
    assert missing is None


@pytest.mark.django_db
def test_id_in_selects_what_in_selects():
    hubs = HubFactory.create_batch(4)
    wanted = [hubs[0].pk, hubs[2].pk, 10**12]
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Hub.objects.filter(id_in("pk", wanted)).values_list("pk", flat=True))
    assert found == sorted(Hub.objects.filter(pk__in=wanted).values_list("pk", flat=True)) == wanted[:2]
    assert "ANY(" in queries.captured_queries[0]["sql"]  # one array, not one placeholder per id
    assert not Hub.objects.filter(id_in("pk", [])).exists()
    assert set(Hub.objects.exclude(id_in("pk", wanted)).values_list("pk", flat=True)) == {
        hubs[1].pk,
        hubs[3].pk,
    }


@pytest.mark.django_db
def test_binary_array_parameters_round_trip_and_are_logged():
    values = [
        [1, 2**40, None],
        ["", None, 'a "quoted", {braced} \\ text'],
        [datetime(2026, 11, 29, 7, tzinfo=UTC), None, datetime(2026, 1, 1, tzinfo=UTC)],
        [timedelta(hours=3), timedelta(0), None],
    ]
    with CaptureQueriesContext(connection) as queries, binary_params_cursor() as cursor:
        cursor.execute(
            "SELECT * FROM unnest(%b::bigint[], %b::text[], %b::timestamptz[], %b::interval[])", values
        )
        rows = cursor.fetchall()
    assert [list(column) for column in zip(*rows, strict=True)] == values
    # …sent apart from the SQL (Django's own cursors quote every element into the SQL text).
    assert not isinstance(cursor.cursor, psycopg.ClientCursor)
    assert len(queries) == 1 and "unnest" in queries.captured_queries[0]["sql"]


def test_the_cache_keeps_one_redis_client_per_pool():
    """ewtp.redis_cache: Django makes a `redis.Redis` per cache call (~60 µs); ours makes one."""
    from django.core.cache import caches

    from ewtp.redis_cache import RedisCache

    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share the pool
    cache.set("ewtp-test-client", 7)
    assert cache.get("ewtp-test-client") == 7


"""ewtp/db.py: the database access tuning reads and writes exactly what Django's own path would."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ewtp.db import id_in, unnest_insert, unnest_update
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
def test_the_bulk_sql_helpers_write_what_the_orm_would(settings):
    """`unnest_insert` / `unnest_update`: the tick's bulk writes, columns and types from the models,
    through Django's own cursor (logged, in its transaction)."""
    from logistics.models import HubSortDay

    hubs = HubFactory.create_batch(2)
    day = datetime(2026, 12, 1, tzinfo=UTC).date()
    with CaptureQueriesContext(connection) as queries:
        inserted = unnest_insert(
            HubSortDay,
            ("hub", "day", "parcels"),
            [(hubs[0].pk, day, 3), (hubs[1].pk, day, 0)],
            unique="id",
            returning=("hub", "parcels"),
        )
    assert sorted(inserted) == sorted([(hubs[0].pk, 3), (hubs[1].pk, 0)])
    assert len(queries) == 1 and "json_to_recordset" in queries.captured_queries[0]["sql"]
    rows = dict(HubSortDay.objects.values_list("hub_id", "pk"))
    unnest_update(HubSortDay, ("parcels",), [(rows[hubs[0].pk], 7), (rows[hubs[1].pk], 1)])
    assert dict(HubSortDay.objects.values_list("hub_id", "parcels")) == {hubs[0].pk: 7, hubs[1].pk: 1}


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


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


@pytest.mark.django_db
def test_compiled_query_compiles_once_and_reads_what_the_queryset_reads():
    """`CompiledQuery` builds its queryset once per process; later calls send only new parameters
    and give the instances the queryset gives, `select_related` objects attached."""
    from ewtp.db import CompiledQuery
    from logistics.models import Lane
    from tests.logistics.factories import LaneFactory

    lanes = [LaneFactory() for _ in range(3)]
    builds = []

    def build(ids):
        builds.append(ids)
        return Lane.objects.filter(id_in("pk", ids)).select_related("origin", "destination").order_by("pk")

    query = CompiledQuery(build, [-1])
    for wanted in ([lanes[0].pk, lanes[2].pk], [lanes[1].pk], []):
        got = query.instances(list(wanted))
        expected = list(build(list(wanted)))
        assert [(lane.pk, lane.origin_id, lane.cost_per_kg_amount) for lane in got] == [
            (lane.pk, lane.origin_id, lane.cost_per_kg_amount) for lane in expected
        ]
        with CaptureQueriesContext(connection) as captured:
            assert [lane.origin.code for lane in got] == [lane.origin.code for lane in expected]
        assert captured.captured_queries == []  # the related hubs came in the same row
    assert builds[0] == [-1] and len(builds) == 4  # compiled once with the sentinel; then the references


@pytest.mark.django_db
def test_compiled_query_whose_sentinel_is_not_a_parameter_builds_each_time():
    """A parameter the compiler rewrites (here: a sentinel the queryset never uses) cannot be
    swapped in later: the query is built and run each call, never answered with stale SQL."""
    from ewtp.db import CompiledQuery
    from tests.logistics.factories import HubFactory as Hubs

    hubs = [Hubs(), Hubs()]
    query = CompiledQuery(lambda code: Hub.objects.filter(code=code.upper()), "sentinel")
    assert [hub.pk for hub in query.instances(hubs[0].code.lower())] == [hubs[0].pk]
    assert [hub.pk for hub in query.instances(hubs[1].code.lower())] == [hubs[1].pk]
    assert query._compiled["default"] is None


@pytest.mark.django_db(transaction=True)
def test_compiled_queries_are_prepared_on_the_server_and_other_queries_are_not():
    """`prepared_cursor`: the statements every order runs (compiled queries, the placing
    statement) are prepared once per connection; Django's own queries keep client-side binding
    (prepared generic plans halved the catalog's full-text search)."""
    from ewtp.db import CompiledQuery, prepared_cursor

    hub = HubFactory()
    query = CompiledQuery(lambda code: Hub.objects.filter(code=code), "\x00sentinel")
    for _ in range(3):
        assert [found.pk for found in query.instances(hub.code)] == [hub.pk]
    list(Hub.objects.filter(name="not prepared"))
    with prepared_cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [" ".join(row[0].split()) for row in cursor.fetchall()]
    assert any('FROM "logistics_hub" WHERE "logistics_hub"."code" = $1' in sql for sql in prepared), prepared
    assert not any("not prepared" in sql or '"logistics_hub"."name" =' in sql for sql in prepared)


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


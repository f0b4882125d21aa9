"""One `Planner` shared by many threads, as gunicorn's threaded workers share it."""

import random
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from logistics.routing import planner as planner_module
from logistics.routing.model import HubData, LaneData, Mode, Network, Preference, Quote, QuoteRequest
from logistics.routing.planner import Planner
from logistics.routing.schedule import WeeklySchedule
from tests.logistics.routing.interleaving import interleaved, run_together

pytestmark = pytest.mark.slow  # property searches over the planner

COUNTRIES = ("CN", "MY", "TH", "KE", "RW", "BE", "AE", "ET", "ID", "VN")
THREADS = 16
QUOTES_PER_THREAD = 12
MEMO_SIZE = 4  # far fewer than the 180 (origin hubs, destination hubs, metric) entries asked for


def ring_network() -> Network:
    """Ten hubs, one per country, each with lanes to its two neighbours on either side of a ring:
    several simple paths and a memo entry of its own for every pair of countries."""
    hubs = tuple(
        HubData(code=f"H{i}", country=country, timezone="UTC", serves=frozenset({country}))
        for i, country in enumerate(COUNTRIES)
    )
    lanes = []
    for i in range(len(hubs)):
        for step in (1, 2, -1, -2):
            air = abs(step) == 2
            lanes.append(
                LaneData(
                    id=len(lanes) + 1,
                    origin=f"H{i}",
                    destination=f"H{(i + step) % len(hubs)}",
                    mode=Mode.AIR if air else Mode.ROAD,
                    schedule=WeeklySchedule(weekdays=(0, 2, 4), times=(time(22, 0),)),
                    cutoff_hours=4,
                    transit_hours=12 if air else 30,
                    cost_per_kg=Decimal("2.70") if air else Decimal("0.45"),
                    min_charge=Decimal("3.00"),
                    capacity_kg=Decimal(500),
                )
            )
    return Network(hubs=hubs, lanes=tuple(lanes))


def every_request() -> list[QuoteRequest]:
    ready = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return [
        QuoteRequest(
            origin_country=origin,
            destination_country=destination,
            weight_kg=Decimal("2.5"),
            ready_at=ready,
            dimensions_cm=(Decimal(40), Decimal(30), Decimal(20)),
            preference=preference,
        )
        for origin in COUNTRIES
        for destination in COUNTRIES
        if origin != destination
        for preference in (Preference.CHEAPEST, Preference.FASTEST)
    ]


def test_planner_quotes_from_many_threads_while_its_memo_evicts(monkeypatch):
    """Guards the planner's memo of candidate paths under concurrent use: with a memo so small
    that it evicts on nearly every quote, 16 threads quoting different country pairs at once get
    exactly the quotes one thread gets alone (threads switch at every line of the memo code, see
    `interleaving`). The old memo, a dict that `clear()`ed itself when full, failed this in every
    run with KeyError on 18 to 25 of the 192 quotes: another thread emptied it between a thread's
    insert (or membership test) and its read.
    """
    network = ring_network()
    asked = [random.Random(index).sample(every_request(), QUOTES_PER_THREAD) for index in range(THREADS)]
    alone = Planner(network)
    expected = {request: alone.quote(request) for requests in asked for request in requests}
    assert all(quote.found for quote in expected.values())

    monkeypatch.setattr(planner_module, "MAX_MEMOISED_PAIRS", MEMO_SIZE)
    shared = Planner(network)
    answers: list[list[tuple[QuoteRequest, Quote]]] = [[] for _ in range(THREADS)]
    errors: list[Exception] = []

    def worker(index: int) -> None:
        with interleaved(Planner._paths):
            for request in asked[index]:
                try:
                    answers[index].append((request, shared.quote(request)))
                except Exception as exc:  # noqa: BLE001 — every failure is reported below
                    errors.append(exc)

    run_together(worker, THREADS)

    assert errors == []
    assert [len(given) for given in answers] == [QUOTES_PER_THREAD] * THREADS
    wrong = [request for given in answers for request, quote in given if quote != expected[request]]
    assert wrong == []

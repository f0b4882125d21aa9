"""Property-based tests of the planner on random small networks (Hypothesis; no database)."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.routing.model import (
    DEFAULT_FIRST_MILE,
    DEFAULT_LAST_MILE,
    HubData,
    HubStatus,
    LaneData,
    MileRate,
    Mode,
    Network,
    Preference,
    QuoteRequest,
    lane_cost,
)
from logistics.routing.planner import Planner
from logistics.routing.schedule import WeeklySchedule

pytestmark = pytest.mark.slow  # property searches over the planner

COUNTRIES = ("AA", "BB", "CC")
ZONES = ("UTC", "Asia/Shanghai", "Europe/Brussels", "America/Sao_Paulo")
money = st.decimals(min_value=0, max_value=10, places=2)


@st.composite
def networks(draw) -> Network:
    size = draw(st.integers(min_value=2, max_value=5))
    hubs = tuple(
        HubData(
            code=f"H{i}",
            country=draw(st.sampled_from(COUNTRIES)),
            timezone=draw(st.sampled_from(ZONES)),
            serves=frozenset(draw(st.sets(st.sampled_from(COUNTRIES), min_size=1, max_size=2))),
            handling_hours=draw(st.integers(0, 12)),
            import_clearance_hours=draw(st.integers(0, 48)),
            status=draw(
                st.sampled_from([HubStatus.ACTIVE, HubStatus.ACTIVE, HubStatus.DEGRADED, HubStatus.SUSPENDED])
            ),
        )
        for i in range(size)
    )
    codes = [hub.code for hub in hubs]
    lanes = []
    for lane_id in range(1, draw(st.integers(0, 12)) + 1):
        origin = draw(st.sampled_from(codes))
        destination = draw(st.sampled_from([code for code in codes if code != origin]))
        lanes.append(
            LaneData(
                id=lane_id,
                origin=origin,
                destination=destination,
                mode=draw(st.sampled_from(list(Mode))),
                schedule=WeeklySchedule(
                    tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)))),
                    tuple(
                        sorted(draw(st.sets(st.sampled_from([time(3), time(10, 30), time(22)]), min_size=1)))
                    ),
                ),
                cutoff_hours=draw(st.integers(0, 12)),
                transit_hours=draw(st.integers(1, 96)),
                cost_per_kg=draw(st.decimals(min_value=0, max_value=5, places=2)),
                min_charge=draw(money),
                capacity_kg=Decimal(draw(st.integers(1, 200))),
                is_active=draw(st.booleans()),
            )
        )
    first_mile = {c: MileRate(draw(st.integers(1, 72)), draw(money), draw(money)) for c in COUNTRIES[:2]}
    return Network(hubs=hubs, lanes=tuple(lanes), first_mile=first_mile)


requests = st.builds(
    QuoteRequest,
    origin_country=st.sampled_from(COUNTRIES),
    destination_country=st.sampled_from(COUNTRIES),
    weight_kg=st.decimals(min_value=Decimal("0.1"), max_value=150, places=1),
    ready_at=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
    ),
    dimensions_cm=st.none() | st.tuples(*[st.decimals(min_value=1, max_value=120, places=0)] * 3),
    preference=st.sampled_from(list(Preference)),
)


def brute_force_costs(network: Network, request: QuoteRequest) -> list[Decimal]:
    """The cost of every simple path, by exhaustive search (no networkx, no planner)."""
    hubs = {hub.code: hub for hub in network.hubs}
    open_hubs = {code for code, hub in hubs.items() if hub.status != HubStatus.SUSPENDED}
    usable = [
        lane
        for lane in network.lanes
        if lane.is_active
        and lane.origin in open_hubs
        and lane.destination in open_hubs
        and lane.capacity_kg >= request.weight_kg
    ]
    first = network.first_mile.get(request.origin_country, DEFAULT_FIRST_MILE)
    last = network.last_mile.get(request.destination_country, DEFAULT_LAST_MILE)
    ends = first.cost(request.weight_kg) + last.cost(request.weight_kg)
    costs: list[Decimal] = []

    def walk(code: str, visited: set[str], spent: Decimal) -> None:
        if request.destination_country in hubs[code].serves:
            costs.append(spent + ends)
        for lane in usable:
            if lane.origin == code and lane.destination not in visited:
                cost = lane_cost(lane, request.weight_kg, request.dimensions_cm)
                walk(lane.destination, visited | {lane.destination}, spent + cost)

    for code in open_hubs:
        if request.origin_country in hubs[code].serves:
            walk(code, {code}, Decimal(0))
    return costs


@settings(max_examples=300, deadline=None)
@given(network=networks(), request=requests)
def test_planner_cheapest_is_never_above_any_brute_force_path(network, request):
    cheapest_request = QuoteRequest(
        request.origin_country,
        request.destination_country,
        request.weight_kg,
        request.ready_at,
        request.dimensions_cm,
        Preference.CHEAPEST,
    )
    quote = Planner(network).quote(cheapest_request)
    costs = brute_force_costs(network, cheapest_request)
    if not costs:
        assert quote.route is None and quote.reason is not None
        return
    assert quote.route is not None
    assert quote.route.cost <= min(costs)
    assert quote.route.cost in costs  # and it is a real path's cost


@settings(max_examples=300, deadline=None)
@given(network=networks(), request=requests)
def test_planner_never_routes_through_a_suspended_hub_or_inactive_lane(network, request):
    quote = Planner(network).quote(request)
    hubs = {hub.code: hub for hub in network.hubs}
    lanes = {lane.id: lane for lane in network.lanes}
    for route in [quote.route, *quote.alternatives] if quote.route else []:
        assert all(hubs[code].status != HubStatus.SUSPENDED for code in route.hubs)
        for leg in route.line_haul:
            assert lanes[leg.lane_id].is_active
            assert lanes[leg.lane_id].capacity_kg >= request.weight_kg
        # The timeline never runs backwards and each departure honours the lane's cut-off.
        for previous, leg in zip(route.legs, route.legs[1:], strict=False):
            assert leg.departs_at >= previous.arrives_at
            if leg.lane_id is not None:
                assert (
                    leg.departs_at - timedelta(hours=lanes[leg.lane_id].cutoff_hours) >= previous.arrives_at
                )
        assert route.cost == sum(leg.cost for leg in route.legs)
        assert route.estimated_delivery == route.legs[-1].arrives_at

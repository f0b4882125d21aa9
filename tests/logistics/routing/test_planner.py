"""The planner on the demo network, as plain data: no database."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from logistics.demo.reference_data import demo_network, lane_rows
from logistics.routing.model import (
    DEGRADED_DELAY_HOURS,
    PRE_CLEARED,
    HubData,
    HubStatus,
    LaneData,
    LegKind,
    Mode,
    Network,
    NoRouteReason,
    Preference,
    QuoteRequest,
    chargeable_weight_kg,
)
from logistics.routing.planner import Planner
from logistics.routing.schedule import WeeklySchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2 March 2026, 09:00 in Hangzhou/Shenzhen: parcels reach the hub Tuesday 09:00 and are
# sorted by 13:00, an hour before the 14:00 cut-off of 22:00 departures.
MONDAY_9AM_SHANGHAI = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def planner() -> Planner:
    return Planner(demo_network())


def quote(planner, origin, destination, preference, *, weight="2", ready=MONDAY_9AM_SHANGHAI, **kwargs):
    return planner.quote(
        QuoteRequest(
            origin_country=origin,
            destination_country=destination,
            weight_kg=Decimal(weight),
            ready_at=ready,
            preference=Preference(preference),
            **kwargs,
        )
    )


def line_haul(route) -> list[tuple[str, str, str]]:
    return [(leg.from_hub, leg.to_hub, leg.mode.value) for leg in route.line_haul]


def with_hub_status(network: Network, code: str, status: HubStatus) -> Network:
    hubs = tuple(
        HubData(h.code, h.country, h.timezone, h.serves, h.handling_hours, h.import_clearance_hours, status)
        if h.code == code
        else h
        for h in network.hubs
    )
    return Network(hubs=hubs, lanes=network.lanes, first_mile=network.first_mile, last_mile=network.last_mile)


def test_demo_network_adds_reverse_lanes_at_sixty_percent():
    lanes = {(lane.origin, lane.destination, lane.mode.value): lane for lane in lane_rows()}
    assert len(lanes) == 64  # 32 listed, 32 reverses (none of the listed lanes has its reverse)
    assert lanes[("KUL", "HGH", "air")].cost_per_kg == Decimal("1.2000")  # 0.6 × 2.0
    assert lanes[("KUL", "HGH", "air")].min_charge == Decimal("3.00")
    assert lanes[("HGH", "LGG", "air")].schedule.weekdays == (1, 4)  # 2/week → Tue & Fri


def test_quote_hangzhou_to_kuala_lumpur_fastest_is_the_direct_flight(planner):
    result = quote(planner, "CN", "MY", "fastest", origin_hub="HGH")
    assert line_haul(result.route) == [("HGH", "KUL", "air")]
    # Every alternative takes longer (via BKK, DXB, or the gateways of Tokyo and Sydney).
    assert all(alt.estimated_delivery > result.route.estimated_delivery for alt in result.alternatives)
    assert {alt.hubs[1] for alt in result.alternatives} <= {"BKK", "DXB", "NRT", "SYD"}


def test_quote_china_to_malaysia_fastest_is_one_direct_flight_to_kul(planner):
    result = quote(planner, "CN", "MY", "fastest")
    assert [leg.to_hub for leg in result.route.line_haul] == ["KUL"]
    assert result.route.legs[0].kind == LegKind.FIRST_MILE and result.route.legs[0].from_hub is None
    assert result.route.legs[-1].kind == LegKind.LAST_MILE and result.route.legs[-1].to_hub is None


@pytest.mark.parametrize("preference", ["fastest", "cheapest", "balanced"])
def test_quote_shenzhen_to_kigali_goes_through_addis_ababa(planner, preference):
    result = quote(planner, "CN", "RW", preference)
    assert result.route.hubs == ("SZX", "ADD", "KGL")
    assert line_haul(result.route) == [("SZX", "ADD", "air"), ("ADD", "KGL", "air")]


def test_quote_shenzhen_to_kigali_timeline_counts_handling_and_clearance(planner):
    route = quote(planner, "CN", "RW", "cheapest").route
    first, szx_add, add_kgl, last = route.legs
    # SZX: first mile 24 h, handling 4 h → Tue 13:00; SZX–ADD runs Mon/Tue/Thu/Fri 22:00 (cut-off 8 h).
    assert first.arrives_at == datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI)
    assert szx_add.departs_at == datetime(2026, 3, 3, 22, 0, tzinfo=SHANGHAI)
    assert szx_add.arrives_at == szx_add.departs_at + timedelta(hours=36)
    # ADD handling 8 h, then the first daily 22:00 Addis departure with a 4 h cut-off.
    addis = ZoneInfo("Africa/Addis_Ababa")
    assert add_kgl.departs_at == datetime(2026, 3, 4, 22, 0, tzinfo=addis) + timedelta(days=1)
    # KGL: handling 8 h + import clearance in minutes (declared before arrival: `PRE_CLEARED`), then
    # the last mile (24 h in Rwanda itself).
    assert last.departs_at == add_kgl.arrives_at + timedelta(hours=8) + PRE_CLEARED
    assert route.estimated_delivery == last.departs_at + timedelta(hours=24)
    assert route.cost == Decimal("18.00")  # 2.00 + 8.00 (min) + 5.00 (min) + 3.00
    assert route.cost == sum(leg.cost for leg in route.legs)


def test_quote_kuala_lumpur_to_bangkok_cheapest_takes_road_and_fastest_takes_air(planner):
    cheapest = quote(planner, "MY", "TH", "cheapest", weight="10")
    fastest = quote(planner, "MY", "TH", "fastest", weight="10")
    assert line_haul(cheapest.route) == [("KUL", "BKK", "road")]
    assert line_haul(fastest.route) == [("KUL", "BKK", "air")]
    assert cheapest.route.cost < fastest.route.cost
    assert fastest.route.estimated_delivery < cheapest.route.estimated_delivery
    # Parallel lanes are separate candidates: each preference offers the other lane as an alternative.
    assert line_haul(cheapest.alternatives[0]) == [("KUL", "BKK", "air")]
    assert [("KUL", "BKK", "road")] in [line_haul(alternative) for alternative in fastest.alternatives]


def test_quote_waits_for_the_next_weekday_departure_after_the_cutoff(planner):
    # HGH–LGG flies Tuesday and Friday 22:00 (Hangzhou time) with an 8 h cut-off (14:00).
    in_time = quote(planner, "CN", "BE", "cheapest", origin_hub="HGH")
    assert line_haul(in_time.route) == [("HGH", "LGG", "air")]
    assert in_time.route.line_haul[0].departs_at == datetime(2026, 3, 3, 22, 0, tzinfo=SHANGHAI)

    late = quote(
        planner, "CN", "BE", "cheapest", origin_hub="HGH", ready=MONDAY_9AM_SHANGHAI + timedelta(hours=2)
    )
    # Sorted at 15:00 Tuesday: Tuesday's flight is closed, the parcel waits for Friday's.
    assert line_haul(late.route) == [("HGH", "LGG", "air")]
    assert late.route.line_haul[0].departs_at == datetime(2026, 3, 6, 22, 0, tzinfo=SHANGHAI)


def test_quote_charges_volumetric_weight_for_a_large_light_parcel_by_air(planner):
    result = quote(
        planner, "MY", "TH", "fastest", weight="2", dimensions_cm=(Decimal(60), Decimal(40), Decimal(40))
    )
    route = result.route
    assert line_haul(route) == [("KUL", "BKK", "air")]
    assert route.chargeable_weight_kg == Decimal("16.000")  # 60×40×40/6000 beats 2 kg
    assert route.line_haul[0].cost == Decimal("24.00")  # 1.5/kg × 16 kg
    # By road the same parcel pays on its actual weight.
    road = next(alt for alt in result.alternatives if line_haul(alt) == [("KUL", "BKK", "road")])
    assert road.chargeable_weight_kg == Decimal("2")


def test_chargeable_weight_keeps_actual_weight_when_heavier_than_volumetric():
    small = (Decimal(10), Decimal(10), Decimal(10))
    assert chargeable_weight_kg(Decimal(5), small, Mode.AIR) == Decimal(5)
    assert chargeable_weight_kg(Decimal(1), (Decimal(60), Decimal(40), Decimal(40)), Mode.ROAD) == Decimal(1)


def test_quote_reports_no_destination_hub_for_an_unserved_country(planner):
    result = quote(planner, "CN", "MX", "cheapest")
    assert result.route is None
    assert result.reason == NoRouteReason.NO_DESTINATION_HUB


def test_quote_avoids_a_suspended_hub_and_reroutes():
    network = with_hub_status(demo_network(), "ADD", HubStatus.SUSPENDED)
    result = Planner(network).quote(
        QuoteRequest("CN", "RW", Decimal(2), MONDAY_9AM_SHANGHAI, preference=Preference.CHEAPEST)
    )
    assert result.route is not None
    assert "ADD" not in result.route.hubs
    assert result.route.hubs[-2:] == ("NBO", "KGL")
    assert all("ADD" not in alt.hubs for alt in result.alternatives)


def test_quote_says_destination_hubs_suspended_when_the_only_hub_is():
    network = with_hub_status(demo_network(), "KGL", HubStatus.SUSPENDED)
    result = Planner(network).quote(QuoteRequest("CN", "RW", Decimal(2), MONDAY_9AM_SHANGHAI))
    assert result.route is None
    assert result.reason == NoRouteReason.DESTINATION_HUBS_SUSPENDED


def test_quote_adds_delay_at_a_degraded_hub():
    base = Planner(demo_network()).quote(
        QuoteRequest("MY", "TH", Decimal(2), MONDAY_9AM_SHANGHAI, preference=Preference.FASTEST)
    )
    degraded = Planner(with_hub_status(demo_network(), "BKK", HubStatus.DEGRADED)).quote(
        QuoteRequest("MY", "TH", Decimal(2), MONDAY_9AM_SHANGHAI, preference=Preference.FASTEST)
    )
    assert line_haul(degraded.route) == line_haul(base.route)
    delay = degraded.route.estimated_delivery - base.route.estimated_delivery
    assert delay == timedelta(hours=DEGRADED_DELAY_HOURS)


def test_quote_reports_every_path_blocked_when_the_only_lanes_are_inactive():
    hubs = (
        HubData("AAA", "AA", "UTC", frozenset({"AA"})),
        HubData("BBB", "BB", "UTC", frozenset({"BB"})),
    )
    lane = LaneData(
        1,
        "AAA",
        "BBB",
        Mode.AIR,
        WeeklySchedule((0,), (time(12),)),
        2,
        10,
        Decimal(1),
        Decimal(1),
        Decimal(100),
        is_active=False,
    )
    result = Planner(Network(hubs=hubs, lanes=(lane,))).quote(
        QuoteRequest("AA", "BB", Decimal(1), datetime(2026, 1, 5, tzinfo=UTC))
    )
    assert result.route is None
    assert result.reason == NoRouteReason.NO_PATH


def test_quote_skips_lanes_too_small_for_the_parcel():
    hubs = (
        HubData("AAA", "AA", "UTC", frozenset({"AA"})),
        HubData("BBB", "BB", "UTC", frozenset({"BB"})),
    )
    daily = WeeklySchedule(tuple(range(7)), (time(12),))
    air = LaneData(1, "AAA", "BBB", Mode.AIR, daily, 2, 10, Decimal(3), Decimal(1), capacity_kg=Decimal(40))
    road = LaneData(
        2, "AAA", "BBB", Mode.ROAD, daily, 2, 50, Decimal(1), Decimal(1), capacity_kg=Decimal(500)
    )
    planner = Planner(Network(hubs=hubs, lanes=(air, road)))
    ready = datetime(2026, 1, 5, tzinfo=UTC)
    light = planner.quote(QuoteRequest("AA", "BB", Decimal(30), ready, preference=Preference.FASTEST))
    heavy = planner.quote(QuoteRequest("AA", "BB", Decimal(50), ready, preference=Preference.FASTEST))
    assert [leg.lane_id for leg in light.route.line_haul] == [1]
    assert [leg.lane_id for leg in heavy.route.line_haul] == [2]
    assert heavy.alternatives == ()


def test_origin_countries_shipping_to_lists_countries_with_a_path(planner):
    origins = planner.origin_countries_shipping_to("RW")
    assert {"CN", "MY", "BE", "BR", "KE"} <= origins
    assert "MX" not in origins
    assert planner.origin_countries_shipping_to("MX") == frozenset()

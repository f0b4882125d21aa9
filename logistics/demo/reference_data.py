"""The demo e-hub network from `logistics/demo/data/*.csv` (copied from the shared reference data).

Pure Python, no ORM: the seeder writes these rows to the database, and the planner tests and the
benchmark build a `routing.Network` from them directly. Conventions (reference README):
- a lane missing its reverse direction gets one at 0.6× cost and minimum charge (back-haul
  imbalance) with the same mode, schedule, cut-off, transit and capacity;
- `departures_per_week` becomes a weekly schedule in the origin hub's local time
  (`routing.schedule.schedule_for_departures_per_week`);
- first mile: 24 h, USD 1.00 + 0.50/kg for every served country; last mile: USD 2.00 + 0.50/kg,
  24 h in a country where a serving hub stands, 72 h in the other countries it serves — except
  where `country_legs.csv` states other hours, with their source (ASEAN's express services).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from logistics.routing.model import HubData, HubStatus, LaneData, MileRate, Mode, Network
from logistics.routing.schedule import WeeklySchedule, schedule_for_departures_per_week

DATA_DIR = Path(__file__).resolve().parent / "data"
REVERSE_COST_FACTOR = Decimal("0.6")
FIRST_MILE = MileRate(hours=24, base=Decimal("1.00"), per_kg=Decimal("0.50"))
LAST_MILE_HOME = MileRate(hours=24, base=Decimal("2.00"), per_kg=Decimal("0.50"))
LAST_MILE_AWAY = MileRate(hours=72, base=Decimal("2.00"), per_kg=Decimal("0.50"))


@dataclass(frozen=True, slots=True)
class HubRow:
    code: str
    name: str
    city: str
    country: str
    latitude: Decimal
    longitude: Decimal
    timezone: str
    is_ewtp_ehub: bool
    customs_clearance: bool
    bonded_warehouse: bool
    fulfilment: bool
    handling_hours: int
    import_clearance_hours: int
    sort_capacity_per_day: int
    serves_countries: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class LaneRow:
    origin: str
    destination: str
    mode: Mode
    schedule: WeeklySchedule
    cutoff_hours: int
    transit_hours: int
    cost_per_kg: Decimal
    min_charge: Decimal
    capacity_kg: int
    note: str


@dataclass(frozen=True, slots=True)
class CountryLegRow:
    country: str
    kind: str  # "first_mile" | "last_mile"
    rate: MileRate


def _yes(value: str) -> bool:
    return value.strip().lower() == "yes"


@cache
def hub_rows() -> tuple[HubRow, ...]:
    with (DATA_DIR / "hubs.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(
            HubRow(
                code=row["code"],
                name=row["name"],
                city=row["city"],
                country=row["country"],
                latitude=Decimal(row["lat"]),
                longitude=Decimal(row["lon"]),
                timezone=row["timezone"],
                is_ewtp_ehub=_yes(row["ewtp_ehub"]),
                customs_clearance=_yes(row["customs_clearance"]),
                bonded_warehouse=_yes(row["bonded_warehouse"]),
                fulfilment=_yes(row["fulfilment"]),
                handling_hours=int(row["handling_hours"]),
                import_clearance_hours=int(row["import_clearance_hours"]),
                sort_capacity_per_day=int(row["sort_capacity_parcels_per_day"]),
                serves_countries=tuple(row["serves_countries"].split()),
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def lane_rows() -> tuple[LaneRow, ...]:
    """The listed lanes, then the reverse lanes the reference data leaves out."""
    with (DATA_DIR / "lanes.csv").open(newline="", encoding="utf-8") as handle:
        listed = [
            LaneRow(
                origin=row["origin"],
                destination=row["destination"],
                mode=Mode(row["mode"]),
                schedule=schedule_for_departures_per_week(int(row["departures_per_week"])),
                cutoff_hours=int(row["cutoff_hours"]),
                transit_hours=int(row["transit_hours"]),
                cost_per_kg=Decimal(row["cost_per_kg_usd"]),
                min_charge=Decimal(row["min_charge_usd"]),
                capacity_kg=int(row["capacity_kg_per_departure"]),
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        ]
    keys = {(lane.origin, lane.destination, lane.mode) for lane in listed}
    reverses = [
        LaneRow(
            origin=lane.destination,
            destination=lane.origin,
            mode=lane.mode,
            schedule=lane.schedule,
            cutoff_hours=lane.cutoff_hours,
            transit_hours=lane.transit_hours,
            cost_per_kg=(lane.cost_per_kg * REVERSE_COST_FACTOR).quantize(Decimal("0.0001")),
            min_charge=(lane.min_charge * REVERSE_COST_FACTOR).quantize(Decimal("0.01")),
            capacity_kg=lane.capacity_kg,
            note="reverse direction at 0.6× cost (back-haul)",
        )
        for lane in listed
        if (lane.destination, lane.origin, lane.mode) not in keys
    ]
    return (*listed, *reverses)


@cache
def mile_hours() -> dict[tuple[str, str], int]:
    """Stated first/last-mile hours per (country, kind) that differ from the rule (a source on each
    row of `country_legs.csv`): express pickup into ASEAN e-hubs, road delivery to neighbours."""
    with (DATA_DIR / "country_legs.csv").open(newline="", encoding="utf-8") as handle:
        return {(row["country"], row["kind"]): int(row["hours"]) for row in csv.DictReader(handle)}


@cache
def country_leg_rows() -> tuple[CountryLegRow, ...]:
    hubs = hub_rows()
    home = {hub.country for hub in hubs}
    served = sorted({country for hub in hubs for country in hub.serves_countries})
    stated = mile_hours()

    def rate(country: str, kind: str, default: MileRate) -> MileRate:
        hours = stated.get((country, kind))
        return default if hours is None else MileRate(hours=hours, base=default.base, per_kg=default.per_kg)

    rows = [
        CountryLegRow(country, "first_mile", rate(country, "first_mile", FIRST_MILE)) for country in served
    ]
    rows += [
        CountryLegRow(
            country,
            "last_mile",
            rate(country, "last_mile", LAST_MILE_HOME if country in home else LAST_MILE_AWAY),
        )
        for country in served
    ]
    return tuple(rows)


def demo_network() -> Network:
    """The seeded demo network as the planner sees it (lane ids are 1-based row numbers)."""
    hubs = tuple(
        HubData(
            code=hub.code,
            country=hub.country,
            timezone=hub.timezone,
            serves=frozenset(hub.serves_countries),
            handling_hours=hub.handling_hours,
            import_clearance_hours=hub.import_clearance_hours,
            status=HubStatus.ACTIVE,
        )
        for hub in hub_rows()
    )
    lanes = tuple(
        LaneData(
            id=number,
            origin=lane.origin,
            destination=lane.destination,
            mode=lane.mode,
            schedule=lane.schedule,
            cutoff_hours=lane.cutoff_hours,
            transit_hours=lane.transit_hours,
            cost_per_kg=lane.cost_per_kg,
            min_charge=lane.min_charge,
            capacity_kg=Decimal(lane.capacity_kg),
        )
        for number, lane in enumerate(lane_rows(), start=1)
    )
    legs = country_leg_rows()
    return Network(
        hubs=hubs,
        lanes=lanes,
        first_mile={row.country: row.rate for row in legs if row.kind == "first_mile"},
        last_mile={row.country: row.rate for row in legs if row.kind == "last_mile"},
    )


@dataclass(frozen=True)
class CarrierRow:
    code: str
    name: str
    service_levels: tuple[str, ...]
    tracking_prefix: str
    source: str


@cache
def carrier_rows() -> tuple[CarrierRow, ...]:
    """The carriers operating the demo network's lanes, each with its source (`carriers.csv`)."""
    with (DATA_DIR / "carriers.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(
            CarrierRow(
                code=row["code"],
                name=row["name"],
                service_levels=tuple(level for level in row["service_levels"].split("|") if level),
                tracking_prefix=row["tracking_prefix"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


@cache
def lane_carriers() -> dict[tuple[str, str, str], str]:
    """(origin, destination, mode) → carrier code for every lane; a reverse lane is flown or driven
    by the carrier of its listed direction (`lane_carriers.csv`, with a source per row)."""
    with (DATA_DIR / "lane_carriers.csv").open(newline="", encoding="utf-8") as handle:
        listed = {
            (row["origin"], row["destination"], row["mode"]): row["carrier"] for row in csv.DictReader(handle)
        }
    reverses = {(d, o, m): code for (o, d, m), code in listed.items() if (d, o, m) not in listed}
    return {**listed, **reverses}

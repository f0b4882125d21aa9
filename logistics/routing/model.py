"""What the route planner reads and answers, as plain frozen dataclasses: the network (hubs, lanes,
first/last-mile rates), a quote request, the legs and routes of a quote; and the weight and cost
arithmetic every one of them prices with. Pure (no Django): `logistics.selectors` builds a
`Network` from the database, `logistics.routing.planner` answers `QuoteRequest`s with `Quote`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ewtp.money import quantize
from logistics.routing.schedule import WeeklySchedule

USD = "USD"
GRAM = Decimal("0.001")
VOLUMETRIC_DIVISOR = Decimal(6000)
MAX_PARCEL_KG = Decimal(1000)  # a parcel; heavier consignments are freight, booked otherwise
ZERO = Decimal(0)
DEGRADED_DELAY_HOURS = 12  # a degraded hub adds this to its handling


class HubStatus(StrEnum):
    ACTIVE = "active"  # handles parcels normally
    DEGRADED = "degraded"  # handles parcels with a delay
    SUSPENDED = "suspended"  # takes no parcels: the planner never routes through it


class Mode(StrEnum):
    AIR = "air"
    ROAD = "road"
    SEA = "sea"
    RAIL = "rail"


class Preference(StrEnum):
    FASTEST = "fastest"
    CHEAPEST = "cheapest"
    BALANCED = "balanced"


class LegKind(StrEnum):
    FIRST_MILE = "first_mile"  # seller's address → origin hub
    LINE_HAUL = "line_haul"  # hub → hub on a lane
    LAST_MILE = "last_mile"  # destination hub → buyer's address


class NoRouteReason(StrEnum):
    NO_ORIGIN_HUB = "no_origin_hub"  # no hub serves the origin country
    NO_DESTINATION_HUB = "no_destination_hub"  # no hub serves the destination country
    ORIGIN_HUBS_SUSPENDED = "origin_hubs_suspended"  # the hubs serving the origin are suspended
    DESTINATION_HUBS_SUSPENDED = "destination_hubs_suspended"  # likewise for the destination
    NO_PATH = "no_path"  # hubs exist, but every path is blocked (suspended hub, inactive lane, capacity)


# --- The network, as plain data ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HubData:
    code: str
    country: str
    timezone: str
    serves: frozenset[str]
    handling_hours: int = 4
    import_clearance_hours: int = 0
    status: HubStatus = HubStatus.ACTIVE
    promise_buffer_hours: int | None = None  # None: the network's default buffer

    def dwell_hours(self) -> int:
        return self.handling_hours + (DEGRADED_DELAY_HOURS if self.status == HubStatus.DEGRADED else 0)


@dataclass(frozen=True, slots=True)
class LaneData:
    id: int
    origin: str
    destination: str
    mode: Mode
    schedule: WeeklySchedule
    cutoff_hours: int
    transit_hours: int
    cost_per_kg: Decimal
    min_charge: Decimal
    capacity_kg: Decimal
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class MileRate:
    """A first- or last-mile courier service for one country."""

    hours: int
    base: Decimal
    per_kg: Decimal

    def cost(self, weight_kg: Decimal) -> Decimal:
        return quantize(self.base + self.per_kg * weight_kg, USD)


PRE_CLEARED = timedelta(minutes=15)  # a complete electronic pre-declaration: released on arrival

DEFAULT_FIRST_MILE = MileRate(hours=24, base=Decimal("1.00"), per_kg=Decimal("0.50"))
DEFAULT_LAST_MILE = MileRate(hours=48, base=Decimal("2.00"), per_kg=Decimal("0.50"))


@dataclass(frozen=True, eq=False)
class Network:
    hubs: tuple[HubData, ...]
    lanes: tuple[LaneData, ...]
    first_mile: Mapping[str, MileRate] = field(default_factory=dict)
    last_mile: Mapping[str, MileRate] = field(default_factory=dict)
    default_first_mile: MileRate = DEFAULT_FIRST_MILE
    default_last_mile: MileRate = DEFAULT_LAST_MILE


# --- Questions and answers ---------------------------------------------------------------------

Dimensions = tuple[Decimal, Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    origin_country: str
    destination_country: str
    weight_kg: Decimal
    ready_at: datetime
    dimensions_cm: Dimensions | None = None
    preference: Preference = Preference.BALANCED
    origin_hub: str | None = None  # a seller who drops parcels at one particular hub
    # Re-routing a parcel in transit: it is already at `origin_hub`, sorted and ready to leave at
    # `ready_at` — no first mile, and the hub need not serve the origin country.
    at_hub: bool = False
    # Declared to the destination's customs before it arrives (every paid DDP consignment is, at
    # payment): import clearance takes `PRE_CLEARED`, not the hub's clearance hours.
    pre_declared: bool = True

    def __post_init__(self) -> None:
        if self.ready_at.tzinfo is None:
            raise ValueError("ready_at must be time-zone aware")
        if self.weight_kg <= 0:
            raise ValueError("weight_kg must be positive")


@dataclass(frozen=True, slots=True)
class Leg:
    kind: LegKind
    from_hub: str | None
    to_hub: str | None
    mode: Mode
    departs_at: datetime
    arrives_at: datetime
    cost: Decimal
    chargeable_weight_kg: Decimal
    lane_id: int | None = None


@dataclass(frozen=True, slots=True)
class Route:
    legs: tuple[Leg, ...]
    cost: Decimal
    chargeable_weight_kg: Decimal
    ready_at: datetime
    estimated_delivery: datetime
    currency: str = USD

    @property
    def transit_hours(self) -> Decimal:
        seconds = Decimal(int((self.estimated_delivery - self.ready_at).total_seconds()))
        return (seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def hubs(self) -> tuple[str, ...]:
        codes = [leg.to_hub for leg in self.legs if leg.kind != LegKind.LAST_MILE]
        return tuple(code for code in codes if code is not None)

    @property
    def line_haul(self) -> tuple[Leg, ...]:
        return tuple(leg for leg in self.legs if leg.kind == LegKind.LINE_HAUL)

    @property
    def identity(self) -> tuple:
        return (self.hubs, tuple(leg.lane_id for leg in self.line_haul))


@dataclass(frozen=True, slots=True)
class Quote:
    request: QuoteRequest
    route: Route | None
    alternatives: tuple[Route, ...] = ()
    reason: NoRouteReason | None = None

    @property
    def found(self) -> bool:
        return self.route is not None


# --- Arithmetic --------------------------------------------------------------------------------


def volumetric_weight_kg(dimensions_cm: Dimensions) -> Decimal:
    length, width, height = dimensions_cm
    return (length * width * height / VOLUMETRIC_DIVISOR).quantize(GRAM, rounding=ROUND_HALF_UP)


def chargeable_weight_kg(weight_kg: Decimal, dimensions_cm: Dimensions | None, mode: Mode) -> Decimal:
    """Air freight charges the greater of actual and volumetric weight; other modes actual weight."""
    if mode == Mode.AIR and dimensions_cm is not None:
        return max(weight_kg, volumetric_weight_kg(dimensions_cm))
    return weight_kg


def lane_cost(lane: LaneData, weight_kg: Decimal, dimensions_cm: Dimensions | None) -> Decimal:
    chargeable = chargeable_weight_kg(weight_kg, dimensions_cm, lane.mode)
    return quantize(max(lane.min_charge, lane.cost_per_kg * chargeable), USD)

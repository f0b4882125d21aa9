"""What the public tracking page shows, derived from a shipment's legs and events: the summary a buyer
reads at a glance (status, arrival day, promise against the current ETA, customs), the route as
city names and on the network map, and how far along the legs the parcel is.

Nothing personal: the buyer's name, address, phone and e-mail are never read here — only the
countries at either end, the hubs' cities and the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from ewtp.countries import country_name
from logistics import map as network_map_geometry
from logistics.models import LegKind, Shipment, ShipmentLeg, TrackingEvent
from logistics.selectors.load import load_now
from logistics.selectors.network import network_map


class CustomsStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("No customs: the parcel stays in one country")
    NOT_YET = "not_yet", _("Not yet at customs")
    PRE_CLEARED = "pre_cleared", _("Pre-cleared: declared to customs before the parcel arrives")
    PRESENTED = "presented", _("With customs for import clearance")
    HELD = "held", _("Held by customs")
    RELEASED = "released", _("Cleared by customs")


# The import milestones the simulated e-hub writes (`customs/<substatus>`), mapped to the summary.
_CUSTOMS_SUBSTATUS = {
    "pre_declared": CustomsStatus.PRE_CLEARED,
    "import_presented": CustomsStatus.PRESENTED,
    "held": CustomsStatus.HELD,
    "released": CustomsStatus.RELEASED,
}


@dataclass(frozen=True, slots=True)
class RouteStop:
    """A hub on the parcel's route: reached (its inbound leg arrived) or not, and the latest reached."""

    code: str
    city: str
    country: str  # the country's name
    reached: bool
    current: bool


@dataclass(frozen=True)
class TrackingSummary:
    shipment: Shipment
    legs: list[ShipmentLeg]
    events: list[TrackingEvent]  # newest first, as carriers show them
    latest: TrackingEvent | None
    stops: list[RouteStop]
    legs_done: int
    eta: datetime | None  # in the destination hub's time zone (the day the buyer will see it)
    promised: datetime | None  # idem: the date the buyer was promised at checkout
    arrives: datetime | None  # the date the page leads with: the promise, or the ETA once late
    delivered: datetime | None  # idem
    days_left: int | None  # whole days from today (destination time) to `arrives`; None once delivered
    is_late: bool
    customs: CustomsStatus
    map: network_map_geometry.NetworkMap | None

    @property
    def legs_total(self) -> int:
        return len(self.legs)

    @property
    def cities(self) -> list[str]:
        return [stop.city for stop in self.stops]

    @property
    def customs_label(self) -> str:
        return str(self.customs.label)

    @property
    def is_delivered(self) -> bool:
        return self.shipment.status == "delivered"


def customs_status(shipment: Shipment, events: list[TrackingEvent]) -> CustomsStatus:
    """The latest import-customs milestone among the events (oldest first), or why there is none."""
    if shipment.origin_country == shipment.destination_country:
        return CustomsStatus.NOT_REQUIRED
    found = CustomsStatus.NOT_YET
    for event in events:
        if event.status == "customs" and event.substatus in _CUSTOMS_SUBSTATUS:
            found = _CUSTOMS_SUBSTATUS[event.substatus]
    return found


def route_stops(legs: list[ShipmentLeg]) -> list[RouteStop]:
    """The hubs the legs arrive at, in order (first mile → origin e-hub, … → destination e-hub)."""
    arrivals = [leg for leg in legs if leg.to_hub is not None and leg.kind != LegKind.LAST_MILE]
    reached = [leg.actual_arrival is not None for leg in arrivals]
    current = max((index for index, done in enumerate(reached) if done), default=-1)
    return [
        RouteStop(
            code=leg.to_hub.code,
            city=leg.to_hub.city,
            country=country_name(leg.to_hub.country.code),
            reached=reached[index],
            current=index == current,
        )
        for index, leg in enumerate(arrivals)
    ]


def _destination_zone(legs: list[ShipmentLeg]) -> ZoneInfo:
    for leg in reversed(legs):
        hub = leg.to_hub or leg.from_hub
        if hub is not None:
            return ZoneInfo(hub.timezone)
    return ZoneInfo("UTC")


def days_until(moment: datetime, *, now: datetime, zone: ZoneInfo) -> int:
    """Calendar days from today to `moment`, both in `zone`; 0 when it is today or already past."""
    today: date = now.astimezone(zone).date()
    return max((moment.astimezone(zone).date() - today).days, 0)


def tracking_summary(shipment: Shipment, *, now: datetime | None = None) -> TrackingSummary:
    """The page's data for a shipment from `shipment_get_public` (legs and events prefetched), plus
    the network map with its route highlighted (two more queries)."""
    now = now or load_now()  # the simulation's time: a fast demo clock and its events agree
    legs = list(shipment.legs.all())
    events = list(shipment.events.all())  # oldest first
    zone = _destination_zone(legs)
    stops = route_stops(legs)
    delivered = shipment.status == "delivered"
    eta = shipment.eta.astimezone(zone) if shipment.eta else None
    promised = shipment.promised_delivery.astimezone(zone) if shipment.promised_delivery else None
    is_late = shipment.is_late and not delivered
    # One date for the buyer: the promise, unless the parcel is expected later than that.
    arrives = eta if is_late or promised is None else promised
    modes = [leg.mode for leg in legs if leg.kind == LegKind.LINE_HAUL]
    return TrackingSummary(
        shipment=shipment,
        legs=legs,
        events=list(reversed(events)),
        latest=events[-1] if events else None,
        stops=stops,
        legs_done=sum(1 for leg in legs if leg.actual_arrival is not None),
        eta=eta,
        promised=promised,
        arrives=arrives,
        delivered=shipment.delivered_at.astimezone(zone) if shipment.delivered_at else None,
        days_left=None if delivered or arrives is None else days_until(arrives, now=now, zone=zone),
        is_late=is_late,
        customs=customs_status(shipment, events),
        map=network_map_geometry.highlight_route(network_map(), [stop.code for stop in stops], modes),
    )

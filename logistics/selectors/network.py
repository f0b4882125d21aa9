"""Reads of the network: querysets for pages and the API, and the network as plain data for the
planner, cached per process and network version (`ewtp.versions.NETWORK`, moved by the services)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ewtp import versions
from ewtp.countries import country_name
from ewtp.exceptions import DomainError
from logistics import map as network_map_geometry
from logistics.clock import simulation_now
from logistics.models import CountryLeg, CountryLegKind, Hub, Lane
from logistics.routing.model import (
    MAX_PARCEL_KG,
    HubData,
    LaneData,
    MileRate,
    Network,
    NoRouteReason,
    Preference,
    Quote,
    QuoteRequest,
    Route,
)
from logistics.routing.model import HubStatus as PlannerHubStatus
from logistics.routing.model import Mode as PlannerMode
from logistics.routing.planner import Planner
from logistics.routing.promise import promised_delivery
from logistics.routing.schedule import WeeklySchedule


class NoRoute(DomainError):
    code = "no_route"

    def __init__(self, message: str, *, reason: NoRouteReason):
        super().__init__(message)
        self.reason = reason


def hubs_public() -> QuerySet[Hub]:
    return Hub.objects.order_by("code")


def carriers_of_lanes(lane_ids: list[int]) -> dict[int, dict[str, str]]:
    """{lane id: {"code", "name"}} of the carriers operating these lanes, in one query."""
    rows = Lane.objects.filter(pk__in=lane_ids, carrier__isnull=False).values_list(
        "pk", "carrier__code", "carrier__name"
    )
    return {pk: {"code": code, "name": name} for pk, code, name in rows}


def lanes_public() -> QuerySet[Lane]:
    return Lane.objects.select_related("origin", "destination").order_by(
        "origin__code", "destination__code", "mode"
    )


# --- The network as plain data -------------------------------------------------------------------


def network_version_key() -> str | None:
    """What a cached planner must match to be current (one cache read); None: the cache is down."""
    return versions.current(versions.NETWORK)


def network_snapshot() -> Network:
    """The whole network in three queries, as the planner's dataclasses."""
    hubs = tuple(
        HubData(
            code=hub.code,
            country=hub.country.code,
            timezone=hub.timezone,
            serves=frozenset(country.code for country in hub.serves_countries),
            handling_hours=hub.handling_hours,
            import_clearance_hours=hub.import_clearance_hours,
            status=PlannerHubStatus(hub.status),
            promise_buffer_hours=hub.promise_buffer_hours,
        )
        for hub in Hub.objects.all()
    )
    lanes = tuple(
        LaneData(
            id=lane.pk,
            origin=lane.origin.code,
            destination=lane.destination.code,
            mode=PlannerMode(lane.mode),
            schedule=WeeklySchedule(
                tuple(sorted(set(lane.departure_weekdays))), lane.departure_time_values()
            ),
            cutoff_hours=lane.cutoff_hours,
            transit_hours=lane.transit_hours,
            cost_per_kg=lane.cost_per_kg_amount,
            min_charge=lane.min_charge_amount,
            capacity_kg=Decimal(lane.capacity_kg_per_departure),
            is_active=lane.is_active and (lane.carrier is None or lane.carrier.is_active),
        )
        for lane in Lane.objects.select_related("origin", "destination", "carrier")
    )
    first_mile: dict[str, MileRate] = {}
    last_mile: dict[str, MileRate] = {}
    for leg in CountryLeg.objects.all():
        rate = MileRate(hours=leg.hours, base=leg.base_amount, per_kg=leg.per_kg_amount)
        (first_mile if leg.kind == CountryLegKind.FIRST_MILE else last_mile)[leg.country.code] = rate
    return Network(hubs=hubs, lanes=lanes, first_mile=first_mile, last_mile=last_mile)


_lock = threading.Lock()
_cached: tuple[str, Planner] | None = None


def planner() -> Planner:
    """The planner for the current network: rebuilt only when the network version has changed
    (and on every call while the cache is down, when the version cannot be known)."""
    global _cached
    key = network_version_key()
    if key is None:
        return Planner(network_snapshot())
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != key:
            # Read after the key: the data is at least as new as the key it is stored under.
            _cached = (key, Planner(network_snapshot()))
        return _cached[1]


def largest_parcel_kg() -> Decimal | None:
    """The heaviest parcel the network takes: what its largest open lane carries a departure, at
    most a parcel's `MAX_PARCEL_KG` (heavier is freight); None: no lane is open."""
    capacities = [lane.capacity_kg for lane in planner().network.lanes if lane.is_active]
    return min(max(capacities), MAX_PARCEL_KG) if capacities else None


def hub_cities() -> tuple[tuple[str, str], ...]:
    """(city, country code) of each hub not suspended, for the home page's story: computed once
    per planner (network version), from its snapshot's codes and one query for the cities."""
    current = planner()
    cities = getattr(current, "_hub_cities", None)
    if cities is None:
        open_codes = [code for code, hub in current.hubs.items() if hub.status != PlannerHubStatus.SUSPENDED]
        rows = Hub.objects.filter(code__in=open_codes).order_by("city").values_list("city", "country")
        cities = tuple((city, str(country)) for city, country in rows)
        current._hub_cities = cities
    return cities


def served_countries() -> frozenset[str]:
    """Countries a hub that is not suspended delivers to (last mile), for the "Deliver to" picker."""
    current = planner()
    served = getattr(current, "_served_countries", None)
    if served is None:
        served = frozenset(node[1] for node in current.graph if isinstance(node, tuple) and node[0] == "to")
        current._served_countries = served  # computed once per planner (network version)
    return served


def shipping_quote(
    *,
    origin_country: str,
    destination_country: str,
    weight_kg: Decimal,
    dimensions_cm: tuple[Decimal, Decimal, Decimal] | None = None,
    preference: Preference = Preference.BALANCED,
    ready_at: datetime | None = None,
) -> Quote:
    """The best route and up to three alternatives. Raises `NoRoute` (HTTP 400) saying why not."""
    request = QuoteRequest(
        origin_country=origin_country,
        destination_country=destination_country,
        weight_kg=weight_kg,
        dimensions_cm=dimensions_cm,
        preference=preference,
        # The simulation's clock: quotes, routing and the tick agree on dates (one promise).
        ready_at=ready_at or simulation_now(read_only=True),
    )
    quote = planner().quote(request)
    if quote.reason is not None:
        raise NoRoute(
            no_route_message(quote.reason, origin_country, destination_country), reason=quote.reason
        )
    return quote


def delivery_promise(route: Route, *, using: Planner | None = None) -> datetime:
    """The date promised for `route` (`logistics.routing.promise`), in its last hub's time zone, with
    the buffer that hub states (`Hub.promise_buffer_hours`) or the network's default."""
    hubs = (using or planner()).hubs  # a batch passes the planner it routed with: no cache read
    last_hub = hubs[next(leg.from_hub for leg in reversed(route.legs) if leg.from_hub is not None)]
    hours = last_hub.promise_buffer_hours
    return promised_delivery(
        route.estimated_delivery,
        zone=last_hub.timezone,
        buffer=timedelta(hours=settings.EWTP_PROMISE_BUFFER_HOURS if hours is None else hours),
    )


# Why no route, as msgids: the API and pages translate them; tracking events store them in English.
NO_ROUTE_MESSAGES = {
    NoRouteReason.NO_ORIGIN_HUB: gettext_noop(
        "No e-hub serves %(origin)s yet, so parcels cannot be sent from there."
    ),
    NoRouteReason.NO_DESTINATION_HUB: gettext_noop(
        "No e-hub serves %(destination)s yet: parcels cannot be delivered there until an operator "
        "adds a hub or extends a hub's service area."
    ),
    NoRouteReason.ORIGIN_HUBS_SUSPENDED: gettext_noop(
        "Every hub serving %(origin)s is suspended; parcels cannot leave from there right now."
    ),
    NoRouteReason.DESTINATION_HUBS_SUSPENDED: gettext_noop(
        "Every hub serving %(destination)s is suspended; parcels cannot be delivered there right now."
    ),
    NoRouteReason.NO_PATH: gettext_noop(
        "No route from %(origin)s to %(destination)s right now: every path is blocked by a suspended "
        "hub, an inactive lane or lanes too small for this parcel."
    ),
}


def no_route_message(reason: NoRouteReason, origin_country: str, destination_country: str) -> str:
    origin, destination = country_name(origin_country), country_name(destination_country)
    return _(NO_ROUTE_MESSAGES[reason]) % {"origin": origin, "destination": destination}


# --- The map -------------------------------------------------------------------------------------


def network_map(*, loads: dict[str, tuple[str, str]] | None = None) -> network_map_geometry.NetworkMap | None:
    """The network map's geometry, in two queries (hubs; lanes with their hubs' codes). `loads`
    (hub code → load status and its label) colours the hubs by load, for the operators' dashboard."""
    loads = loads or {}
    hubs = [
        network_map_geometry.MapHub(
            code=hub.code,
            name=hub.name,
            latitude=float(hub.latitude),  # drawing coordinates, not money
            longitude=float(hub.longitude),
            status=hub.status,
            status_label=str(hub.get_status_display()),
            status_reason=hub.status_reason,
            load=loads.get(hub.code, ("", ""))[0],
            load_label=loads.get(hub.code, ("", ""))[1],
        )
        for hub in hubs_public()
    ]
    lanes = [
        network_map_geometry.MapLane(
            origin=lane.origin.code,
            destination=lane.destination.code,
            mode=lane.mode,
            mode_label=str(lane.get_mode_display()),
            is_active=lane.is_active,
            departures_per_week=lane.departures_per_week,
            transit_hours=lane.transit_hours,
        )
        for lane in lanes_public()
    ]
    return network_map_geometry.network_map(hubs, lanes)

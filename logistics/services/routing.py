"""Routing jobs: plan a shipment, book capacity on its departures, write its legs once.

Routing a shipment (`shipment_route`) is idempotent and safe to run twice at once:

1. a short transaction locks the shipment, returns if it is no longer waiting for a route, and
   marks it `routing` (so a crash after this point is visible, and the sweeper retries it);
2. the planner runs outside any lock (it is pure and reads a cached network);
3. a second transaction locks the shipment again, returns if another job finished first, books
   capacity on every line-haul departure of the best route that still has room, writes the legs
   and the promise, and marks it `routed` — or `exception` with the reason when nothing fits.

The legs' unique (shipment, sequence) constraint is the last line: even a job that skipped the
status check could not write a second set of legs.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from logistics.clock import simulation_now
from logistics.models import (
    AWAITING_ROUTE,
    DepartureBooking,
    ExceptionReason,
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.routing.planner import (
    LaneData,
    Leg,
    LegKind,
    NoRouteReason,
    Planner,
    Quote,
    Route,
)
from logistics.selectors import network as network_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services.tracking import (
    shipment_transition,
    shipment_transition_event,
    tracking_events_insert,
)

MAX_REPLANS = 12  # capacity re-plans per job before the shipment is marked `exception`


# --- Routing jobs -------------------------------------------------------------------------------


class _KeepPlan(Exception):
    pass


class _DepartureFull(Exception):
    def __init__(self, leg: Leg):
        super().__init__(leg)
        self.leg = leg


def shipment_route(*, shipment_id: int, now: datetime | None = None) -> str:
    """Plan, book and write a shipment's route once; returns what happened (for logs and tests):
    `routed`, `exception`, `missing`, or `skipped:<status>` when it needed no route. Plans from
    simulated time (`simulation_now`: real time unless `EWTP_SIM_SPEED` runs a faster clock), the
    time the hand-over and the simulation's ticks use too."""
    now = now or simulation_now()
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().filter(pk=shipment_id).first()
        if shipment is None:
            return "missing"
        if shipment.status not in AWAITING_ROUTE:
            return f"skipped:{shipment.status}"
        if shipment.status == ShipmentStatus.CREATED:
            shipment_transition(
                shipment,
                ShipmentStatus.ROUTING,
                tracking_status=TrackingStatus.INFO_RECEIVED,
                substatus="routing",
                description=_("Planning the route through the e-hub network."),
                key="routing",
                occurred_at=now,
            )
        shipment.routing_attempts += 1
        shipment.save(update_fields=["status", "routing_attempts", "updated_at"])

    planner = network_selectors.planner()
    request = shipment_selectors.shipment_quote_request(shipment, ready_at=now)
    quote = planner.quote(request)

    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.status != ShipmentStatus.ROUTING:
            return f"skipped:{shipment.status}"
        if not quote.found:
            _mark_no_route(shipment, reason=ExceptionReason(quote.reason), now=now)
            return "exception"
        booked = _book_first_route_with_room(planner, quote)
        if booked is None:
            _mark_no_route(shipment, reason=ExceptionReason.NO_CAPACITY, now=now)
            return "exception"
        route, bookings = booked
        _write_route(shipment, route, bookings, now=now)
        return "routed"


def _book_first_route_with_room(planner: Planner, quote: Quote) -> tuple[Route, dict[int, int]] | None:
    """Book the best route whose departures all have room, else an alternative; when every one is
    full somewhere, re-plan as if the parcel were ready just too late for the earliest full departure
    (so it takes the next one). Returns the route and {leg index: booking id}."""
    lanes = {lane.id: lane for lane in planner.network.lanes}
    request = quote.request
    for _attempt in range(MAX_REPLANS):
        shift: timedelta | None = None
        for route in (quote.route, *quote.alternatives):
            try:
                return route, _book_departures(route, lanes)
            except _DepartureFull as full:
                missed = _delay_to_miss(planner, route, full.leg, lanes[full.leg.lane_id])
                shift = missed if shift is None else min(shift, missed)
        assert shift is not None
        request = dataclasses.replace(request, ready_at=request.ready_at + shift)
        quote = planner.quote(request)
        if not quote.found:
            return None
    return None


def _delay_to_miss(planner: Planner, route: Route, full: Leg, lane: LaneData) -> timedelta:
    """How much later the parcel must be ready to miss the full departure (and so take a later one)."""
    index = route.legs.index(full)
    if index == 0:  # a route re-planned from a hub (`at_hub`): the parcel is ready there already
        ready_at_hub = route.ready_at
    else:
        previous = route.legs[index - 1]
        ready_at_hub = previous.arrives_at + timedelta(hours=planner.hubs[full.from_hub].dwell_hours())
    slack = full.departs_at - timedelta(hours=lane.cutoff_hours) - ready_at_hub
    return max(slack, timedelta(0)) + timedelta(minutes=1)


def _book_departures(route: Route, lanes: dict[int, LaneData]) -> dict[int, int]:
    """Book every line-haul departure of the route, all or none (a savepoint)."""
    bookings: dict[int, int] = {}
    with transaction.atomic():
        for index, leg in enumerate(route.legs):
            if leg.kind != LegKind.LINE_HAUL:
                continue
            booking_id = _book_departure(
                lane_id=leg.lane_id,
                departs_at=leg.departs_at,
                kg=leg.chargeable_weight_kg,
                capacity_kg=lanes[leg.lane_id].capacity_kg,
            )
            if booking_id is None:
                raise _DepartureFull(leg)  # rolls back this route's earlier bookings
            bookings[index] = booking_id
    return bookings


def _book_departure(*, lane_id: int, departs_at: datetime, kg: Decimal, capacity_kg: Decimal) -> int | None:
    """Add `kg` to the departure's booking if it stays within capacity; the booking's id, or None
    when the departure is full. One conditional UPDATE: concurrent jobs can never overbook."""
    DepartureBooking.objects.bulk_create(
        [DepartureBooking(lane_id=lane_id, departs_at=departs_at)], ignore_conflicts=True
    )
    room = DepartureBooking.objects.filter(
        lane_id=lane_id, departs_at=departs_at, booked_kg__lte=capacity_kg - kg
    )
    if not room.update(booked_kg=F("booked_kg") + kg, parcels=F("parcels") + 1):
        return None
    return DepartureBooking.objects.values_list("pk", flat=True).get(lane_id=lane_id, departs_at=departs_at)


def _write_legs(
    shipment: Shipment, route: Route, bookings: dict[int, int], *, after_sequence: int = 0
) -> None:
    """Write the route's legs numbered from `after_sequence + 1` (re-routing keeps the legs travelled)."""
    codes = {code for leg in route.legs for code in (leg.from_hub, leg.to_hub) if code}
    hubs = {hub.code: hub for hub in Hub.objects.filter(code__in=codes)}
    ShipmentLeg.objects.bulk_create(_leg_rows(shipment, route, bookings, hubs, after_sequence=after_sequence))


def _leg_rows(
    shipment: Shipment,
    route: Route,
    bookings: dict[int, int],
    hubs: dict[str, Hub],
    *,
    after_sequence: int = 0,
) -> list[ShipmentLeg]:
    """The route's legs as unsaved rows (sequence from `after_sequence + 1`), each line-haul leg with
    its booking."""
    return [
        ShipmentLeg(  # ids, not instances: a batch builds thousands (the descriptors' checks cost)
            shipment_id=shipment.pk,
            sequence=after_sequence + index + 1,
            kind=leg.kind.value,
            from_hub_id=hubs[leg.from_hub].pk if leg.from_hub else None,
            to_hub_id=hubs[leg.to_hub].pk if leg.to_hub else None,
            mode=leg.mode.value,
            lane_id=leg.lane_id,
            booking_id=bookings.get(index),
            planned_departure=leg.departs_at,
            planned_arrival=leg.arrives_at,
            chargeable_weight_kg=leg.chargeable_weight_kg,
            cost_amount=leg.cost,
            cost_currency=route.currency,
        )
        for index, leg in enumerate(route.legs)
    ]


def _write_route(shipment: Shipment, route: Route, bookings: dict[int, int], *, now: datetime) -> None:
    _write_legs(shipment, route, bookings)
    shipment_transition(
        shipment,
        ShipmentStatus.ROUTED,
        tracking_status=TrackingStatus.INFO_RECEIVED,
        substatus="route_planned",
        description=_route_planned(route),
        key=f"routed:{shipment.routing_attempts}",
        occurred_at=now,
    )
    shipment.save(update_fields=_apply_route(shipment, route, now=now))


def _route_planned(route: Route) -> str:
    return _("Route planned: %(route)s. Expected delivery %(date)s.") % {
        "route": " → ".join(route.hubs),
        "date": route.estimated_delivery.date().isoformat(),
    }


ROUTED_FIELDS = [
    "status",
    "routed_at",
    "eta",
    "promised_delivery",
    "chargeable_weight_kg",
    "exception_reason",
    "exception_detail",
    "updated_at",
]


def _apply_route(shipment: Shipment, route: Route, *, now: datetime) -> list[str]:
    """The route's promise on the shipment row (the first plan's promise stays); the fields to save."""
    shipment.routed_at = now
    shipment.eta = route.estimated_delivery
    if shipment.promised_delivery is None:
        shipment.promised_delivery = route.estimated_delivery
    shipment.chargeable_weight_kg = route.chargeable_weight_kg
    shipment.exception_reason = ""
    shipment.exception_detail = ""
    return ROUTED_FIELDS


def _no_route_event(shipment: Shipment, *, reason: ExceptionReason, now: datetime) -> TrackingEvent:
    """The shipment becomes `exception` with the reason (the caller saves it); the event to insert."""
    detail = _no_route_detail(shipment, reason)
    event = shipment_transition_event(
        shipment,
        ShipmentStatus.EXCEPTION,
        tracking_status=TrackingStatus.EXCEPTION,
        substatus="no_route",
        reason=reason.value,
        description=detail,
        key=f"exception:{shipment.routing_attempts}",
        occurred_at=now,
    )
    shipment.exception_reason = reason
    shipment.exception_detail = detail[:400]
    return event


def _mark_no_route(shipment: Shipment, *, reason: ExceptionReason, now: datetime) -> None:
    tracking_events_insert([_no_route_event(shipment, reason=reason, now=now)])
    shipment.save(update_fields=["status", "exception_reason", "exception_detail", "updated_at"])


def _no_route_detail(shipment: Shipment, reason: ExceptionReason) -> str:
    if reason == ExceptionReason.NO_CAPACITY:
        return _("Every departure that could carry this parcel is full; operators will add capacity.")
    origin, destination = shipment.origin_country.code, shipment.destination_country.code
    return network_selectors.no_route_message(NoRouteReason(reason.value), origin, destination)


def release_bookings(shipment: Shipment, *, after_sequence: int = 0) -> None:
    """Give back the capacity booked by the shipment's legs (those after `after_sequence` only)."""
    legs = list(shipment.legs.exclude(booking=None).filter(sequence__gt=after_sequence))
    for leg in legs:
        DepartureBooking.objects.filter(pk=leg.booking_id).update(
            booked_kg=F("booked_kg") - leg.chargeable_weight_kg, parcels=F("parcels") - 1
        )
    ShipmentLeg.objects.filter(pk__in=[leg.pk for leg in legs]).update(booking=None)


def replan_if_late_for_departure(shipment: Shipment, *, now: datetime) -> bool:
    """The route was planned when the order was paid, as if the parcel left the seller then. Handed
    over later, it may be too late for its booked line-haul departure: then plan again from now,
    from the same drop-off hub, and move its bookings to the departures it can make. The promise
    stays; the ETA follows. Keeps the old plan (the simulation then runs late) when nothing fits."""
    legs = list(shipment.legs.select_related("to_hub", "lane").order_by("sequence"))
    if len(legs) < 3 or legs[1].kind != LegKind.LINE_HAUL or legs[1].lane is None:
        return False
    first_mile, line_haul = legs[0], legs[1]
    ready_at_hub = (
        now
        + (first_mile.planned_arrival - first_mile.planned_departure)
        + timedelta(hours=first_mile.to_hub.handling_hours)
    )
    if ready_at_hub <= line_haul.planned_departure - timedelta(hours=line_haul.lane.cutoff_hours):
        return False
    planner = network_selectors.planner()
    quote = planner.quote(
        shipment_selectors.shipment_quote_request(shipment, ready_at=now, origin_hub=first_mile.to_hub.code)
    )
    if not quote.found:
        return False
    try:
        with transaction.atomic():  # a savepoint: if nothing has room, the old bookings stay
            release_bookings(shipment)
            booked = _book_first_route_with_room(planner, quote)
            if booked is None:
                raise _KeepPlan
    except _KeepPlan:
        return False
    route, bookings = booked
    shipment.legs.all().delete()
    _write_legs(shipment, route, bookings)
    shipment.eta = route.estimated_delivery
    shipment.chargeable_weight_kg = route.chargeable_weight_kg
    shipment.save(update_fields=["eta", "chargeable_weight_kg", "updated_at"])
    return True

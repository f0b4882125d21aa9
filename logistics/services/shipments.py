"""Every write to shipments: creating them when consignments are paid, routing jobs, the sweeper.

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
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import InvalidTransition
from logistics.models import (
    AWAITING_ROUTE,
    SHIPMENT_TRANSITIONS,
    DepartureBooking,
    EventSource,
    ExceptionReason,
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingStatus,
)
from logistics.routing.planner import (
    LaneData,
    Leg,
    LegKind,
    Mode,
    Planner,
    Preference,
    Quote,
    QuoteRequest,
    Route,
    chargeable_weight_kg,
)
from logistics.selectors import network as network_selectors
from logistics.services.tracking import tracking_event_record
from logistics.tracking_numbers import new_tracking_number
from marketplace.models import Consignment, Order, OrderLine, User
from marketplace.services.orders import consignment_hand_over

logger = logging.getLogger(__name__)

MAX_REPLANS = 12  # capacity re-plans per job before the shipment is marked `exception`
TRACKING_NUMBER_ATTEMPTS = 5


# --- Transitions ---------------------------------------------------------------------------------


def _transition(
    shipment: Shipment,
    to: ShipmentStatus,
    *,
    tracking_status: TrackingStatus,
    substatus: str,
    description: str,
    key: str,
    occurred_at: datetime,
    reason: str = "",
    source: EventSource = EventSource.PLATFORM,
    actor: User | None = None,
) -> None:
    """Check the transition table and append the tracking event; the caller saves the row."""
    current = ShipmentStatus(shipment.status)
    if to not in SHIPMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Shipment %(number)s is %(status)s; it cannot become %(to)s.")
            % {"number": shipment.tracking_number, "status": current.label, "to": to.label}
        )
    tracking_event_record(
        shipment=shipment,
        status=tracking_status,
        substatus=substatus,
        description=description,
        reason=reason,
        occurred_at=occurred_at,
        dedupe_key=f"{shipment.pk}:{key}",
        source=source,
        from_status=current,
        to_status=to,
        actor=actor,
    )
    shipment.status = to


# --- Creating shipments when consignments are paid -------------------------------------------------


def _parcel_dimensions(lines: list[OrderLine]) -> tuple[Decimal, Decimal, Decimal] | None:
    """A consignment of one unit of one listing ships in that listing's box; otherwise the packer
    chooses the box and only the weight is known."""
    if len(lines) == 1 and lines[0].quantity == 1 and lines[0].listing is not None:
        return lines[0].listing.dimensions_cm
    return None


@transaction.atomic
def shipment_create_for_consignments(*, order: Order, consignments: Iterable[Consignment]) -> list[Shipment]:
    """One shipment per consignment that has none yet, in the caller's transaction (the payment's),
    and a routing job for each, published after commit. A broker outage at publish time is logged,
    never raised: the payment stands, and `shipments_sweep_unrouted` publishes the job later."""
    consignments = list(consignments)
    existing = set(
        Shipment.objects.filter(consignment__in=consignments).values_list("consignment_id", flat=True)
    )
    todo = [c for c in consignments if c.pk not in existing]
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(consignment__in=todo).select_related("listing").order_by("pk"):
        lines[line.consignment_id].append(line)
    now = timezone.now()
    created = []
    for consignment in todo:
        dimensions = _parcel_dimensions(lines[consignment.pk])
        shipment = Shipment(
            consignment=consignment,
            status=ShipmentStatus.CREATED,
            preference=order.preference,
            origin_country=consignment.origin_country,
            destination_country=order.ship_to_country,
            weight_kg=consignment.weight_kg,
            length_cm=dimensions[0] if dimensions else None,
            width_cm=dimensions[1] if dimensions else None,
            height_cm=dimensions[2] if dimensions else None,
            # The most a lane may charge for (air: volumetric); the route fixes the real figure.
            chargeable_weight_kg=chargeable_weight_kg(consignment.weight_kg, dimensions, Mode.AIR),
            hs_codes=sorted({line.hs_code for line in lines[consignment.pk]}),
            declared_value_amount=consignment.customs_value_amount,
            declared_value_currency=consignment.customs_value_currency,
            incoterm=order.incoterm,
            duties_paid=consignment.duties_paid,
            routing_requested_at=now,
        )
        _save_with_new_tracking_number(shipment)
        tracking_event_record(
            shipment=shipment,
            status=TrackingStatus.INFO_RECEIVED,
            substatus="order_paid",
            description=_("Order paid; the seller is preparing the parcel."),
            occurred_at=now,
            dedupe_key=f"{shipment.pk}:created",
            to_status=ShipmentStatus.CREATED,
        )
        transaction.on_commit(lambda pk=shipment.pk: enqueue_routing(pk))
        created.append(shipment)
    return created


def _save_with_new_tracking_number(shipment: Shipment) -> None:
    for attempt in range(TRACKING_NUMBER_ATTEMPTS):
        shipment.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():  # a savepoint: a clash (1 in 10^15) only retries this row
                shipment.save(force_insert=True)
            return
        except IntegrityError:
            if (
                attempt == TRACKING_NUMBER_ATTEMPTS - 1
                or Shipment.objects.filter(consignment_id=shipment.consignment_id).exists()
            ):
                raise


def enqueue_routing(shipment_id: int) -> bool:
    """Publish a routing job now; False (logged) when the broker refused it."""
    from logistics import tasks

    try:
        tasks.route_shipment.delay(shipment_id)
    except Exception:  # whatever the broker raised, the caller's work is committed and must stand
        logger.warning(
            "routing job for shipment %s not published; the sweeper retries", shipment_id, exc_info=True
        )
        return False
    return True


# --- Routing jobs -------------------------------------------------------------------------------


class _KeepPlan(Exception):
    pass


class _DepartureFull(Exception):
    def __init__(self, leg: Leg):
        super().__init__(leg)
        self.leg = leg


def shipment_route(*, shipment_id: int, now: datetime | None = None) -> str:
    """Plan, book and write a shipment's route once; returns what happened (for logs and tests):
    `routed`, `exception`, `missing`, or `skipped:<status>` when it needed no route."""
    now = now or timezone.now()
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().filter(pk=shipment_id).first()
        if shipment is None:
            return "missing"
        if shipment.status not in AWAITING_ROUTE:
            return f"skipped:{shipment.status}"
        if shipment.status == ShipmentStatus.CREATED:
            _transition(
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
    request = QuoteRequest(
        origin_country=shipment.origin_country.code,
        destination_country=shipment.destination_country.code,
        weight_kg=shipment.weight_kg,
        dimensions_cm=shipment.dimensions_cm,
        preference=Preference(shipment.preference),
        ready_at=now,
    )
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


def _write_legs(shipment: Shipment, route: Route, bookings: dict[int, int]) -> None:
    hubs = {hub.code: hub for hub in Hub.objects.filter(code__in=route.hubs)}
    ShipmentLeg.objects.bulk_create(
        ShipmentLeg(
            shipment=shipment,
            sequence=index + 1,
            kind=leg.kind.value,
            from_hub=hubs.get(leg.from_hub) if leg.from_hub else None,
            to_hub=hubs.get(leg.to_hub) if leg.to_hub else None,
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
    )


def _write_route(shipment: Shipment, route: Route, bookings: dict[int, int], *, now: datetime) -> None:
    _write_legs(shipment, route, bookings)
    _transition(
        shipment,
        ShipmentStatus.ROUTED,
        tracking_status=TrackingStatus.INFO_RECEIVED,
        substatus="route_planned",
        description=_("Route planned: %(route)s. Expected delivery %(date)s.")
        % {"route": " → ".join(route.hubs), "date": route.estimated_delivery.date().isoformat()},
        key=f"routed:{shipment.routing_attempts}",
        occurred_at=now,
    )
    shipment.routed_at = now
    shipment.eta = route.estimated_delivery
    if shipment.promised_delivery is None:
        shipment.promised_delivery = route.estimated_delivery
    shipment.chargeable_weight_kg = route.chargeable_weight_kg
    shipment.exception_reason = ""
    shipment.exception_detail = ""
    shipment.save(
        update_fields=[
            "status",
            "routed_at",
            "eta",
            "promised_delivery",
            "chargeable_weight_kg",
            "exception_reason",
            "exception_detail",
            "updated_at",
        ]
    )


def _mark_no_route(shipment: Shipment, *, reason: ExceptionReason, now: datetime) -> None:
    origin, destination = shipment.origin_country.code, shipment.destination_country.code
    if reason == ExceptionReason.NO_CAPACITY:
        detail = _("Every departure that could carry this parcel is full; operators will add capacity.")
    else:
        from logistics.routing.planner import NoRouteReason

        detail = network_selectors.no_route_message(NoRouteReason(reason.value), origin, destination)
    _transition(
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
    shipment.save(update_fields=["status", "exception_reason", "exception_detail", "updated_at"])


@transaction.atomic
def shipment_retry_routing(*, shipment: Shipment, actor: User | None = None) -> Shipment:
    """An operator asks for a route again (after the network changed): a shipment in `exception`
    without legs goes back to `routing`, and any shipment still waiting gets its job re-published
    after commit. Refused (409) once legs are written."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status not in (*AWAITING_ROUTE, ShipmentStatus.EXCEPTION) or shipment.legs.exists():
        raise InvalidTransition(
            _("Shipment %(number)s already has a route.") % {"number": shipment.tracking_number}
        )
    now = timezone.now()
    if shipment.status == ShipmentStatus.EXCEPTION:
        _transition(
            shipment,
            ShipmentStatus.ROUTING,
            tracking_status=TrackingStatus.INFO_RECEIVED,
            substatus="routing",
            description=_("Planning the route through the e-hub network again."),
            key=f"routing:{shipment.routing_attempts}",
            occurred_at=now,
            source=EventSource.OPERATOR,
            actor=actor,
        )
    shipment.routing_requested_at = now
    shipment.save(update_fields=["status", "routing_requested_at", "updated_at"])
    transaction.on_commit(lambda: enqueue_routing(shipment.pk))
    return shipment


# --- Re-routing ---------------------------------------------------------------------------------


@transaction.atomic
def shipments_reroute_around_hub(*, hub_id: int) -> int:
    """A hub was suspended: every shipment routed through it and not yet handed over gives back its
    bookings, drops its planned legs and goes back to routing (a `rerouted` event the buyer sees),
    with a routing job published after commit. Its promise stays; the new ETA shows if it is late.
    Returns how many shipments were sent back to routing.

    Parcels already in transit keep their route for now (re-planning from where a parcel is
    is not built yet)."""
    hub = Hub.objects.get(pk=hub_id)
    now = timezone.now()
    ids = (
        ShipmentLeg.objects.filter(Q(from_hub_id=hub_id) | Q(to_hub_id=hub_id))
        .filter(shipment__status=ShipmentStatus.ROUTED)
        .values("shipment_id")
    )
    shipments = Shipment.objects.select_for_update().filter(pk__in=ids, status=ShipmentStatus.ROUTED)
    count = 0
    for shipment in shipments.order_by("pk"):
        _transition(
            shipment,
            ShipmentStatus.ROUTING,
            tracking_status=TrackingStatus.REROUTED,
            substatus="hub_outage",
            reason="hub_suspended",
            description=_("%(hub)s is out of service; finding another route.") % {"hub": hub.city},
            key=f"rerouted:{shipment.routing_attempts}",
            occurred_at=now,
        )
        _release_bookings(shipment)
        shipment.legs.all().delete()  # the plan, not history: the events keep what happened
        shipment.routing_requested_at = now
        shipment.save(update_fields=["status", "routing_requested_at", "updated_at"])
        transaction.on_commit(lambda pk=shipment.pk: enqueue_routing(pk))
        count += 1
    return count


# --- Cancellation --------------------------------------------------------------------------------


@transaction.atomic
def shipment_cancel_for_consignments(*, consignments: Iterable[Consignment]) -> int:
    """The order was cancelled before hand-over: its shipments are cancelled and give back the
    capacity they booked on departures. Returns how many were cancelled."""
    now = timezone.now()
    shipments = Shipment.objects.select_for_update().filter(consignment__in=list(consignments))
    cancelled = 0
    for shipment in shipments.order_by("pk"):
        if ShipmentStatus.CANCELLED not in SHIPMENT_TRANSITIONS[ShipmentStatus(shipment.status)]:
            continue  # already moving, delivered or cancelled: the marketplace refuses those anyway
        _transition(
            shipment,
            ShipmentStatus.CANCELLED,
            tracking_status=TrackingStatus.EXCEPTION,
            substatus="order_cancelled",
            description=_("The order was cancelled; the parcel will not be sent."),
            key="cancelled",
            occurred_at=now,
        )
        shipment.next_event_at = None
        shipment.save(update_fields=["status", "next_event_at", "updated_at"])
        _release_bookings(shipment)
        cancelled += 1
    return cancelled


def _release_bookings(shipment: Shipment) -> None:
    legs = list(shipment.legs.exclude(booking=None))
    for leg in legs:
        DepartureBooking.objects.filter(pk=leg.booking_id).update(
            booked_kg=F("booked_kg") - leg.chargeable_weight_kg, parcels=F("parcels") - 1
        )
    ShipmentLeg.objects.filter(pk__in=[leg.pk for leg in legs]).update(booking=None)


# --- Hand-over ---------------------------------------------------------------------------------


@transaction.atomic
def shipment_hand_over(*, consignment: Consignment, actor: User) -> Shipment:
    """The seller gave the parcel to the first-mile courier: the consignment is handed over (the
    marketplace checks it is the seller's), the shipment starts moving (`picked_up`) and the
    simulation takes it from here. Refused (409) before the route is planned."""
    from logistics.services.simulation import simulation_now

    not_routed = InvalidTransition(
        _("This parcel's route is not planned yet; hand it over once it shows its drop-off hub.")
    )
    if not Shipment.objects.filter(consignment_id=consignment.pk, status=ShipmentStatus.ROUTED).exists():
        raise not_routed
    # The marketplace's rows are locked before the shipment, as a cancellation locks them.
    consignment_hand_over(consignment=consignment, actor=actor)
    shipment = Shipment.objects.select_for_update().get(consignment_id=consignment.pk)
    if shipment.status != ShipmentStatus.ROUTED:
        raise not_routed  # re-routed or cancelled meanwhile: the hand-over rolls back with it
    now = simulation_now()
    _replan_if_late_for_departure(shipment, now=now)
    first_mile = shipment.legs.select_related("to_hub").get(sequence=1)
    _transition(
        shipment,
        ShipmentStatus.IN_TRANSIT,
        tracking_status=TrackingStatus.PICKED_UP,
        substatus="first_mile_scan",
        description=_("Picked up from the seller, on the way to %(hub)s.") % {"hub": first_mile.to_hub.city},
        key="picked_up",
        occurred_at=now,
        source=EventSource.SELLER,
        actor=actor,
    )
    shipment.handed_over_at = now
    shipment.simulation_step = 0
    shipment.next_event_at = now  # the next tick writes whatever is due
    shipment.save(
        update_fields=["status", "handed_over_at", "simulation_step", "next_event_at", "updated_at"]
    )
    first_mile.actual_departure = now
    first_mile.save(update_fields=["actual_departure"])
    return shipment


def _replan_if_late_for_departure(shipment: Shipment, *, now: datetime) -> bool:
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
        QuoteRequest(
            origin_country=shipment.origin_country.code,
            destination_country=shipment.destination_country.code,
            weight_kg=shipment.weight_kg,
            dimensions_cm=shipment.dimensions_cm,
            preference=Preference(shipment.preference),
            ready_at=now,
            origin_hub=first_mile.to_hub.code,
        )
    )
    if not quote.found:
        return False
    try:
        with transaction.atomic():  # a savepoint: if nothing has room, the old bookings stay
            _release_bookings(shipment)
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


# --- The sweeper ---------------------------------------------------------------------------------


def shipments_sweep_unrouted(*, now: datetime | None = None, batch: int = 500) -> int:
    """Re-publish routing jobs for shipments that waited longer than `EWTP_ROUTING_SWEEP_MINUTES`
    for a route (a job lost with a crashed process, or never published during a broker outage).
    Run by beat every minute; returns how many jobs it published. A re-published job that meets
    a shipment already routed returns at once, so sweeping too eagerly costs a query, not legs."""
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.EWTP_ROUTING_SWEEP_MINUTES)
    ids = list(
        Shipment.objects.filter(status__in=AWAITING_ROUTE, routing_requested_at__lte=due)
        .order_by("routing_requested_at")
        .values_list("pk", flat=True)[:batch]
    )
    published = [pk for pk in ids if enqueue_routing(pk)]
    if published:
        # Not again until another sweep interval has passed.
        Shipment.objects.filter(pk__in=published, status__in=AWAITING_ROUTE).update(routing_requested_at=now)
    return len(published)

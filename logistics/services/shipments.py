"""Every write to shipments but routing itself (`logistics.services.routing`): creating them when
consignments are paid with their routing jobs (and the sweeper that asks again for stuck ones),
cancellation, and the seller's hand-over (re-routing: `logistics.services.rerouting`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop  # events: English msgids, translated when shown

from ewtp.exceptions import InvalidTransition
from logistics import jobs
from logistics.clock import simulation_now
from logistics.models import (
    AWAITING_ROUTE,
    SHIPMENT_TRANSITIONS,
    EventSource,
    Shipment,
    ShipmentStatus,
    TrackingStatus,
)
from logistics.routing.model import Mode, chargeable_weight_kg
from logistics.services.bookings import bookings_release
from logistics.services.routing import replan_if_late_for_departure
from logistics.services.tracking import shipment_transition, tracking_event_record
from logistics.tracking_numbers import new_tracking_number
from marketplace.models import Consignment, ConsignmentStatus, Order, OrderLine, User
from marketplace.services.fulfilment import consignment_hand_over

logger = logging.getLogger(__name__)

TRACKING_NUMBER_ATTEMPTS = 5
HANDED_OVER_OR_LATER = (
    ConsignmentStatus.HANDED_OVER,
    ConsignmentStatus.IN_TRANSIT,
    ConsignmentStatus.DELIVERED,
)


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
    and a routing job for each in the same transaction (`logistics.jobs`, the outbox): the job
    commits with the payment and is published by the relay, whatever the broker is doing."""
    consignments = list(consignments)
    existing = set(
        Shipment.objects.filter(consignment__in=consignments).values_list("consignment_id", flat=True)
    )
    todo = [c for c in consignments if c.pk not in existing]
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(consignment__in=todo).select_related("listing").order_by("pk"):
        lines[line.consignment_id].append(line)
    now = timezone.now()  # when routing was asked for: the sweeper's wall-clock measure
    occurred = simulation_now()  # when it happened to the parcel: the simulation's clock
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
            promised_delivery=consignment.promised_delivery,  # frozen at payment, as quoted
            routing_requested_at=now,
        )
        _save_with_new_tracking_number(shipment)
        tracking_event_record(
            shipment=shipment,
            status=TrackingStatus.INFO_RECEIVED,
            substatus="order_paid",
            description=gettext_noop("Order paid; the seller is preparing the parcel."),
            occurred_at=occurred,
            dedupe_key=f"{shipment.pk}:created",
            to_status=ShipmentStatus.CREATED,
        )
        jobs.route_shipment(shipment.pk)
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


@transaction.atomic
def shipment_retry_routing(*, shipment: Shipment, actor: User | None = None) -> Shipment:
    """An operator asks for a route again (after the network changed): a shipment in `exception`
    without legs goes back to `routing`, and any shipment still waiting gets a new routing job.
    Refused (409) once legs are written."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status not in (*AWAITING_ROUTE, ShipmentStatus.EXCEPTION) or shipment.legs.exists():
        raise InvalidTransition(
            _("Shipment %(number)s already has a route.") % {"number": shipment.tracking_number}
        )
    now = timezone.now()
    if shipment.status == ShipmentStatus.EXCEPTION:
        shipment_transition(
            shipment,
            ShipmentStatus.ROUTING,
            tracking_status=TrackingStatus.INFO_RECEIVED,
            substatus="routing",
            description=gettext_noop("Planning the route through the e-hub network again."),
            key=f"routing:{shipment.routing_attempts}",
            occurred_at=simulation_now(),
            source=EventSource.OPERATOR,
            actor=actor,
        )
    shipment.routing_requested_at = now
    shipment.save(update_fields=["status", "routing_requested_at", "updated_at"])
    jobs.route_shipment(shipment.pk)
    return shipment


# --- Cancellation --------------------------------------------------------------------------------


@transaction.atomic
def shipment_cancel_for_consignments(*, consignments: Iterable[Consignment]) -> int:
    """The order was cancelled before hand-over: its shipments are cancelled and give back the
    capacity they booked on departures. Returns how many were cancelled."""
    now = simulation_now()  # the parcel's clock, as every tracking event
    shipments = Shipment.objects.select_for_update().filter(consignment__in=list(consignments))
    cancelled = 0
    for shipment in shipments.order_by("pk"):
        if ShipmentStatus.CANCELLED not in SHIPMENT_TRANSITIONS[ShipmentStatus(shipment.status)]:
            continue  # already moving, delivered or cancelled: the marketplace refuses those anyway
        shipment_transition(
            shipment,
            ShipmentStatus.CANCELLED,
            tracking_status=TrackingStatus.EXCEPTION,
            substatus="order_cancelled",
            description=gettext_noop("The order was cancelled; the parcel will not be sent."),
            key="cancelled",
            occurred_at=now,
        )
        shipment.next_event_at = None
        shipment.save(update_fields=["status", "next_event_at", "updated_at"])
        bookings_release(shipment)
        cancelled += 1
    return cancelled


# --- Hand-over ---------------------------------------------------------------------------------


@transaction.atomic
def shipment_hand_over(*, consignment: Consignment, actor: User, now: datetime | None = None) -> Shipment:
    """The seller gave the parcel to the first-mile courier: the consignment is handed over (the
    marketplace checks it is the seller's), the shipment starts moving (`picked_up`) and the
    simulation takes it from here. Refused (409) before the route is planned. `now` is simulated
    time (default: the simulation clock's now; the demo seed hands parcels over at chosen times)."""
    not_routed = InvalidTransition(
        _("This parcel's route is not planned yet; hand it over once it shows its drop-off hub.")
    )
    if not Shipment.objects.filter(consignment_id=consignment.pk, status=ShipmentStatus.ROUTED).exists():
        status = Consignment.objects.filter(pk=consignment.pk).values_list("status", flat=True).first()
        if status in HANDED_OVER_OR_LATER:
            raise InvalidTransition(_("This parcel was already handed over to the courier."))
        raise not_routed
    # The marketplace's rows are locked before the shipment, as a cancellation locks them.
    consignment_hand_over(consignment=consignment, actor=actor)
    shipment = Shipment.objects.select_for_update().get(consignment_id=consignment.pk)
    if shipment.status != ShipmentStatus.ROUTED:
        raise not_routed  # re-routed or cancelled meanwhile: the hand-over rolls back with it
    now = now or simulation_now()
    replan_if_late_for_departure(shipment, now=now)
    first_mile = shipment.legs.select_related("to_hub").get(sequence=1)
    shipment_transition(
        shipment,
        ShipmentStatus.IN_TRANSIT,
        tracking_status=TrackingStatus.PICKED_UP,
        substatus="first_mile_scan",
        description=gettext_noop("Picked up from the seller, on the way to %(hub)s.")
        % {"hub": first_mile.to_hub.city},
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


# --- The sweeper ---------------------------------------------------------------------------------


@transaction.atomic
def shipments_sweep_unrouted(*, now: datetime | None = None, batch: int = 500) -> int:
    """Ask again for the routes of shipments that waited longer than `EWTP_ROUTING_SWEEP_MINUTES`
    (a job that failed for good, or a worker that lost it): the relay's backstop. Run by beat every
    minute; writes their jobs (`ROUTING_BATCH` to a job) and returns how many shipments it asked
    for. A job that meets a shipment already routed skips it, so sweeping too eagerly costs a
    query, not legs."""
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.EWTP_ROUTING_SWEEP_MINUTES)
    ids = list(
        Shipment.objects.filter(status__in=AWAITING_ROUTE, routing_requested_at__lte=due)
        .order_by("routing_requested_at")
        .values_list("pk", flat=True)[:batch]
    )
    if ids:
        jobs.route_shipments(ids)
        # Not again until another sweep interval has passed.
        Shipment.objects.filter(pk__in=ids, status__in=AWAITING_ROUTE).update(routing_requested_at=now)
    return len(ids)

"""The simulated e-hub's writes: the clock, and the tick that moves parcels whose next event is due.

The events themselves come from the pure `logistics.simulation.timeline`; this module only decides
which shipments are due, writes their events (deduplicated), the legs' actual times and the
status changes — delivery completes the consignment and releases the seller's escrow once
(`marketplace.services.orders.consignment_mark_delivered`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from logistics.models import (
    EventSource,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    SimulationClock,
    TrackingStatus,
)
from logistics.services.tracking import shipment_transition, tracking_event_record
from logistics.simulation import clock
from logistics.simulation.timeline import HubInfo, Milestone, PlannedLeg, customs_hold_days, timeline
from marketplace.models import ConsignmentStatus
from marketplace.services.orders import consignment_mark_delivered, consignment_mark_in_transit

logger = logging.getLogger(__name__)

DESCRIPTIONS = {
    "hub_arrival": _("Arrived at the e-hub."),
    "destination_ehub": _("Arrived at the destination e-hub."),
    "sorted": _("Sorted."),
    "export_declared": _("Export declaration lodged."),
    "import_presented": _("Presented to import customs."),
    "held": _("Held by customs for inspection."),
    "released": _("Released by customs (duties paid)."),
    "hub_departure": _("Departed the e-hub."),
    "last_mile_handover": _("Out for delivery."),
    "signed": _("Delivered."),
}


def simulation_now() -> datetime:
    """Simulated time: real time at `EWTP_SIM_SPEED` 1 (no query); otherwise the clock row, advanced."""
    real_now = timezone.now()
    speed = settings.EWTP_SIM_SPEED
    if speed == 1:
        return real_now
    with transaction.atomic():
        row = SimulationClock.objects.select_for_update().filter(pk=1).first()
        if row is None:
            SimulationClock.objects.create(pk=1, simulated_at=real_now, real_at=real_now)
            return real_now
        row.simulated_at = clock.advance(row.simulated_at, row.real_at, real_now, speed)
        row.real_at = real_now
        row.save(update_fields=["simulated_at", "real_at"])
        return row.simulated_at


@transaction.atomic
def simulation_clock_set(*, simulated_at: datetime) -> datetime:
    """Move the simulated clock forward to `simulated_at` (never back: events already written stay
    in the past); it runs on at `EWTP_SIM_SPEED` from there. The demo seed uses it after playing
    parcels forward. Returns the clock's time; at speed 1 (real time) there is no clock to move."""
    now = simulation_now()
    if settings.EWTP_SIM_SPEED == 1 or simulated_at <= now:
        return now
    SimulationClock.objects.filter(pk=1).update(simulated_at=simulated_at, real_at=timezone.now())
    return simulated_at


def _hub(hub) -> HubInfo | None:
    if hub is None:
        return None
    return HubInfo(hub.code, hub.timezone, hub.handling_hours, hub.import_clearance_hours)


def shipment_timeline(shipment: Shipment, legs: list[ShipmentLeg]) -> list[Milestone]:
    planned = [
        PlannedLeg(
            leg.sequence,
            leg.kind,
            _hub(leg.from_hub),
            _hub(leg.to_hub),
            leg.planned_departure,
            leg.planned_arrival,
        )
        for leg in legs
    ]
    crosses_border = shipment.origin_country != shipment.destination_country
    hold = 0
    if crosses_border:
        hold = customs_hold_days(
            settings.EWTP_SIM_SEED, shipment.tracking_number, settings.EWTP_CUSTOMS_HOLD_RATE
        )
    return timeline(
        planned, handed_over_at=shipment.handed_over_at, crosses_border=crosses_border, hold_days=hold
    )


def shipments_advance(*, now: datetime | None = None, batch: int = 500) -> int:
    """Write every event that is due by `now` for in-transit shipments; returns how many shipments
    moved. Each shipment is its own short transaction, locked with `skip_locked` so two ticks never
    wait for each other; events are deduplicated, so a tick that runs twice writes nothing twice."""
    now = now or simulation_now()
    ids = list(
        Shipment.objects.filter(status=ShipmentStatus.IN_TRANSIT, next_event_at__lte=now)
        .order_by("next_event_at")
        .values_list("pk", flat=True)[:batch]
    )
    moved = 0
    for pk in ids:
        try:
            with transaction.atomic():
                shipment = (
                    Shipment.objects.select_for_update(skip_locked=True)
                    .select_related("consignment")
                    .filter(pk=pk, status=ShipmentStatus.IN_TRANSIT, next_event_at__lte=now)
                    .first()
                )
                if shipment is not None:
                    _advance(shipment, now)
                    moved += 1
        except Exception:  # one broken shipment must not stop the network; it is retried next tick
            logger.exception("simulation could not advance shipment %s", pk)
    return moved


def _advance(shipment: Shipment, now: datetime) -> None:
    legs = list(shipment.legs.select_related("from_hub", "to_hub"))
    by_sequence = {leg.sequence: leg for leg in legs}
    hubs = {hub.code: hub for leg in legs for hub in (leg.from_hub, leg.to_hub) if hub is not None}
    milestones = shipment_timeline(shipment, legs)
    due = [m for m in milestones[shipment.simulation_step :] if m.at <= now]
    fields = {"simulation_step", "next_event_at", "eta", "updated_at"}
    for milestone in due:
        leg = by_sequence[milestone.leg]
        if milestone.status == TrackingStatus.DELIVERED:
            shipment_transition(
                shipment,
                ShipmentStatus.DELIVERED,
                tracking_status=TrackingStatus.DELIVERED,
                substatus=milestone.substatus,
                description=str(DESCRIPTIONS[milestone.substatus]),
                key=f"sim:{milestone.key}",
                occurred_at=milestone.at,
                source=EventSource.SIMULATION,
            )
            shipment.delivered_at = milestone.at
            fields |= {"status", "delivered_at"}
        else:
            tracking_event_record(
                shipment=shipment,
                leg=leg,
                hub=hubs.get(milestone.hub) if milestone.hub else None,
                status=TrackingStatus(milestone.status),
                substatus=milestone.substatus,
                description=str(DESCRIPTIONS[milestone.substatus]),
                occurred_at=milestone.at,
                dedupe_key=f"{shipment.pk}:sim:{milestone.key}",
                source=EventSource.SIMULATION,
            )
        if milestone.departs_leg:
            leg.actual_departure = milestone.at
            leg.save(update_fields=["actual_departure"])
        if milestone.arrives_leg:
            leg.actual_arrival = milestone.at
            leg.save(update_fields=["actual_arrival"])
        consignment = shipment.consignment
        if milestone.departs_leg and consignment.status == ConsignmentStatus.HANDED_OVER:
            shipment.consignment = consignment_mark_in_transit(consignment=consignment)
    shipment.simulation_step += len(due)
    remaining = milestones[shipment.simulation_step :]
    shipment.next_event_at = remaining[0].at if remaining else None
    if milestones[-1].status == TrackingStatus.DELIVERED:  # else it waits at a hub: ETA unknown
        shipment.eta = milestones[-1].at
    shipment.save(update_fields=sorted(fields))
    delivered_already = shipment.consignment.status == ConsignmentStatus.DELIVERED  # by an operator
    if shipment.status == ShipmentStatus.DELIVERED and not delivered_already:
        # Completes the consignment and releases the seller's escrow (refused if ever repeated).
        consignment_mark_delivered(consignment=shipment.consignment)

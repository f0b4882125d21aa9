"""The simulated e-hub's writes: the tick that moves parcels whose next event is due.

The events themselves come from the pure `logistics.simulation.timeline`; this module decides which
shipments are due, books their sorting against each hub's daily capacity (a saturated hub delays
parcels: `logistics.simulation.sorting`), and writes their events (deduplicated), the legs' actual
times and the status changes — delivery completes the consignment and releases the seller's escrow
once (`marketplace.services.fulfilment.consignments_mark_delivered`).

The tick works in batches: one query claims a batch of due shipments (`FOR UPDATE SKIP LOCKED`, so
two ticks never touch the same parcel), one loads their legs, the milestones are computed in Python,
and the events, legs and shipments are written with a few bulk statements. The marketplace
follows in bulk too: consignments that start moving, and deliveries (escrow released once each).
A batch that fails is retried parcel by parcel, so one broken shipment never stops the network.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from ewtp.db import id_in, unnest_insert, unnest_update
from logistics.clock import simulation_now
from logistics.models import (
    EventSource,
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.services.parcel_emails import parcel_email_warranted, parcel_emails_schedule
from logistics.services.sort_bookings import sorting_book
from logistics.services.timelines import hold_days, hub_info, parcel_timeline
from logistics.services.webhook_events import tracking_webhooks_schedule
from logistics.simulation.timeline import HubInfo, Milestone
from marketplace.models import ConsignmentStatus
from marketplace.services.fulfilment import consignments_mark_delivered, consignments_mark_in_transit

logger = logging.getLogger(__name__)

DESCRIPTIONS = {
    "hub_arrival": gettext_noop("Arrived at the e-hub."),
    "destination_ehub": gettext_noop("Arrived at the destination e-hub."),
    "sorted": gettext_noop("Sorted."),
    "export_declared": gettext_noop("Export declaration lodged."),
    "pre_declared": gettext_noop("Customs declaration lodged with the destination e-hub before arrival."),
    "import_presented": gettext_noop("Presented to import customs."),
    "held": gettext_noop("Held by customs for inspection."),
    "released": gettext_noop("Released by customs (duties paid)."),
    "hub_departure": gettext_noop("Departed the e-hub."),
    "last_mile_handover": gettext_noop("Out for delivery."),
    "signed": gettext_noop("Delivered."),
}

SHIPMENT_FIELDS = (  # what the tick reads of a shipment: `_Parcel`'s fields, in order
    "pk",
    "tracking_number",
    "status",
    "handed_over_at",
    "simulation_step",
    "next_event_at",
    "eta",
    "delivered_at",
    "consignment_id",
    "crosses_border",
    "consignment_status",
    "pre_declared",
)
LEG_FIELDS = (
    "shipment_id",
    "sequence",
    "kind",
    "from_hub_id",
    "to_hub_id",
    "planned_departure",
    "planned_arrival",
    "actual_departure",
    "actual_arrival",
    "sort_day",
    "sort_delay",
)


# --- The tick ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hub:
    pk: int
    info: HubInfo
    sort_capacity: int


def _hubs() -> dict[int, _Hub]:
    return {
        hub.pk: _Hub(hub.pk, hub_info(hub), hub.sort_capacity_per_day)
        for hub in Hub.objects.only(
            "code", "timezone", "handling_hours", "import_clearance_hours", "sort_capacity_per_day"
        )
    }


@dataclass(slots=True)
class _Parcel:
    """A claimed shipment as the tick reads and writes it (plain data, like `_Leg`)."""

    pk: int
    tracking_number: str
    status: str
    handed_over_at: datetime
    simulation_step: int
    next_event_at: datetime | None
    eta: datetime | None
    delivered_at: datetime | None
    consignment_id: int
    crosses_border: bool
    consignment_status: str
    pre_declared: bool = False  # a complete customs pre-declaration (issue 21)
    updated_at: datetime | None = None


@dataclass(slots=True)
class _Leg:
    """A leg as the tick reads and writes it (plain data: cheaper than 40,000 model instances)."""

    pk: int
    shipment_id: int
    sequence: int
    kind: str
    from_hub_id: int | None
    to_hub_id: int | None
    planned_departure: datetime
    planned_arrival: datetime
    actual_departure: datetime | None
    actual_arrival: datetime | None
    sort_day: date | None
    sort_delay: timedelta


@dataclass(slots=True)
class _Run:
    """One shipment through one tick: the milestones it writes now, up to `now`."""

    shipment: _Parcel
    legs: dict[int, _Leg]  # by sequence
    step: int
    hold_days: int
    milestones: list[Milestone] = field(default_factory=list)
    due: list[Milestone] = field(default_factory=list)

    def walk(
        self, now: datetime, hubs: dict[int, _Hub], infos: dict[int, HubInfo], *, recompute: bool = True
    ) -> _Leg | None:
        """Take the due milestones; stop after an arrival at a hub whose sorting must be booked first
        (the milestones after it depend on the booking) and return that leg. The timeline is
        recomputed unless the last booking did not delay the parcel."""
        if recompute:
            shipment = self.shipment
            self.milestones = parcel_timeline(
                shipment,
                self.legs.values(),
                infos,
                shipment.crosses_border,
                self.hold_days,
                shipment.pre_declared,
            )
        while self.step < len(self.milestones) and self.milestones[self.step].at <= now:
            milestone = self.milestones[self.step]
            self.step += 1
            self.due.append(milestone)
            if milestone.arrives_leg:
                leg = self.legs[milestone.leg]
                hub = hubs.get(leg.to_hub_id)
                if hub is not None and hub.sort_capacity and leg.sort_day is None:
                    leg.actual_arrival = milestone.at
                    return leg
        return None


def shipments_advance(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Write every event that is due by `now` for in-transit shipments, `batch` shipments per
    transaction; returns how many shipments were advanced. Shipments another tick holds are
    skipped (`skip_locked`), events are deduplicated, so a tick that runs twice writes nothing twice.
    A failing batch is redone one shipment at a time: the broken one is logged and left for the
    next tick, the others move."""
    now = now or simulation_now()
    hubs = _hubs()
    moved = 0
    skip: set[int] = set()  # failed this tick: not claimed again until the next one
    while True:
        with transaction.atomic():
            claimed = _claim(now, batch, skip)
            if not claimed:
                break
            try:
                with transaction.atomic():
                    _advance(claimed, now, hubs)
                moved += len(claimed)
            except Exception:
                logger.warning("simulation batch failed; advancing its shipments one by one", exc_info=True)
                moved += _advance_one_by_one([s.pk for s in claimed], now, hubs, skip)
            skip |= {s.pk for s in claimed if s.next_event_at is not None and s.next_event_at <= now}
        if len(claimed) < batch:
            break
    return moved


def _claim(now: datetime, limit: int, skip: set[int], pk: int | None = None) -> list[_Parcel]:
    due = (
        Shipment.objects.select_for_update(skip_locked=True, of=("self",))
        .annotate(
            crosses_border=ExpressionWrapper(
                ~Q(origin_country=F("destination_country")), output_field=BooleanField()
            ),
            consignment_status=F("consignment__status"),
            pre_declared=Coalesce(F("consignment__declaration__complete"), Value(False)),
        )
        .filter(status=ShipmentStatus.IN_TRANSIT, next_event_at__lte=now)
    )
    if pk is not None:
        due = due.filter(pk=pk)
    elif skip:
        due = due.exclude(pk__in=skip)
    rows = due.order_by("next_event_at", "pk").values_list(*SHIPMENT_FIELDS)[:limit]
    return [_Parcel(*row) for row in rows]


def _advance_one_by_one(ids: list[int], now: datetime, hubs: dict[int, _Hub], skip: set[int]) -> int:
    moved = 0
    for pk in ids:
        try:
            with transaction.atomic():
                shipment = _claim(now, 1, skip, pk=pk)  # fresh: the failed batch changed the instances
                if shipment:
                    _advance(shipment, now, hubs)
                    moved += 1
        except Exception:  # one broken shipment must not stop the network; it is retried next tick
            logger.exception("simulation could not advance shipment %s", pk)
            skip.add(pk)
    return moved


def _advance(shipments: list[_Parcel], now: datetime, hubs: dict[int, _Hub]) -> None:
    """Advance these locked shipments to `now` with a few bulk writes."""
    infos = {pk: hub.info for pk, hub in hubs.items()}
    legs: dict[int, dict[int, _Leg]] = defaultdict(dict)
    rows = (
        ShipmentLeg.objects.filter(id_in("shipment_id", [s.pk for s in shipments]))
        .order_by("shipment_id", "sequence")
        .values_list("pk", *LEG_FIELDS)
    )
    for row in rows:
        leg = _Leg(*row)
        legs[leg.shipment_id][leg.sequence] = leg
    runs = [
        _Run(s, legs[s.pk], s.simulation_step, hold_days(s, s.crosses_border, s.pre_declared))
        for s in shipments
    ]
    pending = [(run, True) for run in runs]
    while pending:  # rounds: each books the sorting that the next milestones wait for
        waiting = [
            (run, leg)
            for run, recompute in pending
            if (leg := run.walk(now, hubs, infos, recompute=recompute)) is not None
        ]
        if waiting:
            sorting_book([(run.shipment.pk, leg) for run, leg in waiting], hubs)
        pending = [(run, bool(leg.sort_delay)) for run, leg in waiting]
    _write(runs, now, hubs)


def _write(runs: list[_Run], now: datetime, hubs: dict[int, _Hub]) -> None:
    by_code = {hub.info.code: hub for hub in hubs.values()}
    descriptions = DESCRIPTIONS  # English msgids, translated when shown (`logistics.event_text`)
    stamp = timezone.now()
    events: list[tuple] = []  # EVENT_FIELDS
    legs: dict[int, _Leg] = {}
    for run in runs:
        shipment = run.shipment
        for milestone in run.due:
            leg = run.legs[milestone.leg]
            hub = by_code.get(milestone.hub) if milestone.hub else None
            delivered = milestone.status == TrackingStatus.DELIVERED
            events.append(
                (
                    shipment.pk,
                    leg.pk,
                    milestone.at,
                    hub.pk if hub else None,
                    hub.info.code if hub else "",
                    hub.info.timezone if hub else "UTC",
                    milestone.status,
                    milestone.substatus,
                    descriptions[milestone.substatus],
                    EventSource.SIMULATION.value,
                    ShipmentStatus.IN_TRANSIT.value if delivered else "",
                    ShipmentStatus.DELIVERED.value if delivered else "",
                    f"{shipment.pk}:sim:{milestone.key}",
                    stamp,
                    "",  # reason: the simulation's own milestones have none
                )
            )
            if milestone.departs_leg:
                leg.actual_departure = milestone.at
            if milestone.arrives_leg:
                leg.actual_arrival = milestone.at
            if milestone.departs_leg or milestone.arrives_leg:
                legs[leg.pk] = leg
            if delivered:
                shipment.status = ShipmentStatus.DELIVERED
                shipment.delivered_at = milestone.at
        shipment.simulation_step = run.step
        remaining = run.milestones[run.step :]
        shipment.next_event_at = remaining[0].at if remaining else None
        if run.milestones and run.milestones[-1].status == TrackingStatus.DELIVERED:
            shipment.eta = run.milestones[-1].at  # else it waits at a hub (re-routing): ETA unknown
        shipment.updated_at = stamp
    inserted = _insert_events(events)
    _update_legs(list(legs.values()))
    _update_shipments([run.shipment for run in runs])
    _consignments_follow(runs)
    warranted = [pk for pk, status, substatus in inserted if parcel_email_warranted(status, substatus)]
    parcel_emails_schedule(warranted, warranted=True)  # picked here: no query
    tracking_webhooks_schedule(pk for pk, _status, _substatus in inserted)


# The bulk writes: one statement each, the rows as one JSON document (`ewtp.db`; BENCHMARKS.md
# says why not `bulk_update`).

EVENT_FIELDS = (
    "shipment",
    "leg",
    "occurred_at",
    "hub",
    "location_code",
    "local_timezone",
    "status",
    "substatus",
    "description",
    "source",
    "from_status",
    "to_status",
    "dedupe_key",
    "recorded_at",
    "reason",
)
LEG_UPDATES = ("actual_departure", "actual_arrival", "sort_day", "sort_delay")
SHIPMENT_UPDATES = ("status", "simulation_step", "next_event_at", "eta", "delivered_at", "updated_at")


def _insert_events(events: list[tuple]) -> list[tuple[int, str, str]]:
    """Insert the events not stored yet (`ON CONFLICT DO NOTHING` on the dedupe key); the id,
    status and substatus of the ones inserted."""
    return unnest_insert(
        TrackingEvent, EVENT_FIELDS, events, unique="dedupe_key", returning=("id", "status", "substatus")
    )


def _update_legs(legs: list[_Leg]) -> None:
    rows = [(leg.pk, *(getattr(leg, name) for name in LEG_UPDATES)) for leg in legs]
    unnest_update(ShipmentLeg, LEG_UPDATES, rows)


def _update_shipments(shipments: list[_Parcel]) -> None:
    rows = [(s.pk, *(getattr(s, name) for name in SHIPMENT_UPDATES)) for s in shipments]
    unnest_update(Shipment, SHIPMENT_UPDATES, rows)


def _consignments_follow(runs: list[_Run]) -> None:
    """The marketplace side, only for the parcels that need it: in transit on their first departure,
    delivered (escrow released, refused if ever repeated) at the door — unless an operator
    delivered it by hand already."""
    in_transit, delivered = set(), set()
    for run in runs:
        shipment, status = run.shipment, run.shipment.consignment_status  # annotated by the claim
        if status == ConsignmentStatus.HANDED_OVER and any(m.departs_leg for m in run.due):
            in_transit.add(shipment.consignment_id)
        if shipment.status == ShipmentStatus.DELIVERED and status != ConsignmentStatus.DELIVERED:
            delivered.add(shipment.consignment_id)
    if not (in_transit or delivered):
        return
    if in_transit:  # many parcels share a departure: one locking read and two writes for them all
        consignments_mark_in_transit(consignment_ids=in_transit)
    if delivered:  # escrow released once per consignment, orders completed, in a few statements
        consignments_mark_delivered(consignment_ids=delivered)

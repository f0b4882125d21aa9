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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ewtp.db import binary_params_cursor, id_in
from logistics.clock import simulation_now
from logistics.models import (
    EventSource,
    Hub,
    HubSortDay,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.services.parcel_emails import parcel_email_warranted, parcel_emails_schedule
from logistics.simulation import sorting
from logistics.simulation.timeline import HubInfo, Milestone, PlannedLeg, customs_hold_days, timeline
from marketplace.models import ConsignmentStatus
from marketplace.services.fulfilment import consignments_mark_delivered, consignments_mark_in_transit

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

# Postgres advisory-lock namespace of a hub's sort bookings (the second key is the hub's id).
SORT_LOCK = 0x534F5254  # "SORT"

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


def _hub(hub) -> HubInfo | None:
    if hub is None:
        return None
    return HubInfo(hub.code, hub.timezone, hub.handling_hours, hub.import_clearance_hours)


def _hold_days(shipment: Shipment | _Parcel, crosses_border: bool) -> int:
    if not crosses_border:
        return 0
    return customs_hold_days(
        settings.EWTP_SIM_SEED, shipment.tracking_number, settings.EWTP_CUSTOMS_HOLD_RATE
    )


def _timeline(
    shipment: Shipment | _Parcel,
    legs: Iterable[ShipmentLeg | _Leg],
    hubs: dict[int, HubInfo],
    crosses_border: bool,
    hold_days: int,
) -> list[Milestone]:
    planned = [
        PlannedLeg(
            leg.sequence,
            leg.kind,
            hubs.get(leg.from_hub_id),
            hubs.get(leg.to_hub_id),
            leg.planned_departure,
            leg.planned_arrival,
            leg.sort_delay,
        )
        for leg in legs
    ]
    return timeline(
        planned, handed_over_at=shipment.handed_over_at, crosses_border=crosses_border, hold_days=hold_days
    )


def shipment_timeline(shipment: Shipment, legs: list[ShipmentLeg]) -> list[Milestone]:
    """The parcel's whole journey as timed events (the legs with their hubs loaded)."""
    hubs = {hub.pk: _hub(hub) for leg in legs for hub in (leg.from_hub, leg.to_hub) if hub is not None}
    crosses_border = shipment.origin_country != shipment.destination_country
    return _timeline(shipment, legs, hubs, crosses_border, _hold_days(shipment, crosses_border))


# --- The tick ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hub:
    pk: int
    info: HubInfo
    sort_capacity: int


def _hubs() -> dict[int, _Hub]:
    return {
        hub.pk: _Hub(hub.pk, _hub(hub), hub.sort_capacity_per_day)
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
            self.milestones = _timeline(
                self.shipment, self.legs.values(), infos, self.shipment.crosses_border, self.hold_days
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
    runs = [_Run(s, legs[s.pk], s.simulation_step, _hold_days(s, s.crosses_border)) for s in shipments]
    pending = [(run, True) for run in runs]
    while pending:  # rounds: each books the sorting that the next milestones wait for
        waiting = [
            (run, leg)
            for run, recompute in pending
            if (leg := run.walk(now, hubs, infos, recompute=recompute)) is not None
        ]
        if waiting:
            _book_sorting(waiting, hubs)
        pending = [(run, bool(leg.sort_delay)) for run, leg in waiting]
    _write(runs, now, hubs)


def _book_sorting(waiting: list[tuple[_Run, _Leg]], hubs: dict[int, _Hub]) -> None:
    """Book each parcel's sorting at the hub it just reached, in arrival order: its arrival day when
    the hub has room, else the next day with room (`leg.sort_day`, `leg.sort_delay`). A hub's
    bookings are serialised by a transaction lock, so concurrent ticks never exceed its capacity."""
    by_hub: dict[int, list[tuple[datetime, int, _Leg]]] = defaultdict(list)
    for run, leg in waiting:
        by_hub[leg.to_hub_id].append((leg.actual_arrival, run.shipment.pk, leg))
    hub_ids = sorted(by_hub)
    _lock_sorting(hub_ids)
    first_day = {
        pk: min(sorting.hub_day(at, hubs[pk].info.timezone) for at, _pk, _leg in by_hub[pk]) for pk in hub_ids
    }
    booked: dict[int, dict] = defaultdict(dict)
    rows = HubSortDay.objects.filter(
        Q.create([Q(hub_id=pk, day__gte=day) for pk, day in first_day.items()], connector=Q.OR)
    )
    for hub_id, day, parcels in rows.values_list("hub_id", "day", "parcels"):
        booked[hub_id][day] = parcels
    changed = []
    for pk in hub_ids:
        hub = hubs[pk]
        zone = hub.info.timezone
        arrivals = sorted(by_hub[pk], key=lambda arrival: arrival[:2])
        before = dict(booked[pk])
        days = sorting.sort_days(
            [sorting.hub_day(at, zone) for at, _pk, _leg in arrivals], hub.sort_capacity, booked[pk]
        )
        for (at, _pk, leg), day in zip(arrivals, days, strict=True):
            leg.sort_day = day
            leg.sort_delay = sorting.sort_delay(at, zone, day)
        changed += [
            HubSortDay(hub_id=pk, day=day, parcels=n) for day, n in booked[pk].items() if before.get(day) != n
        ]
    HubSortDay.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["hub", "day"], update_fields=["parcels"]
    )


def _lock_sorting(hub_ids: list[int]) -> None:
    """One booker per hub at a time, until commit (in id order: no deadlock between ticks). SQLite
    (the zero-configuration demo) has a single writer anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk in hub_ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SORT_LOCK, pk])


def _write(runs: list[_Run], now: datetime, hubs: dict[int, _Hub]) -> None:
    by_code = {hub.info.code: hub for hub in hubs.values()}
    descriptions = {key: str(text) for key, text in DESCRIPTIONS.items()}
    stamp = timezone.now()
    events: list[tuple] = []  # EVENT_COLUMNS
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


# The bulk writes: one statement each on PostgreSQL, fed arrays (`unnest`) — linear, where
# `bulk_update`'s CASE per row and field is quadratic; the ORM's bulk calls elsewhere (the SQLite demo).

EVENT_COLUMNS = (
    "shipment_id",
    "leg_id",
    "occurred_at",
    "hub_id",
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
)
INSERT_EVENTS = """
    INSERT INTO logistics_trackingevent (
        shipment_id, leg_id, occurred_at, hub_id, location_code, local_timezone, status, substatus,
        description, source, from_status, to_status, dedupe_key, recorded_at, reason
    )
    SELECT *, '' FROM unnest(
        %b::bigint[], %b::bigint[], %b::timestamptz[], %b::bigint[], %b::text[], %b::text[], %b::text[],
        %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::timestamptz[]
    )
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id, status, substatus
"""
UPDATE_LEGS = """
    UPDATE logistics_shipmentleg AS leg
    SET actual_departure = v.actual_departure, actual_arrival = v.actual_arrival,
        sort_day = v.sort_day, sort_delay = v.sort_delay
    FROM unnest(%b::bigint[], %b::timestamptz[], %b::timestamptz[], %b::date[], %b::interval[])
        AS v(id, actual_departure, actual_arrival, sort_day, sort_delay)
    WHERE leg.id = v.id
"""
UPDATE_SHIPMENTS = """
    UPDATE logistics_shipment AS shipment
    SET status = v.status, simulation_step = v.simulation_step, next_event_at = v.next_event_at,
        eta = v.eta, delivered_at = v.delivered_at, updated_at = v.updated_at
    FROM unnest(
        %b::bigint[], %b::text[], %b::smallint[], %b::timestamptz[], %b::timestamptz[],
        %b::timestamptz[], %b::timestamptz[]
    ) AS v(id, status, simulation_step, next_event_at, eta, delivered_at, updated_at)
    WHERE shipment.id = v.id
"""
LEG_UPDATES = ("actual_departure", "actual_arrival", "sort_day", "sort_delay")
SHIPMENT_UPDATES = ("status", "simulation_step", "next_event_at", "eta", "delivered_at", "updated_at")


def _arrays(rows: list[tuple]) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)]


def _bulk_sql() -> bool:
    return connection.vendor == "postgresql"


def _execute_arrays(sql: str, rows: list[tuple]) -> list[tuple]:
    """Run one of the statements above, its columns sent as binary array parameters."""
    with binary_params_cursor() as cursor:
        cursor.execute(sql, _arrays(rows))
        return cursor.fetchall() if cursor.description else []


def _insert_events(events: list[tuple]) -> list[tuple[int, str, str]]:
    """Insert the events not stored yet (`ON CONFLICT DO NOTHING` on the dedupe key); the id,
    status and substatus of the ones inserted."""
    if not events:
        return []
    if _bulk_sql():
        return _execute_arrays(INSERT_EVENTS, events)
    # Only a tick holding the shipment's lock writes its `sim:` keys, so the keys absent before
    # the insert are the ones it inserted.
    rows = [dict(zip(EVENT_COLUMNS, event, strict=True)) for event in events]
    keys = [row["dedupe_key"] for row in rows]
    stored = set(TrackingEvent.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    new = [TrackingEvent(**row) for row in rows if row["dedupe_key"] not in stored]
    TrackingEvent.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    new_keys = [event.dedupe_key for event in new]
    return list(
        TrackingEvent.objects.filter(dedupe_key__in=new_keys).values_list("pk", "status", "substatus")
    )


def _update_legs(legs: list[_Leg]) -> None:
    if not legs:
        return
    if not _bulk_sql():
        rows = [ShipmentLeg(pk=leg.pk, **{name: getattr(leg, name) for name in LEG_UPDATES}) for leg in legs]
        ShipmentLeg.objects.bulk_update(rows, LEG_UPDATES, batch_size=200)
        return
    _execute_arrays(UPDATE_LEGS, [(leg.pk, *(getattr(leg, name) for name in LEG_UPDATES)) for leg in legs])


def _update_shipments(shipments: list[_Parcel]) -> None:
    if not _bulk_sql():
        rows = [Shipment(pk=s.pk, **{name: getattr(s, name) for name in SHIPMENT_UPDATES}) for s in shipments]
        Shipment.objects.bulk_update(rows, SHIPMENT_UPDATES, batch_size=200)
        return
    rows = [(shipment.pk, *(getattr(shipment, name) for name in SHIPMENT_UPDATES)) for shipment in shipments]
    _execute_arrays(UPDATE_SHIPMENTS, rows)


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

"""Routing jobs in batches: many waiting shipments planned, booked and written in a few statements.

`shipments_route` does for a list of shipments what `routing.shipment_route` does for one, with the
same guarantees, in two transactions whatever the batch size:

1. claim: one `SELECT … FOR UPDATE SKIP LOCKED` takes the batch's shipments still waiting for a
   route (one locked elsewhere is being routed or cancelled by that holder, or is swept later),
   marks them `routing` in one UPDATE and appends their `routing` events in one INSERT;
2. the planner runs outside any lock, once per distinct request (a batch paid in the same minute
   asks the same questions);
3. write: the shipments are locked again in id order and those no longer `routing` are skipped;
   the departures their routes use are locked in (lane, departure) order and booked in memory —
   a full departure pushes the parcel to an alternative or, re-planned as if ready too late for it,
   to a later departure, as `routing._book_first_route_with_room` does — then each departure gets
   one conditional UPDATE for the whole batch (never past the lane's capacity), all legs one
   INSERT, the events one INSERT and the shipments one UPDATE.

The legs' unique (shipment, sequence) constraint still guards against a second set of legs: if it
ever fires, the batch rolls back and each shipment is routed on its own by `shipment_route`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.clock import simulation_now
from logistics.models import (
    AWAITING_ROUTE,
    ExceptionReason,
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.routing.planner import Leg, LegKind, Planner, Quote, QuoteRequest, Route
from logistics.selectors import network as network_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services.parcel_emails import parcel_email_warranted, parcel_emails_schedule
from logistics.services.routing import (
    MAX_REPLANS,
    _apply_route,
    _delay_to_miss,
    _leg_rows,
    _no_route_event,
    _route_planned,
    shipment_route,
)
from logistics.services.tracking import shipment_transition_event

logger = logging.getLogger(__name__)

Departure = tuple[int, datetime]  # (lane id, departs at)


def shipments_route(*, shipment_ids: Iterable[int], now: datetime | None = None) -> dict[int, str]:
    """Plan, book and write the routes of a batch of shipments once; returns each id's outcome as
    `shipment_route` names it (`routed`, `exception`, `missing`, `skipped:<status>`), plus
    `skipped:locked` for a shipment another transaction held at the claim."""
    now = now or simulation_now()  # as `shipment_route`: the demo's fast clock plans in its own time
    outcome: dict[int, str] = {}
    claimed = _claim(sorted(set(shipment_ids)), now=now, outcome=outcome)
    if not claimed:
        return outcome
    planner = network_selectors.planner()
    quotes = _plan(planner, claimed, now=now)
    try:
        with transaction.atomic():
            _book_and_write(planner, quotes, now=now, outcome=outcome)
    except IntegrityError:
        # A second set of legs refused by the database: route each on its own, so one bad row
        # cannot hold back the others.
        logger.warning(
            "batch routing refused by a constraint; routing %s one by one", len(quotes), exc_info=True
        )
        for pk in quotes:
            try:
                outcome[pk] = shipment_route(shipment_id=pk, now=now)
            except IntegrityError:
                logger.exception("shipment %s could not be routed", pk)
                outcome[pk] = "error"
    return outcome


# --- 1. Claim ------------------------------------------------------------------------------------


def _claim(ids: list[int], *, now: datetime, outcome: dict[int, str]) -> list[Shipment]:
    with transaction.atomic():
        shipments = list(
            Shipment.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status__in=AWAITING_ROUTE)
            .order_by("pk")
        )
        if len(shipments) < len(ids):
            _report_unclaimed(ids, {s.pk for s in shipments}, outcome)
        if not shipments:
            return []
        events = [
            shipment_transition_event(
                shipment,
                ShipmentStatus.ROUTING,
                tracking_status=TrackingStatus.INFO_RECEIVED,
                substatus="routing",
                description=_("Planning the route through the e-hub network."),
                key="routing",
                occurred_at=now,
            )
            for shipment in shipments
            if shipment.status == ShipmentStatus.CREATED
        ]
        Shipment.objects.filter(pk__in=[s.pk for s in shipments]).update(
            status=ShipmentStatus.ROUTING,
            routing_attempts=F("routing_attempts") + 1,
            updated_at=timezone.now(),
        )
        for shipment in shipments:
            shipment.status = ShipmentStatus.ROUTING
            shipment.routing_attempts += 1
        _insert_events(events)
    return shipments


def _report_unclaimed(ids: list[int], claimed: set[int], outcome: dict[int, str]) -> None:
    rest = [pk for pk in ids if pk not in claimed]
    statuses = dict(Shipment.objects.filter(pk__in=rest).values_list("pk", "status"))
    for pk in rest:
        status = statuses.get(pk)
        if status is None:
            outcome[pk] = "missing"
        elif status in AWAITING_ROUTE:
            outcome[pk] = "skipped:locked"  # its holder routes it, or the sweeper sends it again
        else:
            outcome[pk] = f"skipped:{status}"


# --- 2. Plan -------------------------------------------------------------------------------------


def _plan(planner: Planner, shipments: list[Shipment], *, now: datetime) -> dict[int, tuple[Shipment, Quote]]:
    """Each shipment's quote; parcels that ask the same question share one answer."""
    answers: dict[QuoteRequest, Quote] = {}
    quotes = {}
    for shipment in shipments:
        request = shipment_selectors.shipment_quote_request(shipment, ready_at=now)
        quote = answers.get(request)
        if quote is None:
            quote = answers[request] = planner.quote(request)
        quotes[shipment.pk] = (shipment, quote)
    return quotes


# --- 3. Book and write ---------------------------------------------------------------------------


def _book_and_write(
    planner: Planner, quotes: dict[int, tuple[Shipment, Quote]], *, now: datetime, outcome: dict[int, str]
) -> None:
    locked = {
        s.pk: s for s in Shipment.objects.select_for_update().filter(pk__in=list(quotes)).order_by("pk")
    }
    todo: list[tuple[Shipment, Quote]] = []
    no_route: list[tuple[Shipment, ExceptionReason]] = []
    for pk, (_claimed, quote) in quotes.items():
        shipment = locked.get(pk)
        if shipment is None:
            outcome[pk] = "missing"
        elif shipment.status != ShipmentStatus.ROUTING:
            outcome[pk] = f"skipped:{shipment.status}"  # another job finished first
        elif not quote.found:
            no_route.append((shipment, ExceptionReason(quote.reason)))
        else:
            todo.append((shipment, quote))

    departures = _Departures(planner)
    booked = departures.book(todo)
    departures.save()

    routed = [(shipment, booked[shipment.pk]) for shipment, _quote in todo if booked.get(shipment.pk)]
    no_route += [
        (shipment, ExceptionReason.NO_CAPACITY) for shipment, _quote in todo if not booked.get(shipment.pk)
    ]
    codes = {code for _shipment, (route, _b) in routed for code in route.hubs}
    hubs = {hub.code: hub for hub in Hub.objects.filter(code__in=codes)} if codes else {}
    ShipmentLeg.objects.bulk_create(
        [row for shipment, (route, bookings) in routed for row in _leg_rows(shipment, route, bookings, hubs)]
    )
    events = []
    for shipment, (route, _bookings) in routed:
        events.append(
            shipment_transition_event(
                shipment,
                ShipmentStatus.ROUTED,
                tracking_status=TrackingStatus.INFO_RECEIVED,
                substatus="route_planned",
                description=_route_planned(route),
                key=f"routed:{shipment.routing_attempts}",
                occurred_at=now,
            )
        )
        _apply_route(shipment, route, now=now)
        outcome[shipment.pk] = "routed"
    for shipment, reason in no_route:
        events.append(_no_route_event(shipment, reason=reason, now=now))
        outcome[shipment.pk] = "exception"
    _save_routed([shipment for shipment, _b in routed], now=now)
    for (reason, detail), group in _grouped(no_route).items():
        Shipment.objects.filter(pk__in=group).update(
            status=ShipmentStatus.EXCEPTION,
            exception_reason=reason,
            exception_detail=detail,
            updated_at=timezone.now(),
        )
    _insert_events(events)


def _save_routed(shipments: list[Shipment], *, now: datetime) -> None:
    """What `routing._write_route` saves, for every routed shipment of the batch in one UPDATE
    (`bulk_update`'s CASE expressions cost more Python than the rest of the batch)."""
    if not shipments:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE logistics_shipment AS shipment
                SET status = %s, routed_at = %s, eta = batch.eta, promised_delivery = batch.promised,
                    chargeable_weight_kg = batch.kg, exception_reason = '', exception_detail = '',
                    updated_at = %s
                FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::numeric[])
                    AS batch (id, eta, promised, kg)
                WHERE shipment.id = batch.id""",
            [
                ShipmentStatus.ROUTED.value,
                now,
                timezone.now(),
                [shipment.pk for shipment in shipments],
                [shipment.eta for shipment in shipments],
                [shipment.promised_delivery for shipment in shipments],
                [shipment.chargeable_weight_kg for shipment in shipments],
            ],
        )


def _grouped(no_route: list[tuple[Shipment, ExceptionReason]]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for shipment, _reason in no_route:
        groups.setdefault((shipment.exception_reason, shipment.exception_detail), []).append(shipment.pk)
    return groups


class _Departures:
    """The departure bookings one batch touches, locked in (lane, departure) order as they are first
    needed, booked in memory, then saved with one conditional UPDATE per departure."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.lanes = {lane.id: lane for lane in planner.network.lanes}
        self.rows: dict[Departure, tuple[int, Decimal]] = {}  # booking id, kg booked before this batch
        self.added: dict[Departure, list] = {}  # [kg, parcels] this batch adds

    def book(self, todo: list[tuple[Shipment, Quote]]) -> dict[int, tuple[Route, dict[int, int]] | None]:
        """Each shipment's booked route and {leg index: booking id}, or None when every departure
        that could carry it is full (after `MAX_REPLANS` re-plans); in id order, first come first
        served. Re-planned parcels are booked in rounds, so each round locks its new departures in
        one statement."""
        booked: dict[int, tuple[Route, dict[int, int]] | None] = {}
        pending = todo
        for _round in range(MAX_REPLANS):
            if not pending:
                break
            self._lock(
                {_key(leg) for _s, quote in pending for route in _routes(quote) for leg in route.line_haul}
            )
            replanned: dict[QuoteRequest, Quote] = {}
            retry = []
            for shipment, quote in pending:
                shift: timedelta | None = None
                for route in _routes(quote):
                    full = self._first_full(route)
                    if full is None:
                        booked[shipment.pk] = (route, self._take(route))
                        break
                    missed = _delay_to_miss(self.planner, route, full, self.lanes[full.lane_id])
                    shift = missed if shift is None else min(shift, missed)
                else:
                    assert shift is not None
                    request = dataclasses.replace(quote.request, ready_at=quote.request.ready_at + shift)
                    again = replanned.get(request)
                    if again is None:
                        again = replanned[request] = self.planner.quote(request)
                    if again.found:
                        retry.append((shipment, again))
                    else:
                        booked[shipment.pk] = None
            pending = retry
        for shipment, _quote in pending:
            booked[shipment.pk] = None
        return booked

    def save(self) -> None:
        """One UPDATE for every departure the batch booked, each row conditional on its lane's
        capacity; all or nothing (the rows are locked, so a refusal would mean a bug, not a race)."""
        keys = sorted(self.added)
        if not keys:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE logistics_departurebooking AS booking
                    SET booked_kg = booking.booked_kg + batch.kg, parcels = booking.parcels + batch.parcels
                    FROM unnest(%s::bigint[], %s::numeric[], %s::integer[], %s::numeric[])
                        AS batch (id, kg, parcels, capacity)
                    WHERE booking.id = batch.id AND booking.booked_kg + batch.kg <= batch.capacity""",
                [
                    [self.rows[key][0] for key in keys],
                    [self.added[key][0] for key in keys],
                    [self.added[key][1] for key in keys],
                    [self.lanes[key[0]].capacity_kg for key in keys],
                ],
            )
            if cursor.rowcount != len(keys):
                raise RuntimeError("a departure booking would be overbooked")  # rolls the batch back

    def _lock(self, keys: set[Departure]) -> None:
        missing = sorted(keys - self.rows.keys())
        if not missing:
            return
        lanes, times = [lane_id for lane_id, _d in missing], [departs_at for _l, departs_at in missing]
        with connection.cursor() as cursor:
            cursor.execute(  # the rows that are not there yet, as `routing._book_departure` adds them
                """INSERT INTO logistics_departurebooking (lane_id, departs_at, booked_kg, parcels)
                    SELECT lane_id, departs_at, 0, 0 FROM unnest(%s::bigint[], %s::timestamptz[])
                        AS batch (lane_id, departs_at)
                    ON CONFLICT (lane_id, departs_at) DO NOTHING""",
                [lanes, times],
            )
            cursor.execute(
                """SELECT id, lane_id, departs_at, booked_kg FROM logistics_departurebooking
                    WHERE (lane_id, departs_at) IN (SELECT * FROM unnest(%s::bigint[], %s::timestamptz[]))
                    ORDER BY lane_id, departs_at
                    FOR UPDATE""",
                [lanes, times],
            )
            for pk, lane_id, departs_at, booked_kg in cursor.fetchall():
                self.rows[(lane_id, departs_at)] = (pk, booked_kg)

    def _first_full(self, route: Route) -> Leg | None:
        for leg in route.line_haul:
            key = _key(leg)
            added = self.added.get(key, (0,))[0]
            if self.rows[key][1] + added + leg.chargeable_weight_kg > self.lanes[leg.lane_id].capacity_kg:
                return leg
        return None

    def _take(self, route: Route) -> dict[int, int]:
        bookings = {}
        for index, leg in enumerate(route.legs):
            if leg.kind != LegKind.LINE_HAUL:
                continue
            key = _key(leg)
            added = self.added.setdefault(key, [Decimal(0), 0])
            added[0] += leg.chargeable_weight_kg
            added[1] += 1
            bookings[index] = self.rows[key][0]
        return bookings


def _key(leg: Leg) -> Departure:
    assert leg.lane_id is not None
    return (leg.lane_id, leg.departs_at)


def _routes(quote: Quote) -> Sequence[Route]:
    assert quote.route is not None
    return (quote.route, *quote.alternatives)


# --- Events --------------------------------------------------------------------------------------


def _insert_events(events: list[TrackingEvent]) -> None:
    """One INSERT … ON CONFLICT DO NOTHING; the ids of the rows it really inserted (those recorded
    from now on: a duplicate key keeps its older row) go to the parcel e-mails."""
    if not events:
        return
    started = timezone.now()
    TrackingEvent.objects.bulk_create(events, ignore_conflicts=True)
    keys = [event.dedupe_key for event in events if parcel_email_warranted(event.status, event.substatus)]
    if not keys:  # routing's own events warrant none: no query
        return
    inserted = TrackingEvent.objects.filter(dedupe_key__in=keys, recorded_at__gte=started)
    parcel_emails_schedule(list(inserted.values_list("pk", flat=True)), warranted=True)

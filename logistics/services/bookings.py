"""Departure bookings and legs: the capacity a route takes on its line-haul departures, and the legs
it writes — for a batch of shipments being routed, one re-planned around an outage, or one handed
over too late for its departure. One way to book, whoever books.

Booking happens inside the caller's transaction: the departures a batch needs are locked in (lane,
departure) order as they are first needed (two batches never deadlock, and never overbook: the rows
stay locked until commit), booked in memory — a full departure sends the parcel to an alternative
route or, re-planned as if ready just too late for it, to a later departure — then written with
one statement (`ewtp.db.unnest_update`) computed from the locked rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import F

from ewtp.db import unnest_update
from logistics.models import DepartureBooking, Hub, Shipment, ShipmentLeg
from logistics.routing.model import LaneData, Leg, LegKind, Quote, QuoteRequest, Route
from logistics.routing.planner import Planner

MAX_REPLANS = 12  # capacity re-plans per shipment before it is marked `exception`

Departure = tuple[int, datetime]  # (lane id, departs at)
Booked = tuple[Route, dict[int, int]]  # the route, and {leg index: booking id}


class Departures:
    """The departure bookings one transaction touches: locked as first needed, booked in memory,
    saved once (`save`)."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.lanes = {lane.id: lane for lane in planner.network.lanes}
        self.rows: dict[Departure, DepartureBooking] = {}  # locked, as they were before this booking
        self.added: dict[Departure, list] = {}  # [kg, parcels] booked here

    def book(self, todo: Sequence[tuple[Shipment, Quote]]) -> dict[int, Booked | None]:
        """Each shipment's booked route, or None when every departure that could carry it is full
        (after `MAX_REPLANS` re-plans); in the order given, first come first served. Re-planned
        parcels are booked in rounds, so each round locks its new departures in one statement."""
        assert connection.in_atomic_block, "bookings hold their row locks until the caller commits"
        booked: dict[int, Booked | None] = {}
        pending = list(todo)
        for _round in range(MAX_REPLANS):
            if not pending:
                break
            self._lock({_key(leg) for _s, q in pending for route in routes(q) for leg in route.line_haul})
            replanned: dict[QuoteRequest, Quote] = {}
            retry = []
            for shipment, quote in pending:
                shift: timedelta | None = None
                for route in routes(quote):
                    full = self._first_full(route)
                    if full is None:
                        booked[shipment.pk] = (route, self._take(route))
                        break
                    missed = delay_to_miss(self.planner, route, full, self.lanes[full.lane_id])
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
        """Write what was booked: one statement for the locked rows, from their locked values."""
        rows = []
        for key, (kg, parcels) in sorted(self.added.items()):
            row = self.rows[key]
            row.booked_kg += kg
            row.parcels += parcels
            assert row.booked_kg <= self.lanes[key[0]].capacity_kg, "a departure would be overbooked"
            rows.append(row)
        written = [(row.pk, row.booked_kg, row.parcels) for row in rows]
        unnest_update(DepartureBooking, ("booked_kg", "parcels"), written)
        self.added = {}

    def _lock(self, keys: set[Departure]) -> None:
        missing = sorted(keys - self.rows.keys())
        if not missing:
            return
        # The rows that are not there yet, then all of them locked in (lane, departure) order.
        DepartureBooking.objects.bulk_create(
            [DepartureBooking(lane_id=lane_id, departs_at=departs_at) for lane_id, departs_at in missing],
            ignore_conflicts=True,
        )
        # Asked by lanes and times (a pair-by-pair OR cost more to build than routing the batch); a
        # row of another pair among them is locked too, harmlessly, in the same order.
        wanted = set(missing)
        rows = (
            DepartureBooking.objects.select_for_update()
            .filter(lane_id__in={lane for lane, _t in missing}, departs_at__in={at for _l, at in missing})
            .order_by("lane_id", "departs_at")
            .values_list("pk", "lane_id", "departs_at", "booked_kg", "parcels")
        )
        for pk, lane_id, departs_at, booked_kg, parcels in rows:
            if (lane_id, departs_at) in wanted:
                self.rows[(lane_id, departs_at)] = DepartureBooking(
                    pk=pk, lane_id=lane_id, departs_at=departs_at, booked_kg=booked_kg, parcels=parcels
                )

    def _first_full(self, route: Route) -> Leg | None:
        for leg in route.line_haul:
            key = _key(leg)
            added = self.added.get(key, (0,))[0]
            capacity = self.lanes[leg.lane_id].capacity_kg
            if self.rows[key].booked_kg + added + leg.chargeable_weight_kg > capacity:
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
            bookings[index] = self.rows[key].pk
        return bookings


def departures_book(planner: Planner, shipment: Shipment, quote: Quote) -> Booked | None:
    """Book one shipment's route (a re-plan), in the caller's transaction; None when nothing fits."""
    departures = Departures(planner)
    booked = departures.book([(shipment, quote)])[shipment.pk]
    departures.save()
    return booked


def delay_to_miss(planner: Planner, route: Route, full: Leg, lane: LaneData) -> timedelta:
    """How much later the parcel must be ready to miss the full departure (and so take a later one)."""
    index = route.legs.index(full)
    if index == 0:  # a route re-planned from a hub (`at_hub`): the parcel is ready there already
        ready_at_hub = route.ready_at
    else:
        previous = route.legs[index - 1]
        ready_at_hub = previous.arrives_at + timedelta(hours=planner.hubs[full.from_hub].dwell_hours())
    slack = full.departs_at - timedelta(hours=lane.cutoff_hours) - ready_at_hub
    return max(slack, timedelta(0)) + timedelta(minutes=1)


def routes(quote: Quote) -> Sequence[Route]:
    """The quote's route, then its alternatives."""
    assert quote.route is not None
    return (quote.route, *quote.alternatives)


def _key(leg: Leg) -> Departure:
    assert leg.lane_id is not None
    return (leg.lane_id, leg.departs_at)


def leg_rows(
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


def hubs_of(routes_: Sequence[Route]) -> dict[str, Hub]:
    """The hubs the routes' legs start or end at, by code (one query)."""
    codes = {code for route in routes_ for leg in route.legs for code in (leg.from_hub, leg.to_hub) if code}
    return {hub.code: hub for hub in Hub.objects.filter(code__in=codes)} if codes else {}


def legs_write(
    shipment: Shipment, route: Route, bookings: dict[int, int], *, after_sequence: int = 0
) -> None:
    """Write the route's legs numbered from `after_sequence + 1` (re-routing keeps the legs travelled)."""
    ShipmentLeg.objects.bulk_create(
        leg_rows(shipment, route, bookings, hubs_of([route]), after_sequence=after_sequence)
    )


def bookings_release(shipment: Shipment, *, after_sequence: int = 0) -> None:
    """Give back the capacity booked by the shipment's legs (those after `after_sequence` only)."""
    legs = list(shipment.legs.exclude(booking=None).filter(sequence__gt=after_sequence))
    for leg in legs:
        DepartureBooking.objects.filter(pk=leg.booking_id).update(
            booked_kg=F("booked_kg") - leg.chargeable_weight_kg, parcels=F("parcels") - 1
        )
    ShipmentLeg.objects.filter(pk__in=[leg.pk for leg in legs]).update(booking=None)

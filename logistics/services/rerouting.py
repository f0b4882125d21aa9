"""Re-routing around a suspended hub or a closed lane, and releasing the parcels that had to wait.

A shipment not yet handed over simply goes back to routing. A parcel in transit is re-planned from
where it is now: the legs it has travelled and the one it is on stay (the simulation has written
their events), the rest give back their bookings and are replaced by a route the planner finds
from the next hub it will be at (`QuoteRequest(at_hub=True)`), numbered after the kept legs. The
simulation's milestones are computed from all legs, so the milestones already written stay the
same prefix and the tick neither repeats nor skips an event.

When that next hub is the suspended one, or no path avoids the outage, the parcel waits there:
its remaining legs are dropped (it still arrives and is sorted), `waiting_at_hub` is set and the
tick leaves it once those events are written. Resuming a hub or reopening a lane re-plans every
waiting parcel from its hub (`shipments_release_waiting`).

The promise (`promised_delivery`) never moves; `eta` follows the new plan, so `is_late` shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop  # events: English msgids, translated when shown

from logistics import jobs
from logistics.clock import simulation_now
from logistics.models import (
    Hub,
    HubStatus,
    Lane,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingStatus,
)
from logistics.routing.model import LegKind
from logistics.selectors import network as network_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services.bookings import bookings_release, departures_book, legs_write
from logistics.services.timelines import shipment_timeline
from logistics.services.tracking import shipment_transition, tracking_event_record
from logistics.simulation.timeline import Milestone

logger = logging.getLogger(__name__)

HUB_OUTAGE, LANE_CLOSED, HUB_REOPENED = "hub_outage", "lane_closed", "hub_reopened"
WAITING = "waiting_hub_outage"


@dataclass(frozen=True)
class _Cause:
    substatus: str  # hub_outage | lane_closed | hub_reopened
    reason: str  # hub_suspended | lane_inactive | network_reopened
    hub: Hub | None = None  # the hub avoided (hub outage): shown on the event and the notice
    description: str = ""


@dataclass
class _Position:
    """Where an in-transit parcel is: the legs kept, and the next hub it will be (or is) at."""

    legs: list[ShipmentLeg]
    kept: list[ShipmentLeg]  # travelled, and the one it is on
    remaining: list[ShipmentLeg]
    hub: Hub  # the end of the leg it is on
    ready_at: datetime  # the earliest it can leave that hub
    milestones: list[Milestone]


def _position(shipment: Shipment, *, now: datetime) -> _Position | None:
    """None once the parcel is out for delivery (nothing left to re-plan)."""
    legs = list(shipment.legs.select_related("from_hub", "to_hub").order_by("sequence"))
    if not legs:
        return None
    started = [leg for leg in legs if leg.actual_departure is not None]
    current = started[-1] if started else legs[0]
    if current.kind == LegKind.LAST_MILE or current.to_hub is None:
        return None
    milestones = shipment_timeline(shipment, legs)
    arrival = next(
        (m.at for m in milestones if m.key == f"{current.sequence}:arrived"), current.planned_arrival
    )
    hub = current.to_hub
    return _Position(
        legs=legs,
        kept=[leg for leg in legs if leg.sequence <= current.sequence],
        remaining=[leg for leg in legs if leg.sequence > current.sequence],
        hub=hub,
        ready_at=max(now, arrival + timedelta(hours=hub.handling_hours)),
        milestones=milestones,
    )


def _replan_in_transit(shipment: Shipment, position: _Position, *, cause: _Cause, now: datetime) -> str:
    """Replace the remaining legs with a route from the position's hub, or hold the parcel there.
    Returns `rerouted` or `waiting`. The caller holds the shipment's lock."""
    after = position.kept[-1].sequence
    bookings_release(shipment, after_sequence=after)
    ShipmentLeg.objects.filter(shipment=shipment, sequence__gt=after).delete()
    booked = None
    if position.hub.status != HubStatus.SUSPENDED:
        planner = network_selectors.planner()
        quote = planner.quote(
            shipment_selectors.shipment_quote_request(
                shipment, ready_at=position.ready_at, origin_hub=position.hub.code, at_hub=True
            )
        )
        if quote.found:
            booked = departures_book(planner, shipment, quote)
    if booked is not None:
        route, bookings = booked
        legs_write(shipment, route, bookings, after_sequence=after)
    legs = list(shipment.legs.select_related("from_hub", "to_hub").order_by("sequence"))
    milestones = shipment_timeline(shipment, legs)
    step = shipment.simulation_step
    # The events already written must stay the same prefix (a parcel waiting at its destination
    # hub loses the not-yet-relevant tail until its last mile is planned again).
    kept = [m.key for m in milestones[:step]]
    if kept != [m.key for m in position.milestones[: len(kept)]]:
        logger.error("re-routing shipment %s changed its written milestones", shipment.pk)
    shipment.next_event_at = milestones[step].at if step < len(milestones) else None
    delivered = milestones[-1] if milestones[-1].status == TrackingStatus.DELIVERED else None
    shipment.eta = delivered.at if delivered else None
    if booked is None:
        shipment.waiting_at_hub = position.hub
        tracking_event_record(
            shipment=shipment,
            status=TrackingStatus.EXCEPTION,
            substatus=WAITING,
            reason=cause.reason,
            hub=position.hub,
            description=gettext_noop("Waiting at %(hub)s until the network reopens a route.")
            % {"hub": position.hub.city},
            occurred_at=now,
            dedupe_key=f"{shipment.pk}:waiting:{after}:{now.isoformat()}",
        )
        outcome = "waiting"
    else:
        shipment.waiting_at_hub = None
        cities = " → ".join(leg.to_hub.city for leg in legs if leg.sequence > after and leg.to_hub)
        if cause.substatus == HUB_REOPENED:
            text = gettext_noop("The network reopened; on its way again")
        else:
            text = cause.description
        assert delivered is not None  # a planned route ends at the door
        when = delivered.at.date().isoformat()
        tracking_event_record(
            shipment=shipment,
            status=TrackingStatus.IN_TRANSIT if cause.substatus == HUB_REOPENED else TrackingStatus.REROUTED,
            substatus=cause.substatus,
            reason=cause.reason,
            hub=position.hub if cause.substatus == HUB_REOPENED else cause.hub,
            description=gettext_noop("%(text)s: now via %(route)s, expected %(date)s.")
            % {"text": text, "route": cities or position.hub.city, "date": when},
            occurred_at=now,
            dedupe_key=f"{shipment.pk}:{cause.substatus}:{after}:{now.isoformat()}",
        )
        outcome = "rerouted"
    shipment.save(update_fields=["next_event_at", "eta", "waiting_at_hub", "updated_at"])
    return outcome


def _send_back_to_routing(shipment: Shipment, *, cause: _Cause, now: datetime) -> None:
    """Not handed over yet: drop the plan and route again from scratch (today's behaviour)."""
    shipment_transition(
        shipment,
        ShipmentStatus.ROUTING,
        tracking_status=TrackingStatus.REROUTED,
        substatus=cause.substatus,
        reason=cause.reason,
        description=gettext_noop("%(text)s; finding another route.") % {"text": cause.description},
        key=f"rerouted:{shipment.routing_attempts}",
        occurred_at=now,
    )
    bookings_release(shipment)
    shipment.legs.all().delete()  # the plan, not history: the events keep what happened
    shipment.routing_requested_at = now
    shipment.save(update_fields=["status", "routing_requested_at", "updated_at"])
    jobs.route_shipment(shipment.pk)


Uses = Callable[[Shipment, "_Position | None", list[ShipmentLeg]], bool]


def _reroute(ids: Iterable[int], *, uses: Uses, cause: _Cause, now: datetime | None) -> int:
    """Re-route each shipment in `ids` whose legs still to go `uses(...)` the closed part, one short
    transaction each (a tick holding one only delays it). Returns how many changed."""
    sim_now = now or simulation_now()
    counts = {"routing": 0, "rerouted": 0, "waiting": 0}
    for pk in sorted(set(ids)):
        with transaction.atomic():
            shipment = (
                Shipment.objects.select_for_update()
                .filter(pk=pk, status__in=[ShipmentStatus.ROUTED, ShipmentStatus.IN_TRANSIT])
                .first()
            )
            if shipment is None:
                continue
            if shipment.status == ShipmentStatus.ROUTED:
                if uses(shipment, None, list(shipment.legs.all())):
                    _send_back_to_routing(shipment, cause=cause, now=now or timezone.now())
                    counts["routing"] += 1
                continue
            position = _position(shipment, now=sim_now)
            if position is None or not uses(shipment, position, position.remaining):
                continue  # out for delivery, already past it, or waiting there already
            counts[_replan_in_transit(shipment, position, cause=cause, now=sim_now)] += 1
    logger.info("re-routing (%s): %s", cause.reason, counts)
    return sum(counts.values())


def shipments_reroute_around_hub(*, hub_id: int, now: datetime | None = None) -> int:
    """A hub was suspended (run by the `route_around_hub` job after commit): shipments not handed
    over go back to routing; parcels in transit whose remaining legs use the hub are re-planned
    from their next hub, or wait there (at the suspended hub itself, or when no path avoids it).
    Parcels past the hub, and those reaching it only after it is expected back (`status_until`),
    are left alone. Returns how many shipments it changed."""
    hub = Hub.objects.get(pk=hub_id)
    if hub.status != HubStatus.SUSPENDED:
        return 0  # resumed before the job ran: nothing to avoid
    # Legs still to go through the hub: past parcels (and those already held there) are not locked.
    ids = (
        ShipmentLeg.objects.filter(
            Q(from_hub_id=hub_id, actual_departure__isnull=True)
            | Q(to_hub_id=hub_id, actual_arrival__isnull=True)
        )
        .filter(shipment__status__in=[ShipmentStatus.ROUTED, ShipmentStatus.IN_TRANSIT])
        .values_list("shipment_id", flat=True)
    )

    reopens = hub.status_until
    sim_now = now or simulation_now()

    def reaches_it_after_reopening(legs: list[ShipmentLeg]) -> bool:
        """The parcel gets to the hub only once operators expect it back: it keeps its route (a
        detour onto a lane twice a week would cost it more than the outage). Once that time has
        passed with the hub still closed, nobody knows when it reopens: re-route as usual."""
        if reopens is None or reopens <= sim_now:
            return False
        times = [
            leg.planned_arrival for leg in legs if leg.to_hub_id == hub_id and leg.actual_arrival is None
        ]
        times += [
            leg.planned_departure
            for leg in legs
            if leg.from_hub_id == hub_id and leg.actual_departure is None
        ]
        return bool(times) and min(times) >= reopens

    def uses(shipment: Shipment, position: _Position | None, legs: list[ShipmentLeg]) -> bool:
        if reaches_it_after_reopening(position.legs if position is not None else legs):
            return False
        if position is not None and position.hub.pk == hub_id:
            # Heading to or at the suspended hub: it waits there (unless it waits there already).
            return bool(position.remaining) or shipment.waiting_at_hub_id != hub_id
        return any(hub_id in (leg.from_hub_id, leg.to_hub_id) for leg in legs)

    cause = _Cause(
        HUB_OUTAGE,
        "hub_suspended",
        hub,
        gettext_noop("%(hub)s is out of service") % {"hub": hub.city},
    )
    return _reroute(list(ids), uses=uses, cause=cause, now=now)


def shipments_reroute_around_lane(*, lane_id: int, now: datetime | None = None) -> int:
    """A lane was deactivated (the `route_around_lane` job): shipments whose remaining legs take it
    are re-planned like around a suspended hub — a parcel at the lane's origin is diverted from
    there. Returns how many shipments it changed."""
    lane = Lane.objects.select_related("origin", "destination", "carrier").get(pk=lane_id)
    if lane.is_active and (lane.carrier is None or lane.carrier.is_active):
        return 0  # reopened (or its carrier resumed) before the job ran
    ids = (
        shipment_selectors.legs_to_go_on_lanes().filter(lane_id=lane_id).values_list("shipment_id", flat=True)
    )

    def uses(shipment: Shipment, position: _Position | None, legs: list[ShipmentLeg]) -> bool:
        return any(leg.lane_id == lane_id for leg in legs)

    places = {"origin": lane.origin.city, "destination": lane.destination.city}
    if lane.is_active:  # the lane is open, its carrier is not
        why = gettext_noop("The carrier of %(origin)s → %(destination)s is suspended") % places
    else:
        why = gettext_noop("The connection %(origin)s → %(destination)s is closed") % places
    cause = _Cause(LANE_CLOSED, "lane_inactive", None, why)
    return _reroute(list(ids), uses=uses, cause=cause, now=now)


def shipments_reroute_around_carrier(*, carrier_id: int, now: datetime | None = None) -> int:
    """A carrier was suspended (the `route_around_carrier` job): every lane it operates is treated as
    closed — the shipments still to take one are re-planned on other carriers' lanes."""
    lane_ids = list(Lane.objects.filter(carrier_id=carrier_id).order_by("pk").values_list("pk", flat=True))
    return sum(shipments_reroute_around_lane(lane_id=lane_id, now=now) for lane_id in lane_ids)


def shipments_release_waiting(*, now: datetime | None = None) -> int:
    """A hub resumed or a lane reopened (the `route_waiting_shipments` job): every parcel waiting at
    a hub is re-planned from there, ready now at the earliest; those still without a path keep
    waiting. Returns how many moved on."""
    now = now or simulation_now()
    released = 0
    ids = list(
        Shipment.objects.filter(status=ShipmentStatus.IN_TRANSIT, waiting_at_hub__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            shipment = (
                Shipment.objects.select_for_update()
                .filter(pk=pk, status=ShipmentStatus.IN_TRANSIT, waiting_at_hub__isnull=False)
                .first()
            )
            if shipment is None:
                continue
            position = _position(shipment, now=now)
            if position is None or position.hub.status == HubStatus.SUSPENDED:
                continue
            released += _try_release(shipment, position, now=now)
    return released


def _try_release(shipment: Shipment, position: _Position, *, now: datetime) -> int:
    """Re-plan a waiting parcel in a savepoint: if still no path, nothing changes (no new event)."""
    sid = transaction.savepoint()
    outcome = _replan_in_transit(
        shipment, position, cause=_Cause(HUB_REOPENED, "network_reopened", None), now=now
    )
    if outcome == "waiting":
        transaction.savepoint_rollback(sid)
        shipment.refresh_from_db()
        return 0
    transaction.savepoint_commit(sid)
    return 1


def shipments_sweep_outages(*, now: datetime | None = None) -> int:
    """Beat, every few minutes: do what a job that gave up (or a worker lost) would have done:
    re-run re-routing around every suspended hub, closed lane and suspended carrier's lane that
    planned legs still use, and
    release parcels waiting at hubs that are open again. Every step is idempotent; returns how
    many shipments changed."""
    now = now or simulation_now()
    changed = 0
    for hub_id in Hub.objects.filter(status=HubStatus.SUSPENDED).values_list("pk", flat=True):
        changed += shipments_reroute_around_hub(hub_id=hub_id, now=now)
    closed = (
        shipment_selectors.legs_to_go_on_lanes()
        .filter(Q(lane__is_active=False) | Q(lane__carrier__is_active=False))
        .values_list("lane_id", flat=True)
    )
    for lane_id in sorted(set(closed)):
        changed += shipments_reroute_around_lane(lane_id=lane_id, now=now)
    waiting = Shipment.objects.filter(status=ShipmentStatus.IN_TRANSIT, waiting_at_hub__isnull=False)
    if waiting.exclude(waiting_at_hub__status=HubStatus.SUSPENDED).exists():
        changed += shipments_release_waiting(now=now)
    return changed

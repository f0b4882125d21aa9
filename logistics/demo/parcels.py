"""Demo orders already in flight, so a newcomer sees parcels moving within a minute of `make run`.

Each slot is a real order from a demo buyer to a demo shop, placed, paid with the sandbox card,
routed and handed over through the services, then played forward by the simulation: one parcel
waits for its seller to hand it over, others are just picked up, at a transit hub, in import
customs, out for delivery, or delivered (escrow released).

To land each parcel at its stage at the same moment, the seed picks each one's hand-over time:
it plans the route (the pure planner, no writes) for candidate times and reads the parcel's
timeline at the target moment `F`, then routes and hands over at the chosen time, advances the
simulation to `F` and moves the simulation clock there (never back). The ticks carry on from `F`.

Needs a simulated clock (`EWTP_SIM_SPEED` other than 1; `bin/run-demo` sets 600): in real time
the played-forward events would lie in the future. Idempotent: a slot is found by its buyer and
its address line (a natural key) and never placed twice; a second run only prints the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction

from ewtp.exceptions import DomainError
from logistics.clock import simulation_clock_set, simulation_now
from logistics.models import Hub, Shipment
from logistics.routing.model import Route
from logistics.routing.promise import promised_delivery
from logistics.selectors import network as network_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from logistics.services.timelines import hold_days, pre_declared
from logistics.simulation.timeline import HubInfo, Milestone, PlannedLeg, timeline
from marketplace.models import Consignment, CustomsDeclaration, Listing, Order, User
from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place

SANDBOX_CARD = "4242 4242 4242 4242"  # the sandbox gateway's card that pays

# Stages, in journey order; `to_hand_over` is routed and waits for its seller.
TO_HAND_OVER, PICKED_UP, TRANSIT_HUB, IMPORT_CUSTOMS, OUT_FOR_DELIVERY, DELIVERED = (
    "to_hand_over",
    "picked_up",
    "transit_hub",
    "import_customs",
    "out_for_delivery",
    "delivered",
)
STAGE_LABELS = {
    TO_HAND_OVER: "routed, waiting for the seller to hand it over",
    PICKED_UP: "just picked up",
    TRANSIT_HUB: "at a transit hub",
    IMPORT_CUSTOMS: "in import customs",
    OUT_FOR_DELIVERY: "out for delivery",
    DELIVERED: "delivered (escrow released)",
}


@dataclass(frozen=True)
class Slot:
    stage: str
    buyer: str
    seller: str
    line1: str  # with the buyer, the slot's natural key
    city: str
    postal_code: str
    phone: str


SLOTS = (
    Slot(
        DELIVERED,
        "buyer-ke",
        "seller-cn",
        "Demo parcel 1, Moi Avenue 12",
        "Nairobi",
        "00100",
        "+254 700 000001",
    ),
    Slot(
        OUT_FOR_DELIVERY,
        "buyer-be",
        "seller-th",
        "Demo parcel 2, Rue Léopold 3",
        "Liège",
        "4000",
        "+32 4 000 00 02",
    ),
    Slot(
        IMPORT_CUSTOMS,
        "buyer-be",
        "seller-my",
        "Demo parcel 3, Rue Féronstrée 7",
        "Liège",
        "4000",
        "+32 4 000 00 03",
    ),
    Slot(
        TRANSIT_HUB,
        "buyer-ke",
        "seller-cn2",
        "Demo parcel 4, Ngong Road 40",
        "Nairobi",
        "00100",
        "+254 700 000004",
    ),
    Slot(
        PICKED_UP,
        "buyer-be",
        "seller-id",
        "Demo parcel 5, Place Saint-Lambert 9",
        "Liège",
        "4000",
        "+32 4 000 00 05",
    ),
    Slot(
        TO_HAND_OVER,
        "buyer-be",
        "seller-cn",
        "Demo parcel 6, Boulevard d'Avroy 20",
        "Liège",
        "4000",
        "+32 4 000 00 06",
    ),
)

COARSE, FINE = timedelta(hours=3), timedelta(minutes=20)
# How long (simulated) after the seed's moment each parcel's next event comes: at EWTP_SIM_SPEED
# 600 two simulated hours are 12 real seconds, so parcels move on the first ticks.
LEAD = timedelta(hours=2)


def seed_parcels(log: Callable[[str], None]) -> None:
    if not settings.EWTP_DEMO_ACCOUNTS:
        return
    if settings.EWTP_SIM_SPEED == 1:
        log("parcels in flight: skipped (the simulation runs in real time; bin/run-demo sets EWTP_SIM_SPEED)")
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in={s.buyer for s in SLOTS} | {s.seller for s in SLOTS})
    }
    if len(users) < len({s.buyer for s in SLOTS} | {s.seller for s in SLOTS}):
        log("parcels in flight: skipped (demo accounts missing)")
        return
    with transaction.atomic():
        new = [slot for slot in SLOTS if _existing(slot, users) is None]
        if new:
            _play(new, users, log)
    for slot in SLOTS:
        order = _existing(slot, users)
        shipment = Shipment.objects.filter(consignment__order=order).first() if order else None
        if shipment is not None:
            stage = STAGE_LABELS[slot.stage]
            number = shipment.tracking_number
            log(f"parcel {number} ({slot.seller} → {slot.buyer}, {stage}): /track/{number}/")


def _existing(slot: Slot, users: dict[str, User]) -> Order | None:
    return Order.objects.filter(buyer=users[slot.buyer], ship_to_line1=slot.line1).first()


def _listing(seller: User) -> Listing:
    """The shop's first listing (by title) with stock to spare: the same one every run."""
    return (
        Listing.objects.filter(shop__owner=seller, is_active=True, stock__gte=2)
        .order_by("title", "pk")
        .first()
    )


def _place_and_pay(slot: Slot, users: dict[str, User]) -> Shipment:
    buyer = users[slot.buyer]
    listing = _listing(users[slot.seller])
    order = order_place(
        buyer=buyer,
        items=[CheckoutItem(listing=listing, quantity=1)],
        ship_to=ShipTo(
            name=buyer.get_full_name() or buyer.username,
            line1=slot.line1,
            city=slot.city,
            postal_code=slot.postal_code,
            country=str(buyer.country),
            phone=slot.phone,
        ),
        currency=buyer.display_currency or "EUR",
        preference="fastest",
    )
    order_pay(order=order, card_number=SANDBOX_CARD, actor=buyer)
    if slot.stage == IMPORT_CUSTOMS:
        # The demo shows the other path too: a declaration customs found wanting, so the parcel is
        # inspected (a complete one clears in minutes and is hardly ever seen "in customs").
        CustomsDeclaration.objects.filter(consignment__order=order).update(
            complete=False, problems=["demo: the invoice value did not match the order"]
        )
    return Shipment.objects.select_related("consignment").get(consignment__order=order)


def _play(slots: list[Slot], users: dict[str, User], log: Callable[[str], None]) -> None:
    start = simulation_now()
    shipments = []
    for slot in slots:
        try:
            with transaction.atomic():  # a savepoint: one order the database refuses skips its slot
                shipments.append((slot, _place_and_pay(slot, users)))
        except (DomainError, DatabaseError) as exc:
            log(f"parcel for {slot.buyer} from {slot.seller} not placed: {exc}")
    hubs = {hub.code: hub for hub in Hub.objects.all()}
    # The moment every parcel is at its stage: after the longest journey, planned from now.
    trips = [_milestones(shipment, start, hubs) for _slot, shipment in shipments]
    target = max([ms[-1].at for ms in trips if ms] or [start]) + timedelta(hours=1)
    target = _delivery_soon_after(shipments, start, target, hubs)
    for slot, shipment in shipments:
        if slot.stage == TO_HAND_OVER:
            shipment_route(shipment_id=shipment.pk, now=target)
            continue
        handed_over_at = _hand_over_time(slot.stage, shipment, start, target, hubs)
        if shipment_route(shipment_id=shipment.pk, now=handed_over_at) != "routed":
            continue
        shipment_hand_over(consignment=shipment.consignment, actor=users[slot.seller], now=handed_over_at)
    while shipments_advance(now=target):  # until a tick finds nothing left to write by `target`
        continue
    simulation_clock_set(simulated_at=target)
    _promise_as_if_ordered_when_handed_over([shipment for _slot, shipment in shipments])


def _promise_as_if_ordered_when_handed_over(shipments: list[Shipment]) -> None:
    """The demo places every order at the start and hands parcels over days later to land them at
    their stages; a buyer would have ordered just before the hand-over. So each demo parcel is
    promised what its plan would have been promised then: on time, as most parcels are."""
    for shipment in (
        Shipment.objects.filter(pk__in=[s.pk for s in shipments], eta__isnull=False)
        .select_related("consignment")
        .prefetch_related("legs")
    ):
        route_end = max(shipment.legs.all(), key=lambda leg: leg.sequence)
        promise = promised_delivery(
            shipment.eta,
            zone=route_end.from_hub.timezone,
            buffer=timedelta(hours=settings.EWTP_PROMISE_BUFFER_HOURS),
        )
        Shipment.objects.filter(pk=shipment.pk).update(promised_delivery=promise)
        Consignment.objects.filter(pk=shipment.consignment_id).update(promised_delivery=promise)


def _delivery_soon_after(
    shipments: list[tuple[Slot, Shipment]], start: datetime, target: datetime, hubs: dict[str, Hub]
) -> datetime:
    """Move the seed's moment (only later) so the parcel out for delivery is delivered `LEAD` after
    it: a stage fixed by scheduled departures cannot be timed by the hand-over alone."""
    slot_shipment = next(((sl, sh) for sl, sh in shipments if sl.stage == OUT_FOR_DELIVERY), None)
    if slot_shipment is None:
        return target
    at = start
    while at < target:
        milestones = _milestones(slot_shipment[1], at, hubs)
        if milestones and milestones[-1].at - LEAD >= target:
            return milestones[-1].at - LEAD
        at += COARSE
    return target


def _route(shipment: Shipment, ready_at: datetime) -> Route | None:
    quote = network_selectors.planner().quote(
        shipment_selectors.shipment_quote_request(shipment, ready_at=ready_at)
    )
    return quote.route


def _milestones(shipment: Shipment, handed_over_at: datetime, hubs: dict[str, Hub]) -> list[Milestone]:
    """The parcel's timeline if routed and handed over at `handed_over_at` (what the services would
    write: the same planner, the same pure timeline)."""
    route = _route(shipment, handed_over_at)
    if route is None:
        return []

    def info(code: str | None) -> HubInfo | None:
        hub = hubs.get(code) if code else None
        return (
            HubInfo(hub.code, hub.timezone, hub.handling_hours, hub.import_clearance_hours) if hub else None
        )

    legs = [
        PlannedLeg(
            n + 1, leg.kind.value, info(leg.from_hub), info(leg.to_hub), leg.departs_at, leg.arrives_at
        )
        for n, leg in enumerate(route.legs)
    ]
    crosses = shipment.origin_country != shipment.destination_country
    declared = pre_declared(shipment)
    return timeline(
        legs,
        handed_over_at=handed_over_at,
        crosses_border=crosses,
        hold_days=hold_days(shipment, crosses, declared),
        pre_declared=declared,
    )


def _at_stage(stage: str, milestones: list[Milestone]) -> set[int]:
    """Indices of the milestones that, as the latest one passed, put the parcel at `stage`."""
    if stage == PICKED_UP:
        return {-1}
    if stage == DELIVERED:
        return {i for i, m in enumerate(milestones) if m.substatus == "signed"}
    if stage == OUT_FOR_DELIVERY:
        return {i for i, m in enumerate(milestones) if m.substatus == "last_mile_handover"}
    if stage == IMPORT_CUSTOMS:
        return {i for i, m in enumerate(milestones) if m.substatus in ("import_presented", "held")}
    # A transit hub: arrived or sorted at a hub that is neither the drop-off nor the destination
    # e-hub; a direct route has none, then the parcel is on its line haul.
    arrivals = [m.hub for m in milestones if m.substatus in ("hub_arrival", "destination_ehub")]
    transit = set(arrivals[1:-1])
    found = {
        i for i, m in enumerate(milestones) if m.hub in transit and m.substatus in ("hub_arrival", "sorted")
    }
    return found or {i for i, m in enumerate(milestones) if m.substatus == "hub_departure"}


def _position(stage: str, milestones: list[Milestone], target: datetime) -> int:
    """-1: the parcel has not reached `stage` at `target`; 0: it is there; 1: it is past it."""
    wanted = _at_stage(stage, milestones)
    latest = sum(1 for m in milestones if m.at <= target) - 1
    if not milestones or latest in wanted:
        return 0
    return -1 if latest < min(wanted) else 1


def _hand_over_time(
    stage: str, shipment: Shipment, start: datetime, target: datetime, hubs: dict
) -> datetime:
    """A hand-over time in [start, target) that has the parcel at `stage` at `target`, close to the
    earliest one, so its next event comes within minutes of real time (`LEAD` simulated): earlier
    hand-overs only move a parcel further (departures are first-in, first-out). A delivered parcel
    is delivered lately."""

    def position(at: datetime) -> int:
        return _position(stage, _milestones(shipment, at, hubs), target)

    at, step, latest = target - timedelta(minutes=30), COARSE, None
    while at > start:
        found = position(at)
        if found == 0:
            latest = at
            break
        if found > 0:  # went past it: come back and look closer
            if step == FINE:
                return at + step
            at += step
            step = FINE
        at -= step
    if latest is None:
        return start
    if stage == DELIVERED:
        return latest
    earliest = latest
    while earliest - FINE > start and position(earliest - FINE) == 0:
        earliest -= FINE
    return min(earliest + LEAD, latest)

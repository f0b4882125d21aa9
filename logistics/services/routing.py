"""Routing jobs: plan shipments, book capacity on their departures, write their legs once.

One path, for a batch of shipments or a batch of one (`shipment_route`), on PostgreSQL and on the
zero-configuration SQLite demo alike. Idempotent and safe to run twice at once, in two transactions
whatever the batch size:

1. claim: one `SELECT … FOR UPDATE SKIP LOCKED` takes the shipments still waiting for a route (one
   locked elsewhere is being routed or cancelled by that holder, or is swept later), marks them
   `routing` in one UPDATE and appends their `routing` events in one INSERT — so a crash after this
   is visible, and the sweeper asks again;
2. the planner runs outside any lock, once per distinct request (a batch paid in the same minute
   asks the same questions);
3. write: the shipments are locked again in id order and those no longer `routing` are skipped;
   their departures are booked (`logistics.services.bookings`), all legs written with one INSERT,
   the events with one INSERT and the shipments with one `bulk_update` — or marked `exception` with
   the reason when nothing fits.

The legs' unique (shipment, sequence) constraint is the last line: if it ever fires, the batch rolls
back and each shipment is routed as a batch of its own, so one bad row cannot hold the others back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import (
    gettext_noop,  # events: English msgids, translated when shown
    override,
)

from ewtp.db import unnest_update
from logistics.clock import simulation_now
from logistics.models import (
    AWAITING_ROUTE,
    ExceptionReason,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.routing.model import LegKind, NoRouteReason, Quote, QuoteRequest, Route
from logistics.routing.planner import Planner
from logistics.selectors import network as network_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services.bookings import (
    Departures,
    bookings_release,
    departures_book,
    hubs_of,
    leg_rows,
    legs_write,
)
from logistics.services.parcel_emails import parcel_email_warranted, parcel_emails_schedule
from logistics.services.tracking import shipment_transition_event
from logistics.services.webhook_events import SHIPMENT_EVENTS, tracking_webhooks_schedule
from marketplace.services.webhooks import webhooks_wanted

logger = logging.getLogger(__name__)


def shipment_route(*, shipment_id: int, now: datetime | None = None) -> str:
    """Route one shipment: a batch of one (`shipments_route`); returns its outcome."""
    return shipments_route(shipment_ids=[shipment_id], now=now)[shipment_id]


def shipments_route(*, shipment_ids: Iterable[int], now: datetime | None = None) -> dict[int, str]:
    """Plan, book and write the routes of these shipments once; returns what happened to each (for
    logs and tests): `routed`, `exception`, `missing`, `skipped:<status>` when it needed no route,
    or `skipped:locked` for one another transaction held at the claim. Plans from simulated time
    (`simulation_now`: real time unless `EWTP_SIM_SPEED` runs a faster clock), the time the hand-over
    and the simulation's ticks use too."""
    ids = sorted(set(shipment_ids))
    now = now or simulation_now()
    outcome: dict[int, str] = {}
    claimed = _claim(ids, now=now, outcome=outcome)
    if not claimed:
        return outcome
    planner = network_selectors.planner()
    quotes = _plan(planner, claimed, now=now)
    try:
        with transaction.atomic():
            _book_and_write(planner, quotes, now=now, outcome=outcome)
    except IntegrityError:
        if len(quotes) == 1:
            logger.exception("shipment %s could not be routed", next(iter(quotes)))
            outcome.update(dict.fromkeys(quotes, "error"))
            return outcome
        logger.warning("routing refused by a constraint; routing %s one by one", len(quotes), exc_info=True)
        for pk in quotes:
            outcome.update(shipments_route(shipment_ids=[pk], now=now))
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
                description=gettext_noop("Planning the route through the e-hub network."),
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

    departures = Departures(planner)
    booked = departures.book(todo)
    departures.save()

    routed = [(shipment, booked[shipment.pk]) for shipment, _quote in todo if booked.get(shipment.pk)]
    no_route += [
        (shipment, ExceptionReason.NO_CAPACITY) for shipment, _quote in todo if not booked.get(shipment.pk)
    ]
    hubs = hubs_of([route for _shipment, (route, _b) in routed])
    ShipmentLeg.objects.bulk_create(
        [row for shipment, (route, bookings) in routed for row in leg_rows(shipment, route, bookings, hubs)]
    )
    events = []
    for shipment, (route, _bookings) in routed:
        events.append(
            shipment_transition_event(
                shipment,
                ShipmentStatus.ROUTED,
                tracking_status=TrackingStatus.INFO_RECEIVED,
                substatus="route_planned",
                description=route_planned(route),
                key=f"routed:{shipment.routing_attempts}",
                occurred_at=now,
            )
        )
        route_apply(shipment, route, now=now, planner=planner)
        outcome[shipment.pk] = "routed"
    for shipment, reason in no_route:
        events.append(no_route_event(shipment, reason=reason, now=now))
        outcome[shipment.pk] = "exception"
    stamp = timezone.now()
    changed = [shipment for shipment, _b in routed] + [shipment for shipment, _r in no_route]
    for shipment in changed:
        shipment.updated_at = stamp
    # One statement for the batch (`bulk_update`'s CASE per row and field cost more than routing).
    rows = [(shipment.pk, *(getattr(shipment, name) for name in ROUTED_FIELDS)) for shipment in changed]
    unnest_update(Shipment, ROUTED_FIELDS, rows)
    _insert_events(events)


def route_planned(route: Route) -> str:
    """The `route_planned` event's description."""
    return gettext_noop("Route planned: %(route)s.") % {"route": " → ".join(route.hubs)}


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


def route_apply(shipment: Shipment, route: Route, *, now: datetime, planner: Planner | None = None) -> None:
    """The route's ETA on the shipment; saved by the caller (`ROUTED_FIELDS`). The promise is not
    routing's: it was made at the quote and frozen at payment. A shipment without one (made before
    promises were frozen) is promised what its first plan gives."""
    shipment.routed_at = now
    shipment.eta = route.estimated_delivery
    if shipment.promised_delivery is None:
        shipment.promised_delivery = network_selectors.delivery_promise(route, using=planner)
    shipment.chargeable_weight_kg = route.chargeable_weight_kg
    shipment.exception_reason = ""
    shipment.exception_detail = ""


def no_route_event(shipment: Shipment, *, reason: ExceptionReason, now: datetime) -> TrackingEvent:
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


def _no_route_detail(shipment: Shipment, reason: ExceptionReason) -> str:
    if reason == ExceptionReason.NO_CAPACITY:
        return gettext_noop(
            "Every departure that could carry this parcel is full; operators will add capacity."
        )
    origin, destination = shipment.origin_country.code, shipment.destination_country.code
    with override("en"):  # stored as the catalogue's msgid; translated when shown
        return network_selectors.no_route_message(NoRouteReason(reason.value), origin, destination)


def _insert_events(events: list[TrackingEvent]) -> None:
    """One INSERT … ON CONFLICT DO NOTHING; the rows it really inserted (those recorded from now on:
    a duplicate key keeps its older row) that warrant an e-mail go to the parcel e-mails."""
    if not events:
        return
    started = timezone.now()
    TrackingEvent.objects.bulk_create(events, ignore_conflicts=True)
    if webhooks_wanted(SHIPMENT_EVENTS):  # integrators are told of every event written
        written = TrackingEvent.objects.filter(
            dedupe_key__in=[e.dedupe_key for e in events], recorded_at__gte=started
        )
        tracking_webhooks_schedule(list(written.values_list("pk", flat=True)))
    keys = [event.dedupe_key for event in events if parcel_email_warranted(event.status, event.substatus)]
    if not keys:  # routing's own events warrant none: no query
        return
    inserted = TrackingEvent.objects.filter(dedupe_key__in=keys, recorded_at__gte=started)
    parcel_emails_schedule(list(inserted.values_list("pk", flat=True)), warranted=True)


# --- A parcel handed over after its booked departure ------------------------------------------------


def replan_if_late_for_departure(shipment: Shipment, *, now: datetime) -> bool:
    """The route was planned when the order was paid, as if the parcel left the seller then. Handed
    over later, it may be too late for its booked line-haul departure: then plan again from now,
    from the same drop-off hub, and move its bookings to the departures it can make. The promise
    stays; the ETA follows. Keeps the old plan (the simulation then runs late) when nothing fits.
    In the caller's transaction, the shipment locked."""
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
    with transaction.atomic():  # a savepoint: if nothing has room, the old bookings stay
        bookings_release(shipment)
        booked = departures_book(planner, shipment, quote)
        if booked is None:
            transaction.set_rollback(True)
            return False
    route, bookings = booked
    shipment.legs.all().delete()
    legs_write(shipment, route, bookings)
    shipment.eta = route.estimated_delivery
    shipment.chargeable_weight_kg = route.chargeable_weight_kg
    shipment.save(update_fields=["eta", "chargeable_weight_kg", "updated_at"])
    return True

"""Reads of shipments, scoped to who asks: the public (a tracking number), a seller (their shop's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from logistics.models import (
    Hub,
    HubStatus,
    LegKind,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
from logistics.routing.model import Preference, QuoteRequest
from logistics.tracking_numbers import is_valid, normalise
from marketplace.models import Consignment, User


def shipment_get_public(tracking_number: str) -> Shipment | None:
    """The shipment for a tracking number, with legs and events (and their hubs) in three queries;
    None for an unknown or malformed number (a bad check character never reaches the database)."""
    number = normalise(tracking_number)
    if not is_valid(number):
        return None
    return (
        Shipment.objects.filter(tracking_number=number)
        .prefetch_related(
            Prefetch(
                "legs",
                queryset=ShipmentLeg.objects.select_related("from_hub", "to_hub", "lane__carrier").order_by(
                    "sequence"
                ),
            ),
            Prefetch(
                "events",
                queryset=TrackingEvent.objects.select_related("hub").order_by("occurred_at", "id"),
            ),
        )
        .first()
    )


def consignment_get_for_seller(user: User, consignment_id: int) -> Consignment | None:
    """A paid consignment of the caller's own shop (operators: any); None otherwise."""
    if not user.is_authenticated:
        return None
    qs = Consignment.objects.exclude(order__paid_at__isnull=True).select_related("shop", "order")
    if not user.is_operator:
        qs = qs.filter(shop__owner=user)
    return qs.filter(pk=consignment_id).first()


def shipments_for_consignments(consignment_ids: list[int]) -> list[Shipment]:
    """The shipments of these consignments with their legs and hubs, in two queries (list pages)."""
    return list(
        Shipment.objects.filter(consignment_id__in=consignment_ids).prefetch_related(
            Prefetch(
                "legs",
                queryset=ShipmentLeg.objects.select_related("from_hub", "to_hub").order_by("sequence"),
            )
        )
    )


def shipments_for_seller(user: User) -> QuerySet[Shipment]:
    """The shipments of the seller's own shops (never another shop's), newest first, with the order
    and the legs' hubs in a fixed number of queries however many there are."""
    if not user.is_authenticated:
        return Shipment.objects.none()
    return (
        Shipment.objects.filter(consignment__shop__owner=user)
        .select_related("consignment__order")
        .prefetch_related(
            Prefetch(
                "legs",
                queryset=ShipmentLeg.objects.select_related("from_hub", "to_hub").order_by("sequence"),
            )
        )
        .order_by("-created_at", "-id")
    )


# --- Re-routing: what an outage does to parcels, and what the buyer is told ------------------------

HUB_REOPENED = "hub_reopened"  # the substatus `logistics.services.rerouting` writes on release


@dataclass(frozen=True)
class AffectedShipment:
    """A shipment an outage would touch, for the operator's preview."""

    shipment: Shipment
    outcome: str  # "routing" (not handed over: planned again) | "reroute" | "hold"
    where: str  # where the parcel is now, in words


def legs_to_go_on_lanes() -> QuerySet[ShipmentLeg]:
    """Planned legs on a lane that their parcel has still to travel: not departed, the shipment
    routed or in transit (what closing a lane re-routes, and what deleting one would strand)."""
    return ShipmentLeg.objects.filter(
        lane__isnull=False,
        actual_departure__isnull=True,
        shipment__status__in=[ShipmentStatus.ROUTED, ShipmentStatus.IN_TRANSIT],
    )


def parcels_to_go_on_lanes(lane_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each lane's parcels (tracking numbers, in order) that still have to travel it."""
    to_go: dict[int, list[str]] = {}
    rows = (
        legs_to_go_on_lanes()
        .filter(lane_id__in=list(lane_ids))
        .order_by("lane_id", "shipment__tracking_number")
        .values_list("lane_id", "shipment__tracking_number")
    )
    for lane_id, tracking_number in rows:
        to_go.setdefault(lane_id, []).append(tracking_number)
    return to_go


def shipments_affected_by_hub(hub: Hub) -> list[AffectedShipment]:
    """Shipments whose route still uses `hub`: not handed over (planned again), in transit before
    it (re-planned from their next hub, held if no path avoids it) or heading to / at it (held there).
    Parcels past the hub and out for delivery are not listed."""
    shipments = (
        Shipment.objects.filter(
            status__in=[ShipmentStatus.ROUTED, ShipmentStatus.IN_TRANSIT],
            pk__in=ShipmentLeg.objects.filter(Q(from_hub=hub) | Q(to_hub=hub)).values("shipment_id"),
        )
        .prefetch_related(
            Prefetch(
                "legs",
                queryset=ShipmentLeg.objects.select_related("from_hub", "to_hub").order_by("sequence"),
            )
        )
        .order_by("pk")
    )
    affected = []
    for shipment in shipments:
        legs = list(shipment.legs.all())
        if shipment.status == ShipmentStatus.ROUTED:
            affected.append(AffectedShipment(shipment, "routing", _("with the seller (not handed over)")))
            continue
        started = [leg for leg in legs if leg.actual_departure is not None] or legs[:1]
        current = started[-1]
        if current.kind == LegKind.LAST_MILE or current.to_hub is None:
            continue  # out for delivery
        remaining = [leg for leg in legs if leg.sequence > current.sequence]
        if current.to_hub_id == hub.pk:
            outcome = "hold"
        elif any(hub.pk in (leg.from_hub_id, leg.to_hub_id) for leg in remaining):
            outcome = "reroute"
        else:
            continue  # past it
        if current.actual_arrival is not None:
            where = _("at %(hub)s") % {"hub": current.to_hub.city}
        elif current.from_hub is None:
            where = _("on the way to %(hub)s") % {"hub": current.to_hub.city}
        else:
            where = _("on the way from %(origin)s to %(destination)s") % {
                "origin": current.from_hub.city,
                "destination": current.to_hub.city,
            }
        affected.append(AffectedShipment(shipment, outcome, where))
    return affected


@dataclass(frozen=True)
class ShipmentNotice:
    kind: str  # "rerouted" | "waiting"
    text: str


def shipment_notice(shipment: Shipment) -> ShipmentNotice | None:
    """What the buyer should know about an outage on the parcel's way (the order and tracking pages):
    it waits at a hub, or it was re-routed and now arrives on another day. None otherwise. Worded in
    the active language, so call it while rendering."""
    if shipment.status in (ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED):
        return None
    if shipment.waiting_at_hub_id is not None:
        hub = shipment.waiting_at_hub  # joined by the callers that list many
        if hub.status == HubStatus.SUSPENDED:
            text = _("Waiting at %(hub)s until the e-hub reopens.") % {"hub": hub.city}
        else:
            text = _("Waiting at %(hub)s until a route reopens.") % {"hub": hub.city}
        return ShipmentNotice("waiting", text)
    event = (
        TrackingEvent.objects.filter(shipment=shipment)
        .filter(Q(status=TrackingStatus.REROUTED) | Q(substatus=HUB_REOPENED))
        .select_related("hub")
        .order_by("-occurred_at", "-id")
        .first()
    )
    if event is None:
        return None
    if event.substatus == HUB_REOPENED and event.hub is not None:
        text = _("On its way again after waiting at %(hub)s") % {"hub": event.hub.city}
    elif event.hub is not None:
        text = _("Re-routed around %(hub)s (out of service)") % {"hub": event.hub.city}
    else:
        text = _("Re-routed around a closed connection")
    if shipment.eta:
        date = date_format(shipment.eta, "D j M")
        text = _("%(text)s: now arrives %(date)s") % {"text": text, "date": date}
    return ShipmentNotice("rerouted", text)


def shipment_notices_for_consignments(consignment_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{consignment id: (notice text, tracking number)} for the marketplace's order page (the port)."""
    shipments = (
        Shipment.objects.filter(consignment_id__in=consignment_ids)
        .select_related("waiting_at_hub")
        .exclude(status__in=[ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED])
    )
    notices = {}
    for shipment in shipments:
        notice = shipment_notice(shipment)
        if notice is not None:
            notices[shipment.consignment_id] = (notice.text, shipment.tracking_number)
    return notices


def shipment_quote_request(
    shipment: Shipment, *, ready_at: datetime, origin_hub: str | None = None, at_hub: bool = False
) -> QuoteRequest:
    """What the planner is asked for this parcel (its countries, weight, box and the preference fixed
    at checkout), ready at `ready_at` — from `origin_hub` when it is already dropped off or there."""
    return QuoteRequest(
        origin_country=shipment.origin_country.code,
        destination_country=shipment.destination_country.code,
        weight_kg=shipment.weight_kg,
        dimensions_cm=shipment.dimensions_cm,
        preference=Preference(shipment.preference),
        ready_at=ready_at,
        origin_hub=origin_hub,
        at_hub=at_hub,
    )

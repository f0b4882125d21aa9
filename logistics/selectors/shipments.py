"""Reads of shipments, scoped to who asks: the public (a tracking number), a seller (their shop's)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from logistics.models import Shipment, ShipmentLeg, TrackingEvent
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
                queryset=ShipmentLeg.objects.select_related("from_hub", "to_hub").order_by("sequence"),
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

"""Helpers for tests that need parcels moving through the network (the hub load, the admin)."""

from __future__ import annotations

from datetime import datetime

from logistics.models import Shipment
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.timelines import shipment_timeline
from tests.logistics.shipments.conftest import pay


def in_transit(listing, buyer, count: int = 1) -> list[Shipment]:
    """Paid, routed and handed-over parcels (HGH → LGG → Belgium for the scarf)."""
    shipments = []
    for _ in range(count):
        consignment = pay(buyer, (listing, 1)).consignments.get()
        shipment_route(shipment_id=consignment.shipment.pk)
        shipments.append(shipment_hand_over(consignment=consignment, actor=listing.shop.owner))
    return shipments


def milestone(shipment: Shipment, key: str) -> datetime:
    """When the simulation writes the parcel's event `key` (e.g. "1:arrived", "2:held")."""
    legs = list(shipment.legs.select_related("from_hub", "to_hub"))
    return next(m.at for m in shipment_timeline(shipment, legs) if m.key == key)

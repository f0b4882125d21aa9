"""Parcels in flight for the simulation tests: paid, routed and handed over at one instant."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

from django.utils import timezone

from logistics.models import Shipment
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.models import Listing
from tests.logistics.shipments.conftest import pay


def in_flight(listing, buyer, parcels: int) -> tuple[list[Shipment], datetime]:
    """`parcels` shipments of one unit each on the same route, handed over at the same instant."""
    Listing.objects.filter(pk=listing.pk).update(stock=parcels + 5)
    consignments = [pay(buyer, (listing, 1)).consignments.get() for _ in range(parcels)]
    for consignment in consignments:
        shipment_route(shipment_id=consignment.shipment.pk)
    handed_over = timezone.now().replace(microsecond=0)
    with mock.patch("logistics.services.shipments.simulation_now", return_value=handed_over):
        shipments = [
            shipment_hand_over(consignment=consignment, actor=listing.shop.owner)
            for consignment in consignments
        ]
    return shipments, handed_over


def refreshed(shipments: list[Shipment]) -> list[Shipment]:
    for shipment in shipments:
        shipment.refresh_from_db()
    return shipments

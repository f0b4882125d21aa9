"""The marketplace's view of shipments (`marketplace.ports.ParcelProvider`): what the seller's pages
show of a consignment's parcel, without the marketplace importing logistics."""

from __future__ import annotations

from logistics.models import Shipment, ShipmentStatus
from logistics.selectors import shipments as selectors
from marketplace.ports import ParcelSummary


def parcel_summary(shipment: Shipment) -> ParcelSummary:
    """Expects the shipment's legs prefetched with their hubs (`shipments_for_consignments`)."""
    legs = list(shipment.legs.all())
    drop_off = legs[0].to_hub if legs else None  # the first mile ends at the hub the seller drops at
    cities = [drop_off.city] if drop_off else []
    cities += [leg.to_hub.city for leg in legs[1:] if leg.to_hub is not None]
    return ParcelSummary(
        tracking_number=shipment.tracking_number,
        status=shipment.status,
        status_label=str(shipment.get_status_display()),
        can_hand_over=shipment.status == ShipmentStatus.ROUTED and drop_off is not None,
        drop_off_city=drop_off.city if drop_off else "",
        drop_off_code=drop_off.code if drop_off else "",
        route_cities=tuple(cities),
        exception=shipment.exception_detail or str(shipment.get_exception_reason_display() or ""),
        hand_over_by=legs[0].planned_departure if legs and shipment.status == ShipmentStatus.ROUTED else None,
    )


class ShipmentParcels:
    def parcels_for_consignments(self, consignment_ids: list[int]) -> dict[int, ParcelSummary]:
        return {
            shipment.consignment_id: parcel_summary(shipment)
            for shipment in selectors.shipments_for_consignments(consignment_ids)
        }

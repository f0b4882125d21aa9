"""A parcel's journey as timed events, from its legs: the adapter between the rows (shipments,
legs, hubs) and the pure `logistics.simulation.timeline`, with the seeded customs hold. The tick
(`logistics.services.simulation`) writes these events as they fall due; re-routing reads them to
know where a parcel is now."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.conf import settings

from logistics.models import Shipment, ShipmentLeg
from logistics.simulation.timeline import HubInfo, Milestone, PlannedLeg, customs_hold_days, timeline
from marketplace.models import CustomsDeclaration


class Parcel(Protocol):
    tracking_number: str
    handed_over_at: object


def hub_info(hub) -> HubInfo | None:
    if hub is None:
        return None
    return HubInfo(hub.code, hub.timezone, hub.handling_hours, hub.import_clearance_hours)


def hold_days(shipment: Parcel, crosses_border: bool, pre_declared: bool = True) -> int:
    """Days customs hold the parcel: drawn at `EWTP_CUSTOMS_HOLD_RATE` for a complete
    pre-declaration (a random inspection), always 1–3 without one (issue 21)."""
    if not crosses_border:
        return 0
    rate = settings.EWTP_CUSTOMS_HOLD_RATE if pre_declared else 1.0
    return customs_hold_days(settings.EWTP_SIM_SEED, shipment.tracking_number, rate)


def parcel_timeline(
    shipment: Parcel,
    legs: Iterable,
    hubs: dict[int, HubInfo],
    crosses_border: bool,
    held_days: int,
    pre_declared: bool = True,
) -> list[Milestone]:
    planned = [
        PlannedLeg(
            leg.sequence,
            leg.kind,
            hubs.get(leg.from_hub_id),
            hubs.get(leg.to_hub_id),
            leg.planned_departure,
            leg.planned_arrival,
            leg.sort_delay,
        )
        for leg in legs
    ]
    return timeline(
        planned,
        handed_over_at=shipment.handed_over_at,
        crosses_border=crosses_border,
        hold_days=held_days,
        pre_declared=pre_declared,
    )


def shipment_timeline(shipment: Shipment, legs: list[ShipmentLeg]) -> list[Milestone]:
    """The parcel's whole journey as timed events (the legs with their hubs loaded)."""
    hubs = {hub.pk: hub_info(hub) for leg in legs for hub in (leg.from_hub, leg.to_hub) if hub is not None}
    crosses_border = shipment.origin_country != shipment.destination_country
    declared = pre_declared(shipment)
    return parcel_timeline(
        shipment, legs, hubs, crosses_border, hold_days(shipment, crosses_border, declared), declared
    )


def pre_declared(shipment: Shipment) -> bool:
    """Whether the parcel's consignment has a complete customs pre-declaration (issue 21)."""
    return CustomsDeclaration.objects.filter(consignment_id=shipment.consignment_id, complete=True).exists()

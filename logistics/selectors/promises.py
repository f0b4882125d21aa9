"""Whether promises were kept: the share of delivered parcels that arrived by their promised date,
per hub they passed through and per carrier that flew or drove them (the hub dashboard). Two
grouped queries, whatever the number of parcels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from logistics.models import ShipmentLeg, ShipmentStatus


@dataclass(frozen=True, slots=True)
class PromisesKept:
    code: str
    name: str
    delivered: int  # delivered parcels that passed through (hub) or travelled with (carrier)
    on_time: int  # of those, delivered by their promised date

    @property
    def share(self) -> Decimal | None:
        if not self.delivered:
            return None
        return (Decimal(self.on_time) / self.delivered).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    @property
    def percent(self) -> Decimal | None:
        """The share as a percentage with one decimal (95.4), for the dashboard."""
        share = self.share
        return None if share is None else (share * 100).quantize(Decimal("0.1"))


def _delivered_legs():
    return ShipmentLeg.objects.filter(shipment__status=ShipmentStatus.DELIVERED)


def _counts() -> dict:
    return {
        "delivered": Count("shipment", distinct=True),
        "on_time": Count(
            "shipment",
            distinct=True,
            filter=Q(shipment__delivered_at__lte=F("shipment__promised_delivery")),
        ),
    }


def promises_kept_by_hub() -> list[PromisesKept]:
    """Per hub a delivered parcel reached (every leg but the last mile ends at one)."""
    rows = (
        _delivered_legs()
        .filter(to_hub__isnull=False)
        .values("to_hub__code", "to_hub__city")
        .annotate(**_counts())
        .order_by("to_hub__code")
    )
    return [PromisesKept(r["to_hub__code"], r["to_hub__city"], r["delivered"], r["on_time"]) for r in rows]


def promises_kept_by_carrier() -> list[PromisesKept]:
    """Per carrier that operated a line-haul leg of a delivered parcel."""
    rows = (
        _delivered_legs()
        .filter(lane__carrier__isnull=False)
        .values("lane__carrier__code", "lane__carrier__name")
        .annotate(**_counts())
        .order_by("lane__carrier__code")
    )
    return [
        PromisesKept(r["lane__carrier__code"], r["lane__carrier__name"], r["delivered"], r["on_time"])
        for r in rows
    ]

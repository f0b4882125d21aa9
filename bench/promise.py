"""Was the promise kept? Figures over the simulated parcels (issue 21), read from the database after
the simulation: the share delivered by their promised date, the share of parcels inside ASEAN sent
with the fastest option delivered within 72 hours of hand-over, the lateness of the late ones, and
per destination e-hub the 95th percentile of (delivered − promised): what its stated buffer would
have to change by, learned from the run's own history."""

from __future__ import annotations

import statistics
from datetime import timedelta

# The ten members of the Association of Southeast Asian Nations (asean.org).
ASEAN = frozenset({"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"})
ASEAN_HOURS = 72


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def promise_figures(shipment_ids: list[int] | None = None) -> dict:
    from logistics.models import Shipment, ShipmentLeg, ShipmentStatus

    shipments = Shipment.objects.exclude(status=ShipmentStatus.CANCELLED).filter(handed_over_at__isnull=False)
    if shipment_ids is not None:
        shipments = shipments.filter(pk__in=shipment_ids)
    rows = list(
        shipments.values_list(
            "pk", "status", "preference", "origin_country", "destination_country", "handed_over_at",
            "delivered_at", "promised_delivery",
        )
    )  # fmt: skip
    total = len(rows)
    on_time = 0
    late_hours: list[float] = []
    undelivered = 0
    asean = asean_in_time = 0
    for _pk, status, preference, origin, destination, handed, delivered, promised in rows:
        if status == ShipmentStatus.DELIVERED and delivered is not None and promised is not None:
            if delivered <= promised:
                on_time += 1
            else:
                late_hours.append((delivered - promised) / timedelta(hours=1))
        else:
            undelivered += 1
        if str(origin) in ASEAN and str(destination) in ASEAN and preference == "fastest":
            asean += 1
            if delivered is not None and delivered - handed <= timedelta(hours=ASEAN_HOURS):
                asean_in_time += 1
    # Per destination hub, how the deliveries fell against the promise: the 95th percentile of
    # (delivered − promised), in hours. Negative: that much slack; positive: the hub's buffer would
    # have to grow by that much for 95% of its parcels to be on time.
    by_hub: dict[str, list[float]] = {}
    last_miles = ShipmentLeg.objects.filter(
        shipment__in=shipments.filter(status=ShipmentStatus.DELIVERED), kind="last_mile"
    ).values_list("from_hub__code", "shipment__promised_delivery", "shipment__delivered_at")
    for hub, promised, delivered in last_miles:
        if delivered is not None and promised is not None:
            by_hub.setdefault(hub, []).append((delivered - promised) / timedelta(hours=1))
    return {
        "parcels": total,
        "on_time_share": on_time / total if total else float("nan"),
        "undelivered": undelivered,
        "late": len(late_hours),
        "late_median_hours": statistics.median(late_hours) if late_hours else 0.0,
        "late_p95_hours": percentile(late_hours, 0.95) if late_hours else 0.0,
        "asean_parcels": asean,
        "asean_72h_share": asean_in_time / asean if asean else float("nan"),
        "late_vs_promise_p95_hours": {
            hub: round(percentile(hours, 0.95), 1) for hub, hours in sorted(by_hub.items())
        },
    }

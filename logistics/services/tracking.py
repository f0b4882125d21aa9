"""Writes to the tracking log: append-only, deduplicated by key."""

from __future__ import annotations

from datetime import datetime

from logistics.models import EventSource, Hub, Shipment, ShipmentLeg, TrackingEvent, TrackingStatus
from marketplace.models import User


def tracking_event_record(
    *,
    shipment: Shipment,
    status: TrackingStatus,
    substatus: str,
    occurred_at: datetime,
    dedupe_key: str,
    description: str = "",
    reason: str = "",
    hub: Hub | None = None,
    leg: ShipmentLeg | None = None,
    source: EventSource = EventSource.PLATFORM,
    from_status: str = "",
    to_status: str = "",
    actor: User | None = None,
) -> None:
    """Append one event; an event whose `dedupe_key` is already stored is silently dropped
    (`INSERT … ON CONFLICT DO NOTHING`), so replays and retries never duplicate the timeline."""
    TrackingEvent.objects.bulk_create(
        [
            TrackingEvent(
                shipment=shipment,
                leg=leg,
                occurred_at=occurred_at,
                hub=hub,
                location_code=hub.code if hub else "",
                local_timezone=hub.timezone if hub else "UTC",
                status=status,
                substatus=substatus,
                reason=reason,
                description=description[:400],
                source=source,
                from_status=from_status,
                to_status=to_status,
                actor=actor,
                dedupe_key=dedupe_key,
            )
        ],
        ignore_conflicts=True,
    )

"""Writes to the tracking log (append-only, deduplicated by key) and the shipment state machine,
whose every transition appends an event."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from ewtp.exceptions import InvalidTransition
from logistics.models import (
    SHIPMENT_TRANSITIONS,
    EventSource,
    Hub,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
    TrackingStatus,
)
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


def shipment_transition(
    shipment: Shipment,
    to: ShipmentStatus,
    *,
    tracking_status: TrackingStatus,
    substatus: str,
    description: str,
    key: str,
    occurred_at: datetime,
    reason: str = "",
    source: EventSource = EventSource.PLATFORM,
    actor: User | None = None,
) -> None:
    """Check the transition table and append the tracking event; the caller saves the row."""
    current = ShipmentStatus(shipment.status)
    if to not in SHIPMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Shipment %(number)s is %(status)s; it cannot become %(to)s.")
            % {"number": shipment.tracking_number, "status": current.label, "to": to.label}
        )
    tracking_event_record(
        shipment=shipment,
        status=tracking_status,
        substatus=substatus,
        description=description,
        reason=reason,
        occurred_at=occurred_at,
        dedupe_key=f"{shipment.pk}:{key}",
        source=source,
        from_status=current,
        to_status=to,
        actor=actor,
    )
    shipment.status = to

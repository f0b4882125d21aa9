"""Writes to the tracking log (append-only, deduplicated by key) and the shipment state machine,
whose every transition appends an event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import AutoField
from django.db.models.constants import OnConflict
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
from logistics.services.parcel_emails import parcel_email_warranted, parcel_emails_schedule
from logistics.services.webhook_events import tracking_webhooks_schedule
from marketplace.models import User


def tracking_events_insert(events: Sequence[TrackingEvent]) -> list[TrackingEvent]:
    """Insert the events whose `dedupe_key` is not stored yet and return those, with their ids;
    the others (a replayed scan, a retried job) are dropped. One `INSERT … ON CONFLICT DO NOTHING
    RETURNING` per batch: the database says which rows it wrote, so a duplicate is never mistaken
    for a new event, even when two writers race (PostgreSQL, and SQLite from 3.35: both return rows
    from such an insert). The buyer's e-mails for the new events are scheduled for after the
    caller's commit (`parcel_emails_schedule`): batched writers using this need not call it."""
    unique: dict[str, TrackingEvent] = {}
    for event in events:
        unique.setdefault(event.dedupe_key, event)  # the same key twice in one call: the first wins
    events = list(unique.values())
    if not events:
        return []
    queryset = TrackingEvent.objects.all()
    connection = connections[queryset.db]
    meta = TrackingEvent._meta
    fields = [f for f in meta.concrete_fields if not f.generated and not isinstance(f, AutoField)]
    for event in events:
        event._prepare_related_fields_for_save(operation_name="tracking_events_insert")
    batch = max(connection.ops.bulk_batch_size(fields, events), 1)
    inserted: list[TrackingEvent] = []
    for start in range(0, len(events), batch):
        # Django's own insert (what bulk_create runs) with RETURNING kept for the conflict case,
        # which bulk_create(ignore_conflicts=True) drops.
        rows = queryset._insert(
            events[start : start + batch],
            fields=fields,
            returning_fields=[meta.pk, meta.get_field("dedupe_key")],
            on_conflict=OnConflict.IGNORE,
        )
        for row in rows:
            if row is None:  # the single-row form answers None when the row conflicted
                continue
            pk, key = row
            event = unique[key]
            event.pk = pk
            event._state.adding = False
            event._state.db = queryset.db
            inserted.append(event)
    # Filtered here first, so an ordinary scan costs the hook no query.
    parcel_emails_schedule(
        (e.pk for e in inserted if parcel_email_warranted(e.status, e.substatus)), warranted=True
    )
    tracking_webhooks_schedule(e.pk for e in inserted)
    return inserted


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
) -> int | None:
    """Append one event and return its id; an event whose `dedupe_key` is already stored is
    silently dropped (None), so replays and retries never duplicate the timeline (nor e-mail)."""
    inserted = tracking_events_insert(
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
        ]
    )
    return inserted[0].pk if inserted else None


def shipment_transition_event(
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
) -> TrackingEvent:
    """Check the transition table and move the shipment's status (the caller saves the row); returns
    the event to insert — one at a time by `shipment_transition`, in bulk by batched routing."""
    current = ShipmentStatus(shipment.status)
    if to not in SHIPMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Shipment %(number)s is %(status)s; it cannot become %(to)s.")
            % {"number": shipment.tracking_number, "status": current.label, "to": to.label}
        )
    shipment.status = to
    return TrackingEvent(
        shipment=shipment,
        occurred_at=occurred_at,
        location_code="",
        local_timezone="UTC",
        status=tracking_status,
        substatus=substatus,
        reason=reason,
        description=description[:400],
        source=source,
        from_status=current,
        to_status=to,
        actor=actor,
        dedupe_key=f"{shipment.pk}:{key}",
    )


def shipment_transition(shipment: Shipment, to: ShipmentStatus, **event: Any) -> None:
    """`shipment_transition_event` (same keywords), its event appended at once; the caller saves
    the row."""
    tracking_events_insert([shipment_transition_event(shipment, to, **event)])

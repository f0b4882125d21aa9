"""Shipment events for integrators' webhooks: every writer of tracking events hands over the ids it
wrote, and each becomes `shipment.tracking_event` for the shop's endpoints and the operators'
(plus `shipment.handed_over` for the seller's hand-over scan and `shipment.delivered` on delivery),
written in the writer's transaction (`marketplace.services.webhooks`). One query when no endpoint
wants shipment events, so the tick pays nothing for webhooks nobody registered."""

from __future__ import annotations

from collections.abc import Iterable

from logistics.models import EventSource, TrackingEvent, TrackingStatus
from marketplace.models import WebhookEvent
from marketplace.models.webhooks import Event
from marketplace.services.webhooks import webhook_events_emit, webhooks_wanted

SHIPMENT_EVENTS = (
    WebhookEvent.SHIPMENT_TRACKING_EVENT,
    WebhookEvent.SHIPMENT_HANDED_OVER,
    WebhookEvent.SHIPMENT_DELIVERED,
)


def _types(event: TrackingEvent) -> list[str]:
    types = [WebhookEvent.SHIPMENT_TRACKING_EVENT]
    if event.status == TrackingStatus.PICKED_UP and event.source == EventSource.SELLER:
        types.append(WebhookEvent.SHIPMENT_HANDED_OVER)
    elif event.status == TrackingStatus.DELIVERED:
        types.append(WebhookEvent.SHIPMENT_DELIVERED)
    return types


def _data(event: TrackingEvent) -> dict:
    shipment = event.shipment
    return {
        "shipment": {
            "id": shipment.pk,
            "tracking_number": shipment.tracking_number,
            "consignment": shipment.consignment_id,
            "order": shipment.consignment.order_id,
            "status": shipment.status,
            "eta": shipment.eta.isoformat() if shipment.eta else None,
        },
        "event": {
            "id": event.pk,
            "status": event.status,
            "substatus": event.substatus,
            "description": event.description,
            "location": event.location_code,
            "occurred_at": event.occurred_at.isoformat(),
        },
    }


def tracking_webhooks_schedule(event_ids: Iterable[int]) -> int:
    """The webhook deliveries of these newly written tracking events; returns how many."""
    ids = list(event_ids)
    if not ids or not webhooks_wanted(SHIPMENT_EVENTS):
        return 0
    events = (
        TrackingEvent.objects.filter(pk__in=ids)
        .select_related("shipment__consignment")
        .order_by("occurred_at", "pk")
    )
    return webhook_events_emit(
        Event(
            type=kind,
            shop_id=event.shipment.consignment.shop_id,
            data=_data(event),
            occurred_at=event.occurred_at,
        )
        for event in events
        for kind in _types(event)
    )

"""Operators see shipments with legs and events, and re-run routing for one that could not route."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.models import Hub, ShipmentStatus
from logistics.services.network import hub_resume, hub_suspend
from logistics.services.routing import shipment_route
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_shipment_admin_lists_and_shows_legs_and_events(admin_client, scarf, buyer_be):
    shipment = pay(buyer_be, (scarf, 1)).consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    response = admin_client.get(reverse("admin:logistics_shipment_changelist") + "?status=routed")
    assert response.status_code == 200 and shipment.tracking_number in response.text
    assert admin_client.get(reverse("admin:logistics_shipment_changelist") + "?late=yes").status_code == 200
    detail = admin_client.get(reverse("admin:logistics_shipment_change", args=[shipment.pk]))
    assert detail.status_code == 200
    assert "route_planned" in detail.text and shipment.legs.first().to_hub.code in detail.text


def test_shipment_retry_routing_from_the_admin_after_the_network_recovers(
    admin_client, scarf, buyer_be, django_capture_on_commit_callbacks
):
    shipment = pay(buyer_be, (scarf, 1)).consignments.get().shipment
    hubs = [hub for hub in Hub.objects.all() if "BE" in {c.code for c in hub.serves_countries}]
    with django_capture_on_commit_callbacks(execute=True):  # the network version moves on commit
        for hub in hubs:
            hub_suspend(hub=hub, reason="Strike")
    assert shipment_route(shipment_id=shipment.pk) == "exception"
    with django_capture_on_commit_callbacks(execute=True):
        for hub in hubs:
            hub_resume(hub=hub)
    response = admin_client.post(
        reverse("admin:logistics_shipment_changelist"),
        {"action": "retry_routing", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert "Routing requested for 1 shipment." in response.text
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ROUTING
    assert shipment_route(shipment_id=shipment.pk) == "routed"  # what the published job does
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ROUTED and shipment.exception_reason == ""
    # Once routed, a second request is refused with a message.
    response = admin_client.post(
        reverse("admin:logistics_shipment_changelist"),
        {"action": "retry_routing", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert "already has a route" in response.text

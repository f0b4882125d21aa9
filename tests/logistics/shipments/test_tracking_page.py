"""The public tracking page: status, ETA, route by city, events in UTC and hub-local time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat

from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_tracking_page_shows_progress_without_personal_data(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment = consignment.shipment
    shipment_route(shipment_id=shipment.pk)
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    shipments_advance(now=shipment.handed_over_at + timedelta(days=2))
    response = client.get(reverse("track", kwargs={"tracking_number": shipment.tracking_number}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "In transit" in text and "Arrives" in text
    first_hub = shipment.legs.get(sequence=1).to_hub
    assert first_hub.city in text and first_hub.code in text
    arrival = shipment.events.filter(location_code=first_hub.code).first()
    local = dateformat.format(arrival.local_time, "D j M, H:i")
    assert f"{local} local time ({first_hub.timezone})" in text  # the hub's clock, not UTC
    for personal in (order.ship_to_name, order.ship_to_line1, order.ship_to_phone, buyer_be.email):
        assert personal not in text


def test_tracking_page_unknown_number_is_404(client, db):
    assert client.get(reverse("track", kwargs={"tracking_number": "EW2222222222Z"})).status_code == 404

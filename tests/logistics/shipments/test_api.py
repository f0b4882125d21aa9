"""The shipments API: public tracking (no personal data, 404 for unknown numbers, throttled) and
the seller's hand-over."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from logistics.services.routing import shipment_route
from logistics.tracking_numbers import check_character
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def track_url(number: str) -> str:
    return reverse("api-shipment-tracking", kwargs={"tracking_number": number})


@pytest.fixture
def routed(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    return order, shipment


def test_tracking_api_shows_status_legs_events_and_eta_without_personal_data(
    api_client, routed, django_assert_max_num_queries
):
    order, shipment = routed
    with django_assert_max_num_queries(4):
        response = api_client.get(track_url(shipment.tracking_number.lower()))
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_number"] == shipment.tracking_number
    assert body["status"] == "routed" and body["late"] is False
    assert body["eta"] and body["promised_delivery"]
    assert [leg["sequence"] for leg in body["legs"]] == list(range(1, shipment.legs.count() + 1))
    assert body["legs"][1]["from_hub"]["code"] == shipment.legs.get(sequence=2).from_hub.code
    assert [e["status"] for e in body["events"]] == ["info_received"] * 3
    assert {"occurred_at", "local_time", "status", "substatus", "hub"} <= set(body["events"][0])
    text = json.dumps(body)
    for personal in (order.ship_to_name, order.ship_to_line1, order.ship_to_phone, order.buyer.email):
        assert personal not in text
    assert order.buyer.username not in text


def test_tracking_api_unknown_or_malformed_numbers_are_404(api_client, routed):
    _, shipment = routed
    body = shipment.tracking_number[2:-1]
    other = "EW" + body[::-1] + check_character(body[::-1])
    assert api_client.get(track_url(other)).status_code == 404  # well formed, unknown
    wrong_check = "3" if shipment.tracking_number[-1] == "2" else "2"
    assert api_client.get(track_url(shipment.tracking_number[:-1] + wrong_check)).status_code == 404
    assert api_client.get(track_url("nonsense")).status_code == 404
    assert api_client.get(track_url(str(shipment.pk))).status_code == 404


def test_tracking_api_lookups_are_rate_limited(api_client, routed):
    codes = [api_client.get(track_url("EW2222222222Z")).status_code for _ in range(61)]
    assert codes[:60] == [404] * 60 and codes[60] == 429


def test_hand_over_api_is_the_shops_and_starts_the_journey(api_client, routed, buyer_be):
    order, shipment = routed
    consignment = order.consignments.get()
    url = reverse("api-consignment-hand-over", kwargs={"pk": consignment.pk})
    assert api_client.post(url).status_code in (401, 403)
    api_client.force_authenticate(buyer_be)
    assert api_client.post(url).status_code == 404  # not the buyer's shop
    api_client.force_authenticate(consignment.shop.owner)
    response = api_client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "in_transit"
    assert response.json()["events"][-1]["status"] == "picked_up"
    consignment.refresh_from_db()
    assert consignment.status == "handed_over"
    again = api_client.post(url)
    assert again.status_code == 409

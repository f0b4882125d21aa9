"""The seller's pages show the parcel (tracking number, drop-off hub, route, or why not) and their
hand-over button starts the shipment, exactly as the API's hand-over does."""

from __future__ import annotations

import pytest

from logistics.models import Shipment, ShipmentStatus
from logistics.services.routing import shipment_route
from marketplace.models import ConsignmentStatus, OrderStatus
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_seller_page_hand_over_waits_for_the_route_then_starts_the_shipment(client, scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment = consignment.shipment
    client.force_login(scarf.shop.owner)
    detail = f"/seller/consignments/{consignment.pk}/"

    page = client.get(detail).content.decode()
    assert shipment.tracking_number in page and "Route being planned" in page
    assert "Mark handed over" not in page
    # A hand-over posted before the route is planned (a stale page) is refused with the reason.
    response = client.post(f"{detail}hand-over/", {"next": "detail"}, follow=True)
    assert "route is not planned yet" in response.content.decode()
    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.READY_TO_SHIP

    assert shipment_route(shipment_id=shipment.pk) == "routed"
    legs = list(shipment.legs.select_related("to_hub").order_by("sequence"))
    drop_off = legs[0].to_hub
    page = client.get(detail).content.decode()
    assert f'href="/track/{shipment.tracking_number}/"' in page
    assert f"Drop off at: {drop_off.city} e-hub ({drop_off.code})" in page
    cities = [drop_off.city] + [leg.to_hub.city for leg in legs[1:] if leg.to_hub]
    assert " → ".join(cities) in page
    assert "Mark handed over" in page and "Route being planned" not in page

    response = client.post(f"{detail}hand-over/", {"next": "detail"}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    content = response.content.decode()
    assert "handed over to the courier" in content and shipment.tracking_number in content
    shipment.refresh_from_db()
    consignment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT and shipment.next_event_at is not None
    assert shipment.events.filter(status="picked_up").count() == 1
    assert consignment.status == ConsignmentStatus.HANDED_OVER
    assert order.status == OrderStatus.IN_FULFILMENT
    assert "Mark handed over" not in content

    # Twice is refused with a message, and writes nothing.
    response = client.post(f"{detail}hand-over/", {"next": "detail"}, follow=True)
    assert response.status_code == 200 and 'class="message error"' in response.content.decode()
    assert "already handed over" in response.content.decode()  # not "route is not planned yet"
    assert shipment.events.filter(status="picked_up").count() == 1


def test_seller_sees_why_a_parcel_cannot_be_routed_and_no_hand_over(client, scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    Shipment.objects.filter(pk=consignment.shipment.pk).update(
        status=ShipmentStatus.EXCEPTION,
        exception_reason="no_capacity",
        exception_detail="Every departure that could carry this parcel is full.",
    )
    client.force_login(scarf.shop.owner)
    for path in ("/seller/", f"/seller/consignments/{consignment.pk}/"):
        page = client.get(path).content.decode()
        assert "cannot be routed: Every departure that could carry this parcel is full." in page, path
        assert "Mark handed over" not in page, path


def test_a_seller_cannot_hand_over_another_shops_parcel(client, scarf, batik, buyer_be):
    order = pay(buyer_be, (scarf, 1), (batik, 1))
    theirs = order.consignments.get(shop=batik.shop)
    shipment_route(shipment_id=theirs.shipment.pk)
    client.force_login(scarf.shop.owner)
    assert client.post(f"/seller/consignments/{theirs.pk}/hand-over/").status_code == 404
    theirs.shipment.refresh_from_db()
    assert theirs.shipment.status == ShipmentStatus.ROUTED

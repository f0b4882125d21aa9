"""The buyer's order page links each paid consignment to its public tracking page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import ship_to
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_order_page_links_each_paid_consignment_to_its_tracking_page(client, scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    number = order.consignments.get().shipment.tracking_number
    client.force_login(buyer_be)

    page = client.get(reverse("order-detail", kwargs={"number": order.number})).content.decode()

    assert reverse("track", kwargs={"tracking_number": number}) in page
    assert number in page


def test_an_unpaid_order_shows_no_tracking_number(client, scarf, buyer_be):
    order = order_place(
        buyer=buyer_be,
        items=[CheckoutItem(listing=scarf, quantity=1)],
        ship_to=ShipTo(**ship_to("BE")),
        currency="EUR",
        preference="cheapest",
    )
    client.force_login(buyer_be)

    page = client.get(reverse("order-detail", kwargs={"number": order.number})).content.decode()

    assert "Tracking number" not in page
    assert 'href="/track/EW' not in page  # no parcel to follow (the menu links only the look-up)

"""The checkout form clicked several times at once (a double click, an impatient tap) on the real
Postgres: one order, and every click lands on the same payment page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from marketplace.models import Listing, Order
from tests.checkout.helpers import ship_to
from tests.checkout.test_concurrency import _in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_placing_the_same_checkout_form_four_times_at_once_places_one_order(client, scarf, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "2"})
    page = client.get("/checkout/").content.decode()
    data = {
        **ship_to(),
        "preference": "balanced",
        "currency": "EUR",
        "token": re.search(r'name="token" value="([^"]*)"', page).group(1),
        "quoted": re.search(r'name="quoted" value="([^"]*)"', page).group(1),
        "action": "place",
    }
    cookies = client.cookies

    def click(_index: int) -> tuple[int, str]:
        tab = Client()
        tab.cookies = cookies
        response = tab.post("/checkout/", data)
        return response.status_code, response.get("Location", "")

    results = _in_threads(4, click)
    order = Order.objects.get()
    assert results == [(302, f"/orders/{order.number}/pay/")] * 4
    assert Listing.objects.get(pk=scarf.pk).stock == 3

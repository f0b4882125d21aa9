"""The buyer's way from a product to a tracked parcel reads in the buyer's language (issue 19):
each page is rendered in French, Kiswahili and Chinese and must show none of its English UI
strings — each string's translation instead (from the catalogues `make messages` builds)."""

from __future__ import annotations

import pytest
from django.utils import translation

from logistics.services.routing import shipment_route
from marketplace.models import Order
from marketplace.services.payments import order_pay
from tests.checkout.helpers import CARD_OK

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "sw", "zh-hans"]
PAGES = {
    "product": ["Add to cart", "Goods", "Shipping"],
    "cart": ["Your cart", "Check out", "Update"],
    "checkout": ["Checkout", "Where and how", "Update the price", "What arrives at your door", "Place order",
                 "Import duty", "Import tax", "Order total"],
    "order": ["Pay now", "Cancel order", "History", "Awaiting payment"],
    "paid order": ["Paid", "Duties and taxes paid"],
    "tracking": ["From → to", "Track a parcel"],
    "track lookup": ["Track a parcel", "Tracking number", "Track"],
}


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_buyers_pages_show_no_english_ui_string(client, scarf, buyer_be, language):
    client.force_login(buyer_be)
    get = lambda url: client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()  # noqa: E731
    pages = {"product": get(scarf.get_absolute_url())}
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    pages["cart"] = get("/cart/")
    pages["checkout"] = get("/checkout/")
    from tests.checkout.test_pages import checkout_post

    response = client.post("/checkout/", checkout_post(client), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get(buyer=buyer_be)
    pages["order"] = get(f"/orders/{order.number}/")
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    shipment = order.consignments.get().shipment
    assert shipment_route(shipment_id=shipment.pk) == "routed"
    shipment.refresh_from_db()
    pages["paid order"] = get(f"/orders/{order.number}/")
    pages["tracking"] = get(f"/track/{shipment.tracking_number}/")
    pages["track lookup"] = get("/track/")
    for name, strings in PAGES.items():
        page = pages[name]
        for text in strings:
            local = translated(language, text)
            assert local != text, f"{text!r} has no {language} translation"
            assert local in page, (language, name, text, local)
            assert f">{text}<" not in page, (language, name, text)

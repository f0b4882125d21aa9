"""Zero English (issue 19): home, search, product, cart, checkout, order, tracking, seller home and
the listing editor rendered in French, Kiswahili and Chinese show no English UI string — no text
on the page, and no label a screen reader or a form shows (placeholder, aria-label, title, alt,
a button's value), is a catalogue msgid whose translation differs. Seller content, codes and
amounts are not msgids, so they are left alone."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from logistics.services.routing import shipment_route
from marketplace.models import Order
from marketplace.services.payments import order_pay
from tests.checkout.helpers import CARD_OK
from tests.checkout.test_pages import checkout_post

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "sw", "zh-hans"]
SHOWN_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")


class Shown(HTMLParser):
    """The text a person meets on the page: text nodes outside script/style, and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._skip += 1
        attributes = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.texts.add(attributes[name].strip())
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.texts.add(attributes["value"].strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def english_ui(language: str) -> set[str]:
    """The catalogue's English strings that read differently in `language`."""
    with translation.override(language):
        catalog = trans_real.translation(translation.to_locale(language))._catalog
    return {
        msgid
        for msgid, msgstr in catalog.items()
        if isinstance(msgid, str) and msgid and msgstr and msgstr != msgid and any(c.isalpha() for c in msgid)
    }


# The language menu names each language in itself ("English" in every language), as it should.
LANGUAGE_NAMES = {"English", "Français", "Kiswahili", "中文"}


def english_on(html: str, english: set[str]) -> set[str]:
    shown = Shown()
    shown.feed(html)
    return {text for text in shown.texts if text in english and text not in LANGUAGE_NAMES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_buyer_or_the_seller_shows_english(client, scarf, buyer_be, language):
    english = english_ui(language)
    assert len(english) > 900  # the whole catalogue, not a handful

    def get(url: str) -> str:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        return response.content.decode()

    pages = {"home": get("/"), "search": get("/?search=silk")}
    client.force_login(buyer_be)
    pages["product"] = get(scarf.get_absolute_url())
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    pages["cart"] = get("/cart/")
    pages["checkout"] = get("/checkout/")
    response = client.post("/checkout/", checkout_post(client), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    order = Order.objects.get(buyer=buyer_be)
    pages["order to pay"] = get(f"/orders/{order.number}/")
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    pages["order"] = get(f"/orders/{order.number}/")
    pages["tracking"] = get(f"/track/{shipment.tracking_number}/")
    client.force_login(scarf.shop.owner)
    pages["seller home"] = get("/seller/")
    pages["listing editor"] = get(f"/seller/listings/{scarf.pk}/edit/")
    pages["new listing"] = get("/seller/listings/new/")
    found = {name: english_on(html, english) for name, html in pages.items()}
    assert {name: texts for name, texts in found.items() if texts} == {}

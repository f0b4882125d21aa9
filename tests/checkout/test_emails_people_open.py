"""E-mails people open (issue 19): HTML with a plain-text part, in the language the buyer ordered
in, links built from `EWTP_SITE_URL`."""

from __future__ import annotations

import pytest
from django.utils import translation

from logistics.services.parcel_emails import parcel_emails_send
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.services.notifications import order_email_send
from tests.checkout.test_lifecycle import paid

pytestmark = pytest.mark.django_db


def html_part(message) -> str:
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize(
    ("language", "hello"), [("en", "Hello"), ("fr", "Bonjour"), ("sw", "Habari"), ("zh-hans", "您好")]
)
def test_the_buyers_confirmation_is_html_and_text_in_their_language(
    scarf, buyer_be, mailoutbox, settings, language, hello
):
    settings.EWTP_SITE_URL = "http://shop.example:8123"
    with translation.override(language):
        order = paid(buyer_be, (scarf, 1))
    assert order.language == language
    order_email_send(kind="order_paid", order_id=order.pk)
    buyer_mail = next(m for m in mailoutbox if m.to == [buyer_be.email])
    assert hello in buyer_mail.body and order.number in buyer_mail.subject
    html = html_part(buyer_mail)
    assert f'<html lang="{language}">' in html and hello in html
    link = f"http://shop.example:8123/orders/{order.number}/"
    assert link in buyer_mail.body and f'<a href="{link}"' in html
    if language != "en":
        assert "Hello" not in buyer_mail.body and "Total paid" not in buyer_mail.body


def test_parcel_emails_follow_the_order_language_and_escape_the_text(scarf, buyer_be, mailoutbox, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    with translation.override("fr"):
        order = paid(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    picked_up = shipment.events.get(substatus="first_mile_scan")
    assert parcel_emails_send(event_ids=[picked_up.pk]) == 1
    (mail,) = mailoutbox
    assert "Bonjour" in mail.body and "est en route" in mail.subject
    assert '<html lang="fr">' in html_part(mail) and "<script" not in html_part(mail)

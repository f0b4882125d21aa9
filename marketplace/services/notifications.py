"""E-mails about orders, sent by a job (`marketplace.jobs`) after the change that causes them.

Each e-mail (an order, a kind, a recipient) goes out once: its `OrderEmail` row is inserted in the
transaction that hands the mail over, so a job retried after one seller's mail failed, or
redelivered after a worker died, sends only what is still unsent. A crash between the hand-over
and the commit is the one case that can send an e-mail twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ewtp.mail import mail_send
from marketplace.models import Order, OrderEmail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    subject: Promise  # "%(number)s" is the order's number
    template: str


# kind → (to the buyer, to each shop's owner)
MESSAGES: dict[str, tuple[Message, Message]] = {
    "order_paid": (
        Message(_("Order %(number)s confirmed"), "emails/order_confirmed.txt"),
        Message(_("New consignment to ship: order %(number)s"), "emails/consignment_new.txt"),
    ),
    "order_cancelled": (
        Message(_("Order %(number)s cancelled"), "emails/order_cancelled.txt"),
        Message(_("Order %(number)s was cancelled: do not ship"), "emails/consignment_cancelled.txt"),
    ),
}


def _send_once(*, order: Order, kind: str, recipient: str, to: str, message: Message, context: dict) -> int:
    if not to:
        return 0
    subject = str(message.subject) % {"number": order.number}
    body = render_to_string(message.template, {**context, "site_url": getattr(settings, "EWTP_SITE_URL", "")})
    try:
        with transaction.atomic():
            OrderEmail.objects.create(order=order, kind=kind, recipient=recipient)
            mail_send(subject=subject, text=body, to=[to])
    except IntegrityError:  # sent before (a retry, a redelivery, or another run of the job)
        return 0
    return 1


def order_email_send(*, kind: str, order_id: int) -> int:
    """Send the e-mails of `kind` not sent yet; returns how many went out. A mail server error
    raises after the e-mails before it were recorded, so the job's retry sends only the rest."""
    order = Order.objects.select_related("buyer").filter(pk=order_id).first()
    if order is None or kind not in MESSAGES:
        return 0
    consignments = list(order.consignments.select_related("shop__owner").prefetch_related("lines"))
    done = set(OrderEmail.objects.filter(order=order, kind=kind).values_list("recipient", flat=True))
    to_buyer, to_shop = MESSAGES[kind]
    sent = 0
    context = {"order": order, "consignments": consignments}
    with translation.override(order.language or settings.LANGUAGE_CODE):  # the buyer's language
        if "buyer" not in done:
            sent += _send_once(
                order=order,
                kind=kind,
                recipient="buyer",
                to=order.buyer.email,
                message=to_buyer,
                context=context,
            )
    with translation.override(settings.LANGUAGE_CODE):  # sellers: the site's language, for now
        for consignment in consignments:
            recipient = f"shop:{consignment.shop_id}"
            if recipient in done:
                continue
            sent += _send_once(
                order=order,
                kind=kind,
                recipient=recipient,
                to=consignment.shop.owner.email,
                message=to_shop,
                context={**context, "consignment": consignment},
            )
    return sent

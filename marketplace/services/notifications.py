"""E-mails about orders, sent by Celery after the change that causes them has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.models import Order


def _send(*, to: str, subject: str, template: str, context: dict) -> int:
    if not to:
        return 0
    body = render_to_string(template, {**context, "site_url": getattr(settings, "EWTP_SITE_URL", "")})
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def order_email_send(*, kind: str, order_id: int) -> int:
    """Send the e-mails for `kind` ("order_paid", "order_cancelled"); returns how many went out."""
    order = Order.objects.select_related("buyer").filter(pk=order_id).first()
    if order is None:
        return 0
    consignments = list(order.consignments.select_related("shop__owner").prefetch_related("lines"))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"order": order, "consignments": consignments}
        if kind == "order_paid":
            sent += _send(
                to=order.buyer.email,
                subject=_("Order %(number)s confirmed") % {"number": order.number},
                template="emails/order_confirmed.txt",
                context=context,
            )
            for consignment in consignments:
                sent += _send(
                    to=consignment.shop.owner.email,
                    subject=_("New consignment to ship: order %(number)s") % {"number": order.number},
                    template="emails/consignment_new.txt",
                    context={**context, "consignment": consignment},
                )
        elif kind == "order_cancelled":
            sent += _send(
                to=order.buyer.email,
                subject=_("Order %(number)s cancelled") % {"number": order.number},
                template="emails/order_cancelled.txt",
                context=context,
            )
            for consignment in consignments:
                sent += _send(
                    to=consignment.shop.owner.email,
                    subject=_("Order %(number)s was cancelled: do not ship") % {"number": order.number},
                    template="emails/consignment_cancelled.txt",
                    context={**context, "consignment": consignment},
                )
    return sent

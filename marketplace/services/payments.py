"""Paying an order through a payment gateway, behind a small interface a real provider could implement.

The gateway is called outside any lock on stock or the order: a `pending` attempt row (one per
order at a time, a database constraint) keeps two pay requests from charging twice, then the
result is recorded and, on success, the order is marked paid in a short transaction.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError, InvalidTransition, PermissionDenied
from ewtp.money import Money
from marketplace.models import Order, OrderStatus, PaymentAttempt, PaymentStatus, User
from marketplace.services.orders import order_mark_paid

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    reference: str
    message: str = ""


class PaymentGateway(Protocol):
    name: str

    def charge(self, *, amount: Money, card_number: str, reference: str) -> ChargeResult:
        """Take `amount` from the card; never raises for a declined card (that is a result)."""
        ...


class SandboxGateway:
    """A pretend card processor for demos and tests — no money moves. `4242 4242 4242 4242`
    succeeds, `4000 0000 0000 0002` is declined, anything else is refused as an unknown test card."""

    name = "sandbox"
    SUCCEEDS = "4242424242424242"
    DECLINED = "4000000000000002"

    def charge(self, *, amount: Money, card_number: str, reference: str) -> ChargeResult:
        ref = "sbx_" + secrets.token_hex(8)
        if card_number == self.SUCCEEDS:
            return ChargeResult(True, ref)
        if card_number == self.DECLINED:
            return ChargeResult(False, ref, _("Your card was declined. Try another card."))
        return ChargeResult(False, ref, _("This sandbox accepts only the test cards shown on the page."))


class PaymentDeclined(DomainError):
    status_code = 402
    code = "payment_declined"


def gateway() -> PaymentGateway:
    path = getattr(settings, "EWTP_PAYMENT_GATEWAY", "marketplace.services.payments.SandboxGateway")
    return import_string(path)()


def normalise_card_number(raw: str) -> str:
    digits = "".join(ch for ch in str(raw) if not ch.isspace() and ch != "-")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        message = _("Enter a card number of 12 to 19 digits.")
        raise DomainError(message, field_errors={"card_number": [message]})
    return digits


def order_pay(*, order: Order, card_number: str, actor: User) -> PaymentAttempt:
    """Charge the order's total; on success the order is paid (escrow) and shops may ship.

    Raises `PaymentDeclined` (402) for a declined card — the order stays unpaid and can be paid
    again — and `InvalidTransition` (409) for an order that is not awaiting payment or has a
    payment in flight.
    """
    if order.buyer_id != actor.pk:
        raise PermissionDenied(_("Only the buyer can pay this order."))
    card = normalise_card_number(card_number)
    provider = gateway()
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status != OrderStatus.PENDING_PAYMENT:
                raise InvalidTransition(
                    _("Order %(number)s is %(status)s; it cannot be paid.")
                    % {"number": locked.number, "status": OrderStatus(locked.status).label}
                )
            attempt = PaymentAttempt.objects.create(
                order=locked,
                gateway=provider.name,
                status=PaymentStatus.PENDING,
                amount=locked.total_amount,
                currency=locked.currency,
                card_last4=card[-4:],
            )
    except IntegrityError:
        raise InvalidTransition(_("This order is already being paid.")) from None
    try:
        result = provider.charge(amount=order.total, card_number=card, reference=order.number)
    except Exception:
        logger.exception("payment gateway failed for order %s", order.number)
        result = None
    if result is None or not result.succeeded:
        attempt.status = PaymentStatus.FAILED if result is None else PaymentStatus.DECLINED
        attempt.reference = result.reference if result else ""
        attempt.message = result.message if result else _("The payment service did not answer. Try again.")
        attempt.save(update_fields=["status", "reference", "message", "updated_at"])
        raise PaymentDeclined(attempt.message, field_errors={"card_number": [attempt.message]})
    with transaction.atomic():
        attempt.status = PaymentStatus.SUCCEEDED
        attempt.reference = result.reference
        attempt.save(update_fields=["status", "reference", "updated_at"])
        order_mark_paid(order=order, actor=actor)
    return attempt

"""Paying an order through a payment gateway, behind a small interface a real provider could implement,
and reconciling payments a crash left half-done.

The gateway is called outside any lock on stock or the order: a `pending` attempt row (one per
order at a time, a database constraint) keeps two pay requests from charging twice. The charge is
made under the attempt's own reference (`pa_<id>`), so the gateway can later say whether *this*
attempt took the money. The request then finishes the attempt with a conditional update (`WHERE
status = 'pending'`) and, on success, marks the order paid in the same transaction.

A process can die between the charge and that finish (a SIGKILL, a gunicorn timeout): the attempt
stays `pending`. `payments_reconcile` (beat, every minute) asks the gateway about attempts pending
longer than `EWTP_PAYMENT_RECONCILE_MINUTES` — longer than any request may live (gunicorn kills one
after 30 s) — and finishes them the same way: a charge that went through completes the payment
(ledger, routing job, e-mail), one that did not fails the attempt so the order can be paid again
or expire. Whichever of the request and the reconciler finishes first wins; the other changes
nothing.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ewtp.exceptions import DomainError, InvalidTransition, PermissionDenied
from ewtp.money import Money
from marketplace.models import Order, OrderStatus, PaymentAttempt, PaymentStatus, SandboxCharge, User
from marketplace.services.orders import order_expire, order_mark_paid

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    reference: str  # the gateway's own id of the charge
    message: str = ""


class PaymentGateway(Protocol):
    name: str

    def charge(self, *, amount: Money, card_number: str, reference: str) -> ChargeResult:
        """Take `amount` from the card under our `reference`; never raises for a declined card
        (that is a result). Charging a reference twice must not take the money twice."""
        ...

    def lookup(self, reference: str) -> ChargeResult | None:
        """What became of the charge made under `reference`: its result, or None when no charge
        was made under it. Raises when the gateway cannot be asked (ask again later)."""
        ...


class SandboxGateway:
    """A pretend card processor for demos and tests — no money moves. `4242 4242 4242 4242`
    succeeds, `4000 0000 0000 0002` is declined, anything else is refused as an unknown test card.
    It keeps its charges (`SandboxCharge`, committed at once, as a provider's own books are) so it
    can answer `lookup`, and answers a repeated reference with its first result."""

    name = "sandbox"
    SUCCEEDS = "4242424242424242"
    DECLINED = "4000000000000002"

    def charge(self, *, amount: Money, card_number: str, reference: str) -> ChargeResult:
        known = self.lookup(reference)
        if known is not None:
            return known
        charge_id = "sbx_" + secrets.token_hex(8)
        if card_number == self.SUCCEEDS:
            result = ChargeResult(True, charge_id)
        elif card_number == self.DECLINED:
            result = ChargeResult(False, charge_id, _("Your card was declined. Try another card."))
        else:
            message = _("This sandbox accepts only the test cards shown on the page.")
            result = ChargeResult(False, charge_id, message)
        try:
            with transaction.atomic():
                SandboxCharge.objects.create(
                    reference=reference,
                    charge_id=result.reference,
                    succeeded=result.succeeded,
                    amount=amount.amount,
                    currency=amount.currency,
                    message=result.message,
                )
        except IntegrityError:  # the same reference charged at the same moment: the first one stands
            return self.lookup(reference) or result
        return result

    def lookup(self, reference: str) -> ChargeResult | None:
        charge = SandboxCharge.objects.filter(reference=reference).first()
        if charge is None:
            return None
        return ChargeResult(charge.succeeded, charge.charge_id, charge.message)


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


def _attempt_start(*, order: Order, provider: PaymentGateway, card: str) -> PaymentAttempt:
    """The `pending` attempt, committed before the gateway is called. An order past its payment
    window is expired here and now (its stock goes back), whatever the expiry job has done yet."""
    expired = False
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            expired = order_expire(order=locked)
            if not expired:
                if locked.status != OrderStatus.PENDING_PAYMENT:
                    raise InvalidTransition(
                        _("Order %(number)s is %(status)s; it cannot be paid.")
                        % {"number": locked.number, "status": OrderStatus(locked.status).label}
                    )
                return PaymentAttempt.objects.create(
                    order=locked,
                    gateway=provider.name,
                    status=PaymentStatus.PENDING,
                    amount=locked.total_amount,
                    currency=locked.currency,
                    card_last4=card[-4:],
                )
    except IntegrityError:
        raise InvalidTransition(_("This order is already being paid.")) from None
    assert expired
    raise InvalidTransition(
        _("Order %(number)s was not paid in time and has expired; its goods were released.")
        % {"number": order.number}
    )


def _attempt_finish(*, attempt: PaymentAttempt, result: ChargeResult | None, actor: User | None) -> bool:
    """Record the gateway's answer on a pending attempt and, for a charge that went through, mark
    the order paid, in one transaction. The attempt changes only while still pending (a
    conditional update): of the request and the reconciler, only the first to finish writes
    anything. Returns whether this call finished it."""
    with transaction.atomic():
        pending = PaymentAttempt.objects.filter(pk=attempt.pk, status=PaymentStatus.PENDING)
        if result is not None and result.succeeded:
            finished = pending.update(
                status=PaymentStatus.SUCCEEDED, reference=result.reference, updated_at=timezone.now()
            )
            if finished:
                order_mark_paid(order=attempt.order, actor=actor)
        else:
            status = PaymentStatus.FAILED if result is None else PaymentStatus.DECLINED
            message = result.message if result else _("The payment service did not answer. Try again.")
            finished = pending.update(
                status=status,
                reference=result.reference if result else "",
                message=message[:240],
                updated_at=timezone.now(),
            )
    return bool(finished)


def order_pay(*, order: Order, card_number: str, actor: User) -> PaymentAttempt:
    """Charge the order's total; on success the order is paid (escrow) and shops may ship.

    Raises `PaymentDeclined` (402) for a declined card — the order stays unpaid and can be paid
    again — and `InvalidTransition` (409) for an order that is not awaiting payment, has a
    payment in flight, or is past its payment window (it expires then).
    """
    if order.buyer_id != actor.pk:
        raise PermissionDenied(_("Only the buyer can pay this order."))
    card = normalise_card_number(card_number)
    provider = gateway()
    attempt = _attempt_start(order=order, provider=provider, card=card)
    try:
        result = provider.charge(amount=order.total, card_number=card, reference=attempt.charge_reference)
    except Exception:
        logger.exception("payment gateway failed for order %s", order.number)
        result = None
    if not _attempt_finish(attempt=attempt, result=result, actor=actor):
        # The reconciler finished it first (this request outlived the reconcile delay).
        logger.warning("payment attempt %s was finished by the reconciler first", attempt.pk)
    attempt.refresh_from_db()
    if attempt.status != PaymentStatus.SUCCEEDED:
        message = attempt.message or _("The payment did not go through. Try again.")
        raise PaymentDeclined(message, field_errors={"card_number": [message]})
    return attempt


def reconcile_after() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "EWTP_PAYMENT_RECONCILE_MINUTES", 2)))


def payment_reconcile(*, attempt: PaymentAttempt, actor: User | None = None) -> str:
    """Ask the gateway what became of a pending attempt and finish it: `succeeded` (the order is
    paid now), `failed` (no charge: the order can be paid again or expire), `declined`, `done`
    (no longer pending: nothing to do) or `unreachable` (the gateway did not answer; it stays
    pending for the next round)."""
    if attempt.status != PaymentStatus.PENDING:
        return "done"
    try:
        result = gateway().lookup(attempt.charge_reference)
    except Exception:
        logger.warning("payment reconciliation: the gateway did not answer for %s", attempt.pk, exc_info=True)
        return "unreachable"
    if result is None:
        result = ChargeResult(False, "", _("No payment was taken. You can pay this order again."))
        outcome = "failed"
    else:
        outcome = "succeeded" if result.succeeded else "declined"
    if not _attempt_finish(attempt=attempt, result=result, actor=actor):
        return "done"
    if outcome == "failed":  # no charge: say so in the attempt's status, not "declined"
        PaymentAttempt.objects.filter(pk=attempt.pk, status=PaymentStatus.DECLINED).update(
            status=PaymentStatus.FAILED
        )
    logger.warning("payment attempt %s reconciled: %s", attempt.pk, outcome)
    return outcome


def payments_reconcile(*, now: datetime | None = None, batch: int = 100) -> dict[str, int]:
    """Beat, every minute: reconcile the attempts pending for longer than
    `EWTP_PAYMENT_RECONCILE_MINUTES` (wall-clock time), oldest first; returns how many ended how."""
    now = now or timezone.now()
    attempts = (
        PaymentAttempt.objects.filter(status=PaymentStatus.PENDING, created_at__lte=now - reconcile_after())
        .select_related("order")
        .order_by("created_at")[:batch]
    )
    outcomes: dict[str, int] = {}
    for attempt in attempts:
        outcome = payment_reconcile(attempt=attempt)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes

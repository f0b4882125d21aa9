"""An order's life after placing: paid (money held in escrow), cancelled (stock back, refunded if
paid), expired when unpaid past its window. Transitions and locks: `marketplace.services.transitions`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import InvalidTransition, PermissionDenied
from marketplace import jobs, signals
from marketplace.models import (
    ConsignmentStatus,
    Order,
    OrderStatus,
    PaymentAttempt,
    PaymentStatus,
    User,
    WebhookEvent,
)
from marketplace.selectors.webhooks import order_paid_events
from marketplace.services import ledger
from marketplace.services.declarations import declarations_build
from marketplace.services.listings import stock_changed
from marketplace.services.placing import stock_return
from marketplace.services.transitions import consignment_transition, locked_order, order_transition
from marketplace.services.webhooks import webhook_events_emit, webhooks_wanted


@transaction.atomic
def order_mark_paid(*, order: Order, actor: User | None) -> Order:
    """The gateway took the money: hold it in escrow and let every shop ship its consignment."""
    order = locked_order(order)
    order_transition(order, OrderStatus.PAID, actor=actor)
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at"])
    consignments = list(order.consignments.select_for_update().order_by("pk"))
    for consignment in consignments:
        consignment_transition(consignment, ConsignmentStatus.READY_TO_SHIP, actor=actor)
        consignment.duties_paid = True  # DDP: duty and tax were part of the payment
        consignment.save(update_fields=["status", "duties_paid"])
    declarations_build(order=order, consignments=consignments)  # lodged ahead of the parcels
    ledger.ledger_record_payment(order=order)
    signals.consignments_ready_to_ship.send(sender=Order, order=order, consignments=consignments)
    jobs.send_order_emails("order_paid", order.pk)
    if webhooks_wanted([WebhookEvent.ORDER_PAID], (c.shop_id for c in consignments)):
        webhook_events_emit(order_paid_events(order, consignments))
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor: User) -> Order:
    """The buyer cancels before any parcel is handed over: stock returns and a paid order is refunded."""
    order = locked_order(order)
    if actor.pk != order.buyer_id and not actor.is_operator:
        raise PermissionDenied(_("Only the buyer can cancel this order."))
    if PaymentAttempt.objects.filter(order=order, status=PaymentStatus.PENDING).exists():
        raise InvalidTransition(_("A payment for this order is being processed; try again in a moment."))
    consignments = list(order.consignments.select_for_update().order_by("pk"))
    if any(
        c.status not in (ConsignmentStatus.AWAITING_PAYMENT, ConsignmentStatus.READY_TO_SHIP)
        for c in consignments
    ):
        raise InvalidTransition(
            _("A parcel of this order has already been handed over; it can no longer be cancelled.")
        )
    was_paid = order.status == OrderStatus.PAID
    order_transition(order, OrderStatus.CANCELLED, actor=actor)
    order.save(update_fields=["status"])
    for consignment in consignments:
        consignment_transition(consignment, ConsignmentStatus.CANCELLED, actor=actor)
        consignment.save(update_fields=["status"])
    listing_ids = stock_return(order)
    if was_paid:
        ledger.ledger_refund(order=order)
        PaymentAttempt.objects.filter(order=order, status=PaymentStatus.SUCCEEDED).update(
            status=PaymentStatus.REFUNDED
        )
        signals.consignments_cancelled.send(sender=Order, order=order, consignments=consignments)
    stock_changed(listing_ids)
    jobs.send_order_emails("order_cancelled", order.pk)
    return order


def _payment_in_flight() -> Exists:
    return Exists(PaymentAttempt.objects.filter(order=OuterRef("pk"), status=PaymentStatus.PENDING))


def order_expire(*, order: Order, now: datetime | None = None) -> bool:
    """Expire an unpaid order past its payment window (wall-clock time) and release its stock, in
    the caller's transaction with the order locked; False (nothing written) when it is not due,
    no longer unpaid, or a payment for it is in flight (the reconciler settles that first)."""
    if order.status != OrderStatus.PENDING_PAYMENT or order.expires_at > (now or timezone.now()):
        return False
    if PaymentAttempt.objects.filter(order=order, status=PaymentStatus.PENDING).exists():
        return False
    order_transition(order, OrderStatus.EXPIRED, actor=None, note=_("Not paid in time."))
    order.save(update_fields=["status"])
    for consignment in order.consignments.select_for_update().order_by("pk"):
        consignment_transition(consignment, ConsignmentStatus.CANCELLED, actor=None)
        consignment.save(update_fields=["status"])
    stock_changed(stock_return(order))
    return True


def orders_expire_due(*, now: datetime | None = None, batch: int = 200, rounds: int = 10) -> int:
    """Expire unpaid orders past their payment window and release their stock; returns how many.

    Run by Celery beat every minute, up to `rounds` batches of `batch`. Orders with a payment in
    flight are not even asked for (a pile of them never starves the rest); each order is expired
    in its own short transaction with `skip_locked`, so a payment being recorded is never raced.
    """
    now = now or timezone.now()
    expired = 0
    for _round in range(rounds):
        ids = list(
            Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, expires_at__lte=now)
            .exclude(_payment_in_flight())
            .order_by("expires_at")
            .values_list("pk", flat=True)[:batch]
        )
        for pk in ids:
            with transaction.atomic():
                order = Order.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
                if order is not None and order_expire(order=order, now=now):
                    expired += 1
        if len(ids) < batch:
            break
    return expired

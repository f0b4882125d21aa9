"""Status transitions of orders and consignments: checked against the transitions tables, written
with an append-only `OrderEvent` (from, to, actor, time, note); and the locks every path takes.

Lock order, on every path: the order, then its consignments (in id order), then — in logistics —
their shipments. Cancel, expiry and payment take them so, and so do hand-over and delivery, which
start from a consignment: they read its order's id without a lock, lock the order, then the
consignment (`locked_with_order`). Two paths that take the same rows in the same order wait for
each other instead of deadlocking (cancel against hand-over was a deadlock, answered 500).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ewtp.exceptions import InvalidTransition
from marketplace.models import (
    CONSIGNMENT_TRANSITIONS,
    ORDER_TRANSITIONS,
    Consignment,
    ConsignmentStatus,
    Order,
    OrderEvent,
    OrderStatus,
    User,
)


def order_transition_check(order: Order, to: OrderStatus) -> OrderStatus:
    """The order's current status, when it may become `to`; else `InvalidTransition` (409)."""
    current = OrderStatus(order.status)
    if to not in ORDER_TRANSITIONS[current]:
        raise InvalidTransition(
            _("Order %(number)s is %(status)s; it cannot become %(to)s.")
            % {"number": order.number, "status": current.label, "to": to.label}
        )
    return current


def consignment_transition_check(consignment: Consignment, to: ConsignmentStatus) -> ConsignmentStatus:
    """The consignment's current status, when it may become `to`; else `InvalidTransition` (409)."""
    current = ConsignmentStatus(consignment.status)
    if to not in CONSIGNMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("This consignment is %(status)s; it cannot become %(to)s.")
            % {"status": current.label, "to": to.label}
        )
    return current


def order_transition(order: Order, to: OrderStatus, *, actor: User | None, note: str = "") -> None:
    """Move a locked order to `to` (checked) with its event row; the caller saves the order."""
    current = order_transition_check(order, to)
    OrderEvent.objects.create(order=order, from_status=current, to_status=to, actor=actor, note=note)
    order.status = to


def consignment_transition(
    consignment: Consignment, to: ConsignmentStatus, *, actor: User | None, note: str = ""
) -> None:
    """Move a locked consignment to `to` (checked) with its event row; the caller saves it."""
    current = consignment_transition_check(consignment, to)
    OrderEvent.objects.create(
        order_id=consignment.order_id,
        consignment=consignment,
        from_status=current,
        to_status=to,
        actor=actor,
        note=note,
    )
    consignment.status = to


def locked_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def locked_with_order(consignment: Consignment) -> tuple[Order, Consignment]:
    """The consignment's order, then the consignment, locked in the house's lock order."""
    order_id = Consignment.objects.values_list("order_id", flat=True).get(pk=consignment.pk)
    order = Order.objects.select_for_update().get(pk=order_id)
    locked = Consignment.objects.select_for_update().select_related("shop").get(pk=consignment.pk)
    locked.order = order
    return order, locked

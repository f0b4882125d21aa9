"""Fulfilment: the seller hands a consignment over, it moves through the network, it is delivered —
which releases the seller's escrow exactly once and completes the order with its last consignment.
One at a time (a seller, an operator) or many at once (the simulation's tick), in the house's lock
order (`marketplace.services.transitions`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ewtp.exceptions import PermissionDenied
from marketplace.models import (
    Consignment,
    ConsignmentStatus,
    Order,
    OrderEvent,
    OrderStatus,
    User,
)
from marketplace.services import ledger
from marketplace.services.transitions import (
    consignment_transition,
    consignment_transition_check,
    locked_with_order,
    order_transition,
    order_transition_check,
)


@transaction.atomic
def consignment_hand_over(*, consignment: Consignment, actor: User) -> Consignment:
    """The seller gave the parcel to the first-mile courier. Locks the order, then the consignment."""
    order, consignment = locked_with_order(consignment)
    if not (actor.is_operator or consignment.shop.owner_id == actor.pk):
        raise PermissionDenied(_("Only the shop that ships this consignment can hand it over."))
    consignment_transition(consignment, ConsignmentStatus.HANDED_OVER, actor=actor)
    consignment.handed_over_at = timezone.now()
    consignment.save(update_fields=["status", "handed_over_at"])
    if order.status == OrderStatus.PAID:
        order_transition(order, OrderStatus.IN_FULFILMENT, actor=actor)
        order.save(update_fields=["status"])
    return consignment


@transaction.atomic
def consignment_mark_in_transit(*, consignment: Consignment, actor: User | None = None) -> Consignment:
    consignment = Consignment.objects.select_for_update().get(pk=consignment.pk)
    consignment_transition(consignment, ConsignmentStatus.IN_TRANSIT, actor=actor)
    consignment.save(update_fields=["status"])
    return consignment


@transaction.atomic
def consignments_mark_in_transit(*, consignment_ids: Iterable[int], actor: User | None = None) -> int:
    """Many handed-over consignments left their first hub at once (the simulation tick): one locking
    read, one insert of their events, one update — instead of a transaction each. Consignments no
    longer handed over (cancelled, already moving) are left as they are. Returns how many moved."""
    consignments = list(
        Consignment.objects.select_for_update()
        .filter(pk__in=list(consignment_ids), status=ConsignmentStatus.HANDED_OVER)
        .order_by("order_id", "pk")
    )
    if not consignments:
        return 0
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=consignment.order_id,
            consignment=consignment,
            from_status=ConsignmentStatus.HANDED_OVER,
            to_status=ConsignmentStatus.IN_TRANSIT,
            actor=actor,
        )
        for consignment in consignments
    )
    Consignment.objects.filter(pk__in=[consignment.pk for consignment in consignments]).update(
        status=ConsignmentStatus.IN_TRANSIT
    )
    return len(consignments)


@transaction.atomic
def consignments_mark_delivered(*, consignment_ids: Iterable[int], actor: User | None = None) -> int:
    """Many parcels reached their buyers at once (the simulation tick): as `consignment_mark_delivered`
    for each — escrow released once, the order completed with its last consignment — in a fixed
    number of statements. Locks their orders, then the consignments, each in id order (the house's
    lock order, as the single path). Consignments no longer in transit are left alone."""
    consignment_ids = list(consignment_ids)
    order_ids = set(Consignment.objects.filter(pk__in=consignment_ids).values_list("order_id", flat=True))
    locked_orders = Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk")
    orders = {order.pk: order for order in locked_orders}
    consignments = list(
        Consignment.objects.select_for_update()
        .filter(pk__in=consignment_ids)
        .exclude(status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED])
        .order_by("order_id", "pk")
    )
    if not consignments:
        return 0
    now = timezone.now()
    events = []
    for consignment in consignments:
        current = consignment_transition_check(consignment, ConsignmentStatus.DELIVERED)
        events.append(
            OrderEvent(
                order_id=consignment.order_id,
                consignment=consignment,
                from_status=current,
                to_status=ConsignmentStatus.DELIVERED,
                actor=actor,
            )
        )
        consignment.status, consignment.delivered_at = ConsignmentStatus.DELIVERED, now
        consignment.order = orders[consignment.order_id]
    Consignment.objects.filter(pk__in=[consignment.pk for consignment in consignments]).update(
        status=ConsignmentStatus.DELIVERED, delivered_at=now
    )
    ledger.ledger_release_many(consignments=consignments)
    still_open = set(
        Consignment.objects.filter(order_id__in=orders)
        .exclude(status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED])
        .values_list("order_id", flat=True)
    )
    completed = [order for pk, order in orders.items() if pk not in still_open]
    for order in completed:
        current = order_transition_check(order, OrderStatus.COMPLETED)
        events.append(
            OrderEvent(order=order, from_status=current, to_status=OrderStatus.COMPLETED, actor=actor)
        )
    OrderEvent.objects.bulk_create(events)
    Order.objects.filter(pk__in=[order.pk for order in completed]).update(status=OrderStatus.COMPLETED)
    return len(consignments)


@transaction.atomic
def consignment_mark_delivered(*, consignment: Consignment, actor: User | None = None) -> Consignment:
    """The parcel reached the buyer: release the seller's escrow (once) and complete the order when
    it was the last one. Delivering twice is refused (409), and the ledger's constraint holds anyway.
    Locks the order, then the consignment."""
    order, consignment = locked_with_order(consignment)
    consignment_transition(consignment, ConsignmentStatus.DELIVERED, actor=actor)
    consignment.delivered_at = timezone.now()
    consignment.save(update_fields=["status", "delivered_at"])
    consignment.order = order
    ledger.ledger_release(consignment=consignment)
    open_parts = order.consignments.exclude(
        status__in=[ConsignmentStatus.DELIVERED, ConsignmentStatus.CANCELLED]
    )
    if not open_parts.exists():
        order_transition(order, OrderStatus.COMPLETED, actor=actor)
        order.save(update_fields=["status"])
    return consignment

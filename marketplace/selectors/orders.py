"""Reads of orders, scoped to who asks: a buyer sees their own orders, a seller their shop's consignments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from marketplace.models import Consignment, Order, OrderLine, User


def _consignments_with_lines() -> Prefetch:
    """`shipment` is the reverse side of logistics' one-to-one on Consignment, joined by name (no
    import of logistics): a consignment's tracking number costs no query of its own."""
    return Prefetch(
        "consignments",
        queryset=Consignment.objects.select_related("shop", "shipment").prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id"))
        ),
    )


def orders_for_buyer(user: User) -> QuerySet[Order]:
    """The buyer's orders, newest first, with consignments and lines in a fixed number of queries."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(buyer=user).prefetch_related(_consignments_with_lines())


def order_get_for_buyer(*, user: User, number: str) -> Order | None:
    return orders_for_buyer(user).prefetch_related("events").filter(number=number).first()


def consignments_for_seller(user: User, *, status: str | None = None) -> QuerySet[Consignment]:
    """Consignments of the seller's own shop (never another shop's), newest first."""
    if not user.is_authenticated:
        return Consignment.objects.none()
    qs = (
        Consignment.objects.filter(shop__owner=user)
        .exclude(order__paid_at__isnull=True)  # a seller sees a consignment once it is paid
        .select_related("order", "shop", "shipment")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("-order__placed_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def consignment_get_for_seller(*, user: User, pk: int) -> Consignment | None:
    return consignments_for_seller(user).prefetch_related("events").filter(pk=pk).first()

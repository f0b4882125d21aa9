"""Reads for sellers: their shop and their listings."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import Listing, Shop, User


def listings_for_seller(actor: User) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(shop__owner=actor)
        .select_related("category", "shop")
        .prefetch_related("images")
        .order_by("-created_at", "-id")
    )


def listing_get_for_seller(*, actor: User, pk: int) -> Listing | None:
    return listings_for_seller(actor).filter(pk=pk).first()


def shop_for_user(user: User) -> Shop | None:
    if not user.is_authenticated:
        return None
    return Shop.objects.filter(owner=user).first()

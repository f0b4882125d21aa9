"""Reads scoped to the actor; they own select_related/prefetch_related so pages keep a
constant number of queries however many listings there are."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from marketplace.models import Category, Listing, Shop, User


def listings_public() -> QuerySet[Listing]:
    """Published listings with what a list page shows, in a fixed number of queries."""
    return (
        Listing.objects.filter(is_active=True).select_related("shop", "category").prefetch_related("images")
    )


def listings_visible_to(actor: User | None) -> QuerySet[Listing]:
    """Published listings, plus the actor's own unpublished ones."""
    base = Listing.objects.select_related("shop", "category").prefetch_related("images")
    if actor is not None and actor.is_authenticated:
        return base.filter(Q(is_active=True) | Q(shop__owner=actor))
    return base.filter(is_active=True)


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


def categories() -> QuerySet[Category]:
    return Category.objects.all()

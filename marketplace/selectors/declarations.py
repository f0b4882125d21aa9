"""Reading a consignment's customs declaration: its seller's (and operators') only."""

from __future__ import annotations

from marketplace.models import CustomsDeclaration, User


def declaration_for_seller(*, user: User, consignment_id: int) -> CustomsDeclaration | None:
    """The declaration of a consignment of the user's own shop; None for anyone else's (a 404)."""
    if not user.is_authenticated:
        return None
    found = CustomsDeclaration.objects.select_related("consignment").prefetch_related("lines")
    if not (user.is_staff or getattr(user, "is_operator", False)):
        found = found.filter(consignment__shop__owner=user)
    return found.filter(consignment_id=consignment_id).first()

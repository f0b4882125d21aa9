"""Receivers of Django's signals the marketplace listens to: thin, each hands the fact to a service."""

from __future__ import annotations

from django.http import HttpRequest

from marketplace.selectors.carts import CART_SESSION_KEY, session_cart_id
from marketplace.services.checkout import cart_merge_into_user


def merge_cart_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """`user_logged_in`: the visitor's cart becomes the buyer's, merged with theirs."""
    if request is None or not hasattr(request, "session"):
        return
    cart_id = session_cart_id(request)
    if cart_id is not None:
        cart_merge_into_user(cart_id=cart_id, user=user)
        request.session.pop(CART_SESSION_KEY, None)

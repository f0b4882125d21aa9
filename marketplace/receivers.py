"""Receivers of Django's signals the marketplace listens to: thin, each hands the fact to a service."""

from __future__ import annotations

from django.http import HttpRequest

from marketplace.selectors.carts import CART_SESSION_KEY, session_cart_id
from marketplace.services.checkout import cart_merge_into_user
from marketplace.services.tokens import token_cache_forget, token_cache_forget_user


def merge_cart_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """`user_logged_in`: the visitor's cart becomes the buyer's, merged with theirs."""
    if request is None or not hasattr(request, "session"):
        return
    cart_id = session_cart_id(request)
    if cart_id is not None:
        cart_merge_into_user(cart_id=cart_id, user=user)
        request.session.pop(CART_SESSION_KEY, None)


def forget_deleted_token(sender, instance, **kwargs) -> None:
    """`post_delete` of a Token (logout, expiry, the admin, a deleted user): no cached answer."""
    token_cache_forget([instance.key])


def forget_changed_user_tokens(sender, instance, update_fields=None, **kwargs) -> None:
    """`post_save` of a User: a cached token answer must not keep the old user (deactivated,
    made staff…). A login's `last_login` stamp changes nothing the API checks."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    token_cache_forget_user(instance.pk)

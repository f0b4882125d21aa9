"""API tokens: issued at registration and login, revoked at logout, and refused (deleted) once
older than `EWTP_TOKEN_TTL_HOURS` — a new login issues another."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from marketplace.models import User


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.EWTP_TOKEN_TTL_HOURS)


def token_expired(token: Token) -> bool:
    return token.created <= timezone.now() - token_lifetime()


@transaction.atomic
def token_for_user(*, user: User) -> Token:
    """The user's API token: the live one, or a new one when it has expired (or there is none)."""
    token, created = Token.objects.select_for_update().get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def token_revoke(*, token: Token) -> None:
    """Delete a token (logout, or found expired): it stops working at once."""
    Token.objects.filter(pk=token.pk).delete()

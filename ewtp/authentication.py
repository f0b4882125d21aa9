"""API authentication (kept apart from `ewtp.api`: DRF imports this while building `APIView`)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

TOKEN_KEY = re.compile(r"[!-~]{1,40}")  # printable ASCII, at most the 40 characters of the key column


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.EWTP_TOKEN_TTL_HOURS)


def token_expired(token: Token) -> bool:
    return token.created <= timezone.now() - token_lifetime()


def token_for_user(user) -> Token:
    """The user's API token: the live one, or a new one when it has expired (or there is none)."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before any query,
    and tokens older than `EWTP_TOKEN_TTL_HOURS` (deleted on sight: a new login issues another).

    A NUL byte in the header reached PostgreSQL, which refuses NUL in text: a 500 on every endpoint.
    """

    def authenticate_credentials(self, key: str):
        if not TOKEN_KEY.fullmatch(key):
            raise AuthenticationFailed(_("Invalid token."))
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("Token has expired: ask for a new one."))
        return user, token

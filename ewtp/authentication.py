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

from ewtp.db import CompiledQuery

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


# DRF's `Token.objects.select_related("user").get(key=key)`, compiled once per process: building
# it cost ~0.4 ms of CPU on every API request, running it ~0.04 ms.
_TOKEN_WITH_USER = CompiledQuery(
    lambda key: Token.objects.select_related("user").filter(key=key).order_by(), "\x00not-a-token\x00"
)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before any query,
    and tokens older than `EWTP_TOKEN_TTL_HOURS` (deleted on sight: a new login issues another).

    A NUL byte in the header reached PostgreSQL, which refuses NUL in text: a 500 on every endpoint.
    """

    def authenticate_credentials(self, key: str):
        if not TOKEN_KEY.fullmatch(key):
            raise AuthenticationFailed(_("Invalid token."))
        tokens = _TOKEN_WITH_USER.instances(key)
        if not tokens:
            raise AuthenticationFailed(_("Invalid token."))
        token = tokens[0]
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("Token has expired: ask for a new one."))
        return user, token

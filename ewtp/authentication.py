"""API authentication (kept apart from `ewtp.api`: DRF imports this while building `APIView`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed

from marketplace.services.tokens import token_expired, token_lookup, token_revoke

TOKEN_KEY = re.compile(r"[!-~]{1,40}")  # printable ASCII, at most the 40 characters of the key column


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before any query,
    and tokens older than `EWTP_TOKEN_TTL_HOURS` (deleted on sight: a new login issues another).

    A NUL byte in the header reached PostgreSQL, which refuses NUL in text: a 500 on every endpoint.
    """

    def authenticate_credentials(self, key: str):
        if not TOKEN_KEY.fullmatch(key):
            raise AuthenticationFailed(_("Invalid token."))
        token = token_lookup(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            token_revoke(token=token)
            raise AuthenticationFailed(_("Token has expired: ask for a new one."))
        return user, token

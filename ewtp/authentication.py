"""API authentication (kept apart from `ewtp.api`: DRF imports this while building `APIView`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed

TOKEN_KEY = re.compile(r"[!-~]{1,40}")  # printable ASCII, at most the 40 characters of the key column


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, refusing keys that cannot be tokens before any query.

    A NUL byte in the header reached PostgreSQL, which refuses NUL in text: a 500 on every endpoint.
    """

    def authenticate_credentials(self, key: str):
        if not TOKEN_KEY.fullmatch(key):
            raise AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)

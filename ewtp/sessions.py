"""Sessions: Django's cached_db store, refusing session cookies that it could never have issued.

A cookie such as `sessionid="aaaaaaaa\\000"` (cookie parsing decodes the octal escape) reached the
database lookup with a NUL byte, which PostgreSQL refuses: a 500 on every page. A key Django issues
is 32 characters of lowercase letters and digits; anything else is treated as no session.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

KEY_CHARS = frozenset(VALID_KEY_CHARS)
MAX_KEY_LENGTH = 40  # the session_key column


class SessionStore(CachedDbSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return super()._validate_session_key(key) and len(key) <= MAX_KEY_LENGTH and KEY_CHARS.issuperset(key)

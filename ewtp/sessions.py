"""Sessions: Django's cached_db store, refusing session cookies that it could never have issued,
and carrying on from the database when the cache is down.

A cookie such as `sessionid="aaaaaaaa\\000"` (cookie parsing decodes the octal escape) reached the
database lookup with a NUL byte, which PostgreSQL refuses: a 500 on every page. A key Django issues
is 32 characters of lowercase letters and digits; anything else is treated as no session.

With the cache (Redis) unreachable, Django's store raised from `exists()`, from the cache refill in
`load()` and from `delete()`: a browser login and every page of a logged-in user answered 500. Here
every cache call that fails is logged and skipped; the database is the record and answers alone.
(A session deleted while the cache is down stays in the cache until it expires there or the cache
restarts; the compose cache keeps nothing across restarts.)
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

KEY_CHARS = frozenset(VALID_KEY_CHARS)
MAX_KEY_LENGTH = 40  # the session_key column

logger = logging.getLogger(__name__)


class FailSoftCache:
    """The few cache calls the session store makes, each one failing soft with a warning."""

    def __init__(self, cache: Any):
        self._cache = cache

    def _warn(self, action: str) -> None:
        logger.warning("Session cache %s failed; using the database alone", action, exc_info=True)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self._cache.get(key, default)
        except Exception:
            self._warn("read")
            return default

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        try:
            self._cache.set(key, value, timeout)
        except Exception:
            self._warn("write")

    def delete(self, key: str) -> None:
        try:
            self._cache.delete(key)
        except Exception:
            self._warn("delete")

    def __contains__(self, key: str) -> bool:
        try:
            return key in self._cache
        except Exception:
            self._warn("lookup")
            return False

    def __getattr__(self, name: str) -> Any:  # anything else (async variants) as the cache has it
        return getattr(self._cache, name)

    def __str__(self) -> str:
        return str(self._cache)


class SessionStore(CachedDbSessionStore):
    def __init__(self, session_key: str | None = None):
        super().__init__(session_key)
        self._cache = FailSoftCache(self._cache)

    def _validate_session_key(self, key: str | None) -> bool:
        return super()._validate_session_key(key) and len(key) <= MAX_KEY_LENGTH and KEY_CHARS.issuperset(key)

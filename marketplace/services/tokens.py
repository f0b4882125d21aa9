"""API tokens: issued at registration and login, revoked at logout, and refused (deleted) once
older than `EWTP_TOKEN_TTL_HOURS` — a new login issues another.

Every API request looks its token up, so the lookup is cached (the token with its user, the
password hash left out) for at most `TOKEN_CACHE_SECONDS`. An entry never outlives a change:
revoking a token, deleting it, or saving its user writes a "look in the database" mark over the
entry, and a lookup only *adds* an entry — so a lookup that read the database just before the
change cannot put the old answer back over the mark. The mark lives as long as an entry could.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from marketplace.models import User

logger = logging.getLogger(__name__)

TOKEN_CACHE_SECONDS = 300
LOOK_IN_DATABASE = "look-in-database"


def token_lifetime() -> timedelta:
    return timedelta(hours=settings.EWTP_TOKEN_TTL_HOURS)


def token_expired(token: Token) -> bool:
    return token.created <= timezone.now() - token_lifetime()


def token_cache_key(key: str) -> str:
    """The cache entry of a token: named by a hash, so Redis never holds a usable key."""
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


def token_lookup(key: str) -> Token | None:
    """The token with this key, its user loaded (without the password hash); None if none."""
    cache_key = token_cache_key(key)
    try:
        cached = cache.get(cache_key)
    except Exception:  # a cache outage must not log everybody out: ask the database
        logger.warning("cache unavailable: API token read from the database", exc_info=True)
        cached = LOOK_IN_DATABASE
    if isinstance(cached, Token):
        return cached
    token = Token.objects.select_related("user").defer("user__password").filter(key=key).first()
    if token is not None and cached is None:
        try:
            cache.add(cache_key, token, TOKEN_CACHE_SECONDS)
        except Exception:
            logger.warning("cache unavailable: API token not cached", exc_info=True)
    return token


def token_cache_forget(keys: list[str]) -> None:
    """Mark these tokens' entries stale, now and once the caller's transaction commits (a lookup
    in between reads the old rows and must not be the last word)."""
    if not keys:
        return

    def mark() -> None:
        try:
            cache.set_many({token_cache_key(key): LOOK_IN_DATABASE for key in keys}, TOKEN_CACHE_SECONDS)
        except Exception:
            logger.error("cache unavailable: API tokens %s may stay cached", len(keys), exc_info=True)

    mark()
    transaction.on_commit(mark)


def token_cache_forget_user(user_id: int) -> None:
    """The user changed (deactivated, made staff, renamed…): their cached token answers go."""
    token_cache_forget(list(Token.objects.filter(user_id=user_id).values_list("key", flat=True)))


@transaction.atomic
def token_for_user(*, user: User) -> Token:
    """The user's API token: the live one, or a new one when it has expired (or there is none)."""
    token, created = Token.objects.select_for_update().get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def token_revoke(*, token: Token) -> None:
    """Delete a token (logout, or found expired): it stops working at once (the delete's signal
    marks its cache entry: `marketplace.receivers.forget_deleted_token`)."""
    Token.objects.filter(pk=token.pk).delete()

"""A version for "what the catalog shows", and caches keyed by it.

Every committed change to listings, their images, shops, categories or exchange rates bumps
one counter (`catalog_version`); cached catalog answers carry the version in their key, so a
change is visible on the very next request — no waiting for a time-out — and nothing has to
find and delete old entries (they age out of the cache on their own).

Two things are cached this way: facet/result counts (`marketplace.search`) and, for anonymous
visitors, whole catalog responses (the home/search page HTML and the product list JSON) — those
only from their second ask (`seen_before`), so one-off queries cannot fill the cache.
Anonymous HTML is stored with its CSRF tokens blanked and each visitor gets fresh ones when it
is served, so the forms on a cached page still work.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "catalog:version"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
CSRF_PLACEHOLDER = 'name="csrfmiddlewaretoken" value="__EWTP_CSRF__"'


def cache_seconds() -> int:
    """How long a versioned entry may live; 0 turns catalog caching off (benchmarks, debugging)."""
    return int(getattr(settings, "EWTP_CATALOG_CACHE_SECONDS", 3600))


def catalog_version() -> int | None:
    """The current version, or None when the cache is unreachable (then nothing is cached)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # A fresh start (or an evicted key) begins at the clock, never at an old number.
            cache.add(VERSION_KEY, time.time_ns(), None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception:  # a cache outage must not take the catalog down
        logger.warning("catalog cache unavailable", exc_info=True)
        return None


def bump_catalog_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # key missing: start again from the clock
        cache.add(VERSION_KEY, time.time_ns(), None)
    except Exception:
        logger.warning("catalog cache unavailable; cached catalog pages may be stale", exc_info=True)


def catalog_changed(**_: Any) -> None:
    """Signal receiver: bump now and again after the transaction commits.

    The second bump matters: a request that rendered between the first bump and the commit
    cached what it saw before the change, under the new version; the commit leaves it behind.
    """
    bump_catalog_version()
    transaction.on_commit(bump_catalog_version)


def versioned_key(kind: str, parts: Iterable[Any]) -> str | None:
    version = catalog_version()
    if version is None or cache_seconds() <= 0:
        return None
    digest = hashlib.sha256(repr((version, *parts)).encode()).hexdigest()
    return f"catalog:{kind}:{digest}"


def cache_get(key: str | None) -> Any:
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)
        return None


def cache_set(key: str | None, value: Any) -> None:
    if key is None:
        return
    try:
        cache.set(key, value, cache_seconds())
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)


def seen_before(key: str | None) -> bool:
    """Whether `key` was asked for within the last ten minutes (and remember this ask).

    Whole responses are stored only on their second ask: one-off queries (a crawler walking
    random searches) leave a tiny marker instead of a page, so the cache cannot be filled with
    responses nobody asks for twice.
    """
    if key is None:
        return False
    try:
        return not cache.add(f"{key}:seen", 1, 600)
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)
        return False


def card_cache_seconds() -> int:
    """Listing cards are keyed by their own content (never stale); 0 turns this cache off."""
    return int(getattr(settings, "EWTP_CARD_CACHE_SECONDS", 86400))


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    if not keys or card_cache_seconds() <= 0:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)
        return {}


def cache_set_many(values: dict[str, Any]) -> None:
    if not values or card_cache_seconds() <= 0:
        return
    try:
        cache.set_many(values, card_cache_seconds())
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)


def shipping_origins(ships_to: str | None) -> list[str] | None:
    """What a `ships_to` filter resolves to right now (it changes with the e-hub network)."""
    from marketplace import ports

    provider = ports.shipping()
    if not ships_to or provider is None:
        return None
    try:
        return sorted(provider.origin_countries_shipping_to(ships_to.strip().upper()[:2]))
    except Exception:  # invalid input is reported by the form; the key only needs to differ
        return None


def anonymous_page(
    request: HttpRequest, parts: Iterable[Any], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """Serve an anonymous visitor's page from the cache, or render and store it.

    Only 200 responses to anonymous GETs with no pending flash messages are cached; `parts`
    must name everything else the page depends on (query, display currency, country…).
    """
    cacheable = (
        request.method == "GET"
        and not request.user.is_authenticated
        and not list(getattr(request, "_messages", None) or [])
    )
    key = versioned_key("page", (request.path, get_language(), *parts)) if cacheable else None
    cached = cache_get(key)
    if cached is not None:
        content, content_type = cached
        html = CSRF_FIELD.sub(lambda _m: f'name="csrfmiddlewaretoken" value="{get_token(request)}"', content)
        response = HttpResponse(html, content_type=content_type)
        response["Content-Language"] = get_language()
        return response
    response = render()
    if key is not None and response.status_code == 200 and not response.cookies:
        content = CSRF_FIELD.sub(CSRF_PLACEHOLDER, response.content.decode(response.charset))
        if seen_before(key):
            cache_set(key, (content, response["Content-Type"]))
    return response

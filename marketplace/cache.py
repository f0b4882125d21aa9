"""Catalog caches, all keyed so they cannot be stale.

Two kinds of entry, and nothing that belongs to one visitor in either:

- **versioned** (`versioned_key`): facet/result counts and the rates in force. The key carries
  the `catalog` version (and the `stock` version when the answer depends on stock, e.g. the
  "in stock" filter) from `ewtp.versions`, which the services move after every committed change;
  the caller puts everything else that changes the answer in `parts` (filters, the date the
  rates are in force on, what `ships_to` resolves to…).
- **content-keyed** (listing cards, `marketplace.templatetags.catalog`): the key is what the card
  shows — title, price, rate, "out of stock", language… — so a change makes a new key by itself
  and a stock change elsewhere never throws away the other cards.

Whole pages and API responses are not cached: pages carry per-visitor parts (CSRF tokens, soon a
cart and a deliver-to country), and the API's `stock` must always be read from the database.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from ewtp import versions

logger = logging.getLogger(__name__)


def cache_seconds() -> int:
    """How long a versioned entry may live; 0 turns these caches off (benchmarks, debugging)."""
    return int(getattr(settings, "EWTP_CATALOG_CACHE_SECONDS", 3600))


def versioned_key(kind: str, parts: Iterable[Any], *, stock: bool = False) -> str | None:
    """A key under the current catalog version (and stock version if `stock`); None: do not cache."""
    if cache_seconds() <= 0:
        return None
    tokens = versions.current_many([versions.CATALOG, versions.STOCK] if stock else [versions.CATALOG])
    if tokens is None:
        return None
    digest = hashlib.sha256(repr((tokens, *parts)).encode()).hexdigest()
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

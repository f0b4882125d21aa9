"""Catalog caches, all keyed so they cannot be stale.

Two kinds of entry, and nothing that belongs to one visitor in either:

- **versioned** (`versioned_key`): facet/result counts, the categories and the rates in force.
  The key carries the `catalog` version (and the `stock` version when the answer depends on
  stock, e.g. the "in stock" filter) from `ewtp.versions`, which the services move after every
  committed change; the caller puts everything else that changes the answer in `parts`
  (filters, the date the rates are in force on, what `ships_to` resolves to…). Since such a key
  names its answer exactly, each process also keeps the last few hundred in memory and skips
  the round trip to Redis.
- **content-keyed** (listing cards, `marketplace.templatetags.catalog`): the key is what the card
  shows — title, price, rate, "out of stock", language… — so a change makes a new key by itself
  and a stock change elsewhere never throws away the other cards. Each process keeps the
  recent cards in memory as well (`card_memo`).

Whole pages and API responses are not cached: pages carry per-visitor parts (CSRF tokens, soon a
cart and a deliver-to country), and the API's `stock` must always be read from the database.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
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


class _ProcessMemo:
    """A small LRU of versioned answers in this process (thread-safe). Values are shared between
    requests: callers treat them as read-only."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


memo = _ProcessMemo(512)


def cache_get(key: str | None) -> Any:
    if key is None:
        return None
    value = memo.get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)
        return None
    if value is not None:
        memo.set(key, value)
    return value


def cache_set(key: str | None, value: Any) -> None:
    if key is None:
        return
    memo.set(key, value)
    try:
        cache.set(key, value, cache_seconds())
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)


def card_cache_seconds() -> int:
    """Listing cards are keyed by their own content (never stale); 0 turns this cache off."""
    return int(getattr(settings, "EWTP_CARD_CACHE_SECONDS", 86400))


# Cards are content-keyed (never stale), so each process keeps the most recent ones too and asks
# Redis only for those it has not rendered or fetched itself (a page of 24 cards from memory
# instead of one MGET and 24 unpicklings).
card_memo = _ProcessMemo(4096)


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    if not keys or card_cache_seconds() <= 0:
        return {}
    found = {key: value for key in keys if (value := card_memo.get(key)) is not None}
    missing = [key for key in keys if key not in found]
    if not missing:
        return found
    try:
        fetched = cache.get_many(missing)
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)
        return found
    for key, value in fetched.items():
        card_memo.set(key, value)
    return {**found, **fetched}


def cache_set_many(values: dict[str, Any]) -> None:
    if not values or card_cache_seconds() <= 0:
        return
    for key, value in values.items():
        card_memo.set(key, value)
    try:
        cache.set_many(values, card_cache_seconds())
    except Exception:
        logger.warning("catalog cache unavailable", exc_info=True)

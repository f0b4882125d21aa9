"""Named versions: the one cache-invalidation mechanism of the project.

A version is a random token stored in the cache (Redis) under its name — `catalog` (what catalog
pages show), `stock` (which listings are in stock), `network` (hubs, lanes, first/last-mile
services). Whatever is cached from those rows carries the token in its key, so a change is seen on
the very next request and nothing has to find and delete old entries (they age out on their own).

Who moves a version: the services, and only them. Each write service calls `bump_on_commit(name)`;
the token is replaced after the transaction commits, so no request can cache what it read before
the commit under the new token (a reader takes the token first, then reads the rows). Model
signals are not used: `update()`, `F()` and bulk writes send none.

A token is random, never a counter: a flushed or evicted key starts a fresh namespace that cannot
meet old entries, and a bump is one atomic SET in every cache backend. When the cache cannot be
reached, `current()` answers None and callers do not cache at all (slower, never stale).

Within one web request the tokens are read once (one round trip for all names, at the first
ask) and reused: a request sees one consistent set of versions, taken before it reads any rows.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

logger = logging.getLogger(__name__)

CATALOG = "catalog"  # listings' content, images, shops, categories, exchange rates
STOCK = "stock"  # a listing's stock crossing zero (in or out of stock)
NETWORK = "network"  # hubs, lanes, first/last-mile services
CUSTOMS = "customs"  # tax regimes, duty rates, restricted goods (the landed-cost rules)

NAMES = (CATALOG, STOCK, NETWORK, CUSTOMS)


def _key(name: str) -> str:
    return f"version:{name}"


def _new_token() -> str:
    return secrets.token_hex(8)


def current(name: str) -> str | None:
    """The token in force for `name`, or None when the cache is down (then cache nothing)."""
    tokens = current_many([name])
    return tokens[0] if tokens is not None else None


_request = threading.local()  # .tokens: this request's tokens, once read


def _request_started(**_kwargs) -> None:
    _request.tokens = {}


def _request_finished(**_kwargs) -> None:
    _request.tokens = None


request_started.connect(_request_started, dispatch_uid="ewtp-versions-request-started")
request_finished.connect(_request_finished, dispatch_uid="ewtp-versions-request-finished")


def current_many(names: Iterable[str]) -> tuple[str, ...] | None:
    """Several tokens in one round trip, in the order asked; None when the cache is down."""
    names = list(names)
    memo = getattr(_request, "tokens", None)
    if memo is None:  # outside a web request (tasks, commands): always ask the cache
        return _read(names)
    if not memo:
        memo.update(zip(NAMES, _read(NAMES) or (None,) * len(NAMES), strict=True))
    if any(memo.get(name) is None for name in names):
        return None
    return tuple(memo[name] for name in names)


def _read(names: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    try:
        found = cache.get_many([_key(name) for name in names])
        tokens = []
        for name in names:
            token = found.get(_key(name))
            if token is None:  # first use, or evicted: start a namespace nobody has used
                cache.add(_key(name), _new_token(), None)
                token = cache.get(_key(name))
                if token is None:
                    return None
            tokens.append(token)
        return tuple(tokens)
    except Exception:  # an outage of the cache must not take the pages down
        logger.warning("cache unavailable: versions unknown, nothing is cached", exc_info=True)
        return None


def bump(*names: str) -> None:
    """Move `names` now. Services call `bump_on_commit` instead."""
    for name in names:
        if name not in NAMES:
            raise ValueError(f"unknown version {name!r}")
    memo = getattr(_request, "tokens", None)
    if memo:  # a request that writes, then reads, sees its own write
        memo.clear()
    try:
        cache.set_many({_key(name): _new_token() for name in names}, None)
    except Exception:
        # Entries keyed by the old token live at most their time-out (EWTP_CATALOG_CACHE_SECONDS).
        logger.error("cache unavailable: could not move versions %s", names, exc_info=True)


def bump_on_commit(*names: str) -> None:
    """Move `names` once the current transaction commits (at once outside a transaction)."""
    for name in names:
        if name not in NAMES:
            raise ValueError(f"unknown version {name!r}")
    transaction.on_commit(lambda: bump(*names))

"""API throttles: DRF's, with rates read from settings at request time, the client address from
`ewtp.security.client_ip` (DRF's own trusts any `X-Forwarded-For`), an off switch, a cache outage
letting requests through rather than failing them, and counting that holds under parallel requests.

Rates live in `EWTP_THROTTLE_RATES` (`anon`, `user`, the scopes `quotes` and `register`
that views name with `throttle_scope`, and `tracking` for tracking-number lookups, by the API and
the HTML page); `EWTP_THROTTLES=off` turns all of them off.

Counting: DRF keeps a list of request times per client and reads it, then writes it back — two
parallel requests both read the same list, so 6-8 parallel clients got 870 of a 600/minute limit.
Here every request is one atomic increment of a counter in the cache (Redis `INCR`): the k-th
increment sees k, so however many arrive at once, only the limit's worth are let through (a
refused one takes its increment back). The window slides: the previous fixed window's count is
weighed by how much of it still overlaps the last `duration` seconds.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from rest_framework import throttling

from ewtp.security import client_ip

logger = logging.getLogger(__name__)


def take(cache, key: str, limit: int, seconds: int, now: float | None = None) -> int | None:
    """Count one request under `key` if fewer than `limit` were counted in the last `seconds`;
    returns None when it is let through, else the seconds to wait. Atomic per request."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    cache.add(current, 0, seconds * 2)
    count = cache.incr(current)
    before = cache.get(previous) or 0
    overlap = 1 - (now - window * seconds) / seconds  # how much of the previous window still counts
    if before * overlap + count <= limit:
        return None
    cache.decr(current)
    return max(1, math.ceil((window + 1) * seconds - now))


class _AtomicCount(throttling.SimpleRateThrottle):
    """SimpleRateThrottle's decision made with `take` (atomic) instead of its history list."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self._wait = take(self.cache, self.key, self.num_requests, self.duration)
        return self._wait is None

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class _SettingsRates:
    def get_rate(self) -> str | None:
        return settings.EWTP_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"

    def allow_request(self, request, view) -> bool:
        if not settings.EWTP_THROTTLES:
            return True
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: serve the request, do not fail it
            logger.warning("API throttle skipped: the cache did not answer", exc_info=True)
            return True


class _RateReadPerRequest(_SettingsRates):
    """The rate is read when a request comes, not at start-up, so settings may change (tests)."""

    def __init__(self) -> None:
        pass

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(_RateReadPerRequest, throttling.AnonRateThrottle, _AtomicCount):
    """Anonymous clients, per client address."""


class UserThrottle(_RateReadPerRequest, throttling.UserRateThrottle, _AtomicCount):
    """Authenticated clients, per account."""


class ScopedThrottle(_SettingsRates, throttling.ScopedRateThrottle, _AtomicCount):
    """Views that set `throttle_scope`, per account or client address (DRF reads the scope per request)."""


class TrackingLookupThrottle(_RateReadPerRequest, _AtomicCount):
    """Tracking-number lookups (scope `tracking`) per client address, signed in or not, so tracking
    numbers cannot be enumerated quickly."""

    scope = "tracking"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FailedLookupLimit:
    """For HTML pages that look something up by a guessable key (a tracking number): at most the
    scope's rate of lookups that found nothing, per client address. Lookups that find something
    are not counted, so a buyer refreshing their parcel's page is never slowed; a client over the
    limit is refused every lookup (found or not) until its window has room again, so the answer
    cannot be used to tell real numbers from unknown ones at full speed.

    Same rates (`EWTP_THROTTLE_RATES[scope]`), the same off switch, the same cache and the same
    atomic counting (`take`) as the API throttles; a cache outage lets requests through.
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def _rate(self) -> tuple[int, int] | None:
        if not settings.EWTP_THROTTLES:
            return None
        rate = settings.EWTP_THROTTLE_RATES.get(self.scope)
        count, seconds = throttling.SimpleRateThrottle.parse_rate(None, rate)
        return None if count is None else (count, seconds)

    def _key(self, request) -> str:
        return f"throttle_page_{self.scope}_{client_ip(request) or 'unknown'}"

    def retry_after(self, request) -> int | None:
        """Seconds until this client may look up again, or None when it may now (nothing counted)."""
        rate = self._rate()
        if rate is None:
            return None
        count, seconds = rate
        now = time.time()
        window = int(now // seconds)
        key = self._key(request)
        try:
            current = throttling.default_cache.get(f"{key}:{window}") or 0
            before = throttling.default_cache.get(f"{key}:{window - 1}") or 0
        except Exception:
            logger.warning("Page lookup limit skipped: the cache did not answer", exc_info=True)
            return None
        overlap = 1 - (now - window * seconds) / seconds
        if before * overlap + current < count:
            return None
        return max(1, math.ceil((window + 1) * seconds - now))

    def record_miss(self, request) -> None:
        """Count one lookup that found nothing (atomically; past the limit it counts no further)."""
        rate = self._rate()
        if rate is None:
            return
        count, seconds = rate
        try:
            take(throttling.default_cache, self._key(request), count, seconds)
        except Exception:
            logger.warning("Page lookup limit not recorded: the cache did not answer", exc_info=True)

"""API throttles: DRF's, with rates read from settings at request time, the client address from
`ewtp.security.client_ip` (DRF's own trusts any `X-Forwarded-For`), an off switch, and a cache
outage letting requests through rather than failing them.

Rates live in `EWTP_THROTTLE_RATES` (`anon`, `user`, the scopes `quotes` and `register`
that views name with `throttle_scope`, and `tracking` for tracking-number lookups, by the API and
the HTML page); `EWTP_THROTTLES=off` turns all of them off.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from rest_framework import throttling

from ewtp.security import client_ip

logger = logging.getLogger(__name__)


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


class AnonThrottle(_RateReadPerRequest, throttling.AnonRateThrottle):
    """Anonymous clients, per client address."""


class UserThrottle(_RateReadPerRequest, throttling.UserRateThrottle):
    """Authenticated clients, per account."""


class ScopedThrottle(_SettingsRates, throttling.ScopedRateThrottle):
    """Views that set `throttle_scope`, per account or client address (DRF reads the scope per request)."""


class TrackingLookupThrottle(_RateReadPerRequest, throttling.SimpleRateThrottle):
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

    Same rates (`EWTP_THROTTLE_RATES[scope]`), the same off switch and the same cache as the API
    throttles; a cache outage lets requests through.
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

    def _history(self, request, now: float, seconds: int) -> list[float]:
        history = throttling.default_cache.get(self._key(request), [])
        return [moment for moment in history if moment > now - seconds]

    def retry_after(self, request) -> int | None:
        """Seconds until this client may look up again, or None when it may now."""
        rate = self._rate()
        if rate is None:
            return None
        count, seconds = rate
        now = time.time()
        try:
            history = self._history(request, now, seconds)
        except Exception:
            logger.warning("Page lookup limit skipped: the cache did not answer", exc_info=True)
            return None
        if len(history) < count:
            return None
        return max(math.ceil(min(history) + seconds - now), 1)

    def record_miss(self, request) -> None:
        """Count one lookup that found nothing."""
        rate = self._rate()
        if rate is None:
            return
        _count, seconds = rate
        now = time.time()
        try:
            history = self._history(request, now, seconds)
            throttling.default_cache.set(self._key(request), [*history, now], seconds)
        except Exception:
            logger.warning("Page lookup limit not recorded: the cache did not answer", exc_info=True)

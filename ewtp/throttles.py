"""API throttles: DRF's, with rates read from settings at request time, the client address from
`ewtp.security.client_ip` (DRF's own trusts any `X-Forwarded-For`), an off switch, and a cache
outage letting requests through rather than failing them.

Rates live in `EWTP_THROTTLE_RATES` (`anon`, `user`, and the scopes `quotes` and `register`
that views name with `throttle_scope`); `EWTP_THROTTLES=off` turns all of them off.
"""

from __future__ import annotations

import logging

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

"""Who the client is: its address, from the socket unless a configured proxy says otherwise."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the login lock-out and the API throttles.

    `REMOTE_ADDR` unless `EWTP_BEHIND_PROXY` is set; then the entry of `X-Forwarded-For` that the
    nearest of `EWTP_PROXY_COUNT` proxies appended (counted from the right: entries further left
    are whatever the client sent and prove nothing).
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    if settings.EWTP_BEHIND_PROXY:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.EWTP_PROXY_COUNT:
            return _valid_ip(forwarded[-settings.EWTP_PROXY_COUNT]) or remote
    return remote

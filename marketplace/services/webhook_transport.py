"""Sending one webhook over HTTP without becoming a way into the private network (SSRF).

The URL's host is resolved at delivery time and every address it resolves to must be public; the
connection then goes to that checked address (TLS still verifies the certificate against the host
name), so a DNS answer that changes between the check and the connection cannot point the request
inside. HTTPS only; plain http, and loopback addresses, only with DEBUG on (a developer's local
receiver). Redirects are not followed; the answer's body is read up to 1 KB.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

CONNECT_SECONDS = 5.0
READ_SECONDS = 10.0
BODY_READ = 1024


class UnsafeDestination(ValueError):
    """The URL may not be called: wrong scheme, or it resolves to a private or loopback address."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int | None  # None: no HTTP answer (refused, timed out, unsafe)
    error: str
    milliseconds: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def url_problem(url: str) -> str | None:
    """What is wrong with `url` as a webhook target before any DNS lookup, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("Enter a valid URL.")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("Enter a full URL starting with https://.")
    if parts.scheme == "http" and not settings.DEBUG:
        return _("Webhook URLs must use https://.")
    if parts.username or parts.password:
        return _("Webhook URLs may not carry a user name or password.")
    if port == 0:
        return _("Enter a valid URL.")
    host = parts.hostname.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return None if settings.DEBUG else _("Webhooks cannot be sent to this machine or a private network.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: checked after DNS, at every delivery
    return None if _allowed(address) else _("Webhooks cannot be sent to this machine or a private network.")


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_global and not address.is_multicast:
        return True
    return bool(settings.DEBUG) and address.is_loopback


def resolve(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, the checked address to connect to), or `UnsafeDestination`."""
    problem = url_problem(url)
    if problem:
        raise UnsafeDestination(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeDestination(_("The host name does not resolve (%(error)s).") % {"error": error}) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or not all(_allowed(address) for address in addresses):
        raise UnsafeDestination(_("Webhooks cannot be sent to this machine or a private network."))
    return parts.scheme, host, port, str(addresses[0])


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url` through the checked address; never raises for the receiver's faults."""
    started = time.monotonic()

    def answer(status: int | None, error: str = "") -> Answer:
        return Answer(status, error[:300], int((time.monotonic() - started) * 1000))

    try:
        scheme, host, port, address = resolve(url)
    except UnsafeDestination as error:
        return answer(None, str(error))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, server_hostname=host, assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    host_header = host if parts.port is None else f"{host}:{port}"
    try:
        response = pool.urlopen(
            "POST", target, body=body, headers={**headers, "Host": host_header},
            redirect=False, preload_content=False,
        )  # fmt: skip
        try:
            response.read(BODY_READ)
        finally:
            response.release_conn()
        status = response.status
    except urllib3.exceptions.HTTPError as error:
        return answer(None, f"{type(error).__name__}: {error}")
    except OSError as error:
        return answer(None, f"{type(error).__name__}: {error}")
    finally:
        pool.close()
    return answer(status, "" if 200 <= status < 300 else f"HTTP {status}")

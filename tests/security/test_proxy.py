"""X-Forwarded-Proto and X-Forwarded-For are believed only when EWTP_BEHIND_PROXY says a proxy
sets them; otherwise any client could claim HTTPS, or a fresh address per login attempt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.marketplace.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
answer = Client().get("/api/v1/nope/", HTTP_X_FORWARDED_PROTO="https")
print(answer.status_code, getattr(settings, "SECURE_PROXY_SSL_HEADER", None))
"""


def production_request(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"EWTP_BEHIND_PROXY", "DJANGO_SETTINGS_MODULE"}}
    base.update(
        DJANGO_SETTINGS_MODULE="ewtp.settings",
        DEBUG="0",
        SECRET_KEY="proxy-test-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="1",
        **env,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_client_cannot_claim_https_without_a_configured_proxy():
    # Plain HTTP claiming to be HTTPS: still redirected to HTTPS, the header ignored.
    assert production_request() == "301 None"


def test_behind_a_proxy_its_forwarded_proto_is_believed():
    assert production_request(EWTP_BEHIND_PROXY="1") == "404 ('HTTP_X_FORWARDED_PROTO', 'https')"


def api_login(api_client, username, password, forwarded_for):
    return api_client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR="192.0.2.10",  # the proxy, or the client itself
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_address_lock(api_client, settings):
    settings.EWTP_LOGIN_SPRAY_ACCOUNTS = 3  # an address failing for 3 accounts is locked whole
    victims = UserFactory.create_batch(4)
    for n, victim in enumerate(victims[:3]):
        api_login(api_client, victim.username, "wrong", forwarded_for=f"198.51.100.{n}")
    assert api_login(api_client, victims[3].username, PASSWORD, "198.51.100.77").status_code == 429


@pytest.mark.django_db
def test_behind_a_proxy_the_lock_counts_the_forwarded_client_address(api_client, settings):
    settings.EWTP_LOGIN_SPRAY_ACCOUNTS = 3
    settings.EWTP_BEHIND_PROXY = True
    users = UserFactory.create_batch(4)
    for user in users[:3]:
        # Entries left of the proxy's own are the client's claims: the right-most one counts.
        api_login(api_client, user.username, "wrong", forwarded_for="1.2.3.4, 203.0.113.5")
    assert api_login(api_client, users[3].username, PASSWORD, "9.9.9.9, 203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert api_login(api_client, users[3].username, PASSWORD, "203.0.113.6").status_code == 200


def test_client_ip_ignores_garbage_in_forwarded_for(rf, settings):
    from ewtp.security import client_ip

    settings.EWTP_BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(request) == "192.0.2.10"
    settings.EWTP_BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "192.0.2.10"

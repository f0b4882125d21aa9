"""Brute-force lock-out on the three login doors: the token API, the web login and the admin login.

Counted per (account, address) pair; an address failing across many accounts (a spray) is locked
whole; an account failing from many addresses is locked at a much higher limit, except in a browser
it logged in from before. The right password is refused while locked, and known and unknown accounts
get the same answers. (ewtp/lockout.py; django-axes keeps the failures in the database.)
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.marketplace.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3  # per (account, address)
SPRAY = 4  # distinct accounts from one address
ACCOUNT_LIMIT = 8  # one account, all addresses


@pytest.fixture(autouse=True)
def _low_limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.EWTP_LOGIN_SPRAY_ACCOUNTS = SPRAY
    settings.EWTP_LOGIN_ACCOUNT_LIMIT = ACCOUNT_LIMIT


def api_login(api_client, username, password, **extra):
    return api_client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def web_login(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_a_pair_locks_after_repeated_failures_and_refuses_the_right_password(api_client):
    user = UserFactory()
    for _ in range(LIMIT - 1):
        assert api_login(api_client, user.username, "wrong").status_code == 401
    locked = api_login(api_client, user.username, "wrong")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert locked.json()["code"] == "login_locked"
    assert "Too many failed login attempts" in locked.json()["detail"]

    right = api_login(api_client, user.username, PASSWORD)
    assert right.status_code == 429 and "token" not in right.json()


def test_another_account_logs_in_from_the_address_where_one_was_attacked(api_client):
    """Carrier-grade NAT: one shared address, many people. X's attacker locks only (X, address)."""
    attacked, neighbour = UserFactory(), UserFactory()
    for _ in range(LIMIT):
        api_login(api_client, attacked.username, "wrong", REMOTE_ADDR="100.64.0.1")
    assert api_login(api_client, attacked.username, PASSWORD, REMOTE_ADDR="100.64.0.1").status_code == 429
    assert api_login(api_client, neighbour.username, PASSWORD, REMOTE_ADDR="100.64.0.1").status_code == 200


def test_ten_requests_from_anywhere_do_not_lock_the_owner_out(api_client):
    """Anyone could lock any account, the operator's included, with a handful of requests."""
    operator = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(LIMIT + 2):
        api_login(api_client, operator.username, "wrong", REMOTE_ADDR="203.0.113.9")
    assert api_login(api_client, operator.username, PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 200


def test_unknown_and_known_accounts_get_the_same_answers(api_client):
    user = UserFactory()
    known = [api_login(api_client, user.username, "wrong", REMOTE_ADDR="10.0.0.1") for _ in range(LIMIT)]
    unknown = [api_login(api_client, "nobody-here", "wrong", REMOTE_ADDR="10.0.0.2") for _ in range(LIMIT)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * (LIMIT - 1) + [429]
    assert [r.json() for r in known] == [r.json() for r in unknown]


def test_a_pair_lock_ignores_the_case_of_the_username(api_client):
    user = UserFactory(username="seller-lock")
    for n in range(LIMIT):
        api_login(api_client, "SELLER-LOCK" if n % 2 else "seller-lock", "wrong", REMOTE_ADDR="10.0.1.1")
    assert api_login(api_client, user.username, PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 429


def test_an_address_spraying_many_accounts_is_locked_as_a_whole(api_client):
    users = UserFactory.create_batch(SPRAY + 1)
    for user in users[:SPRAY]:
        assert api_login(api_client, user.username, "wrong", REMOTE_ADDR="10.0.3.7").status_code in (401, 429)
    # A fresh account, the right password, the same address: refused.
    assert api_login(api_client, users[-1].username, PASSWORD, REMOTE_ADDR="10.0.3.7").status_code == 429
    # Another address logs in to it fine.
    assert api_login(api_client, users[-1].username, PASSWORD, REMOTE_ADDR="10.0.3.8").status_code == 200


def test_an_account_attacked_from_many_addresses_is_slowed_but_its_own_browser_gets_in(client, api_client):
    owner = UserFactory()
    # The owner logged in from their phone before: it carries the signed device cookie.
    assert web_login(client, "/accounts/login/", owner.username, PASSWORD).status_code == 302
    assert client.cookies["ewtp_device"].value
    client.post("/accounts/logout/")
    for n in range(ACCOUNT_LIMIT):  # one try from each of many addresses: no pair reaches its limit
        api_login(api_client, owner.username, "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    # A new address without the cookie: locked, at the much higher per-account limit…
    assert api_login(api_client, owner.username, PASSWORD, REMOTE_ADDR="192.0.2.200").status_code == 429
    # …but the owner's own browser, from yet another address, gets in.
    page = web_login(client, "/accounts/login/", owner.username, PASSWORD, REMOTE_ADDR="192.0.2.201")
    assert page.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


def test_a_forged_device_cookie_exempts_nobody(client, api_client):
    owner = UserFactory()
    for n in range(ACCOUNT_LIMIT):
        api_login(api_client, owner.username, "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    client.cookies["ewtp_device"] = owner.username  # not signed by the site
    page = web_login(client, "/accounts/login/", owner.username, PASSWORD, REMOTE_ADDR="192.0.2.201")
    assert page.status_code == 429


def test_web_login_shows_the_lock_as_a_form_error(client):
    user = UserFactory()
    for _ in range(LIMIT - 1):
        page = web_login(client, "/accounts/login/", user.username, "wrong")
        assert page.status_code == 200
    page = web_login(client, "/accounts/login/", user.username, "wrong")
    assert page.status_code == 429
    assert page["Retry-After"]
    html = page.content.decode()
    assert "Too many failed login attempts" in html and 'role="alert"' in html
    assert '<form method="post"' in html  # the login form, not a bare error page

    page = web_login(client, "/accounts/login/", user.username, PASSWORD)
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_is_locked_too(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(LIMIT):
        page = web_login(client, "/admin/login/", operator.username, "wrong")
    assert page.status_code == 429
    assert "Too many failed login attempts" in page.content.decode()
    page = web_login(client, "/admin/login/?next=/admin/", operator.username, PASSWORD)
    assert page.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_the_lock_ends_after_the_cool_off(api_client, settings):
    from datetime import timedelta

    user = UserFactory()
    for _ in range(LIMIT):
        api_login(api_client, user.username, "wrong")
    assert api_login(api_client, user.username, PASSWORD).status_code == 429
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert api_login(api_client, user.username, PASSWORD).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=100)
def test_a_nul_byte_in_the_username_is_no_server_error(client, api_client):
    assert web_login(client, "/accounts/login/", "bad\x00name", "wrong").status_code == 200

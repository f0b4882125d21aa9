"""API tokens expire (EWTP_TOKEN_TTL_HOURS) and `POST /api/v1/auth/logout/` revokes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from marketplace.services.tokens import (
    LOOK_IN_DATABASE,
    TOKEN_CACHE_SECONDS,
    token_cache_forget,
    token_cache_key,
    token_lookup,
)
from tests.marketplace.factories import PASSWORD, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db

MINE = "/api/v1/products/"


def login(api_client, user) -> str:
    answer = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200
    return answer.json()["token"]


def age(key: str, hours: float) -> None:
    """Rewrite a token's birth (which never changes in life, so the token cache is told too)."""
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=hours))
    token_cache_forget([key])


def test_an_expired_token_is_refused_with_401_and_deleted(api_client, settings):
    settings.EWTP_TOKEN_TTL_HOURS = 24
    key = login(api_client, SellerFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    age(key, 23)
    assert api_client.post(MINE, {}, format="json").status_code == 400  # still good: reaches validation
    age(key, 25)
    answer = api_client.post(MINE, {}, format="json")
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    assert not Token.objects.filter(key=key).exists()


def test_logging_in_again_after_expiry_gives_a_fresh_token(api_client, settings):
    settings.EWTP_TOKEN_TTL_HOURS = 24
    user = UserFactory()
    old = login(api_client, user)
    age(old, 48)  # expired but not yet used: the token endpoint must not hand it out again
    new = login(api_client, user)
    assert new != old
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204


def test_logout_deletes_the_callers_token_and_it_stops_working(api_client):
    seller = SellerFactory()
    key = login(api_client, seller)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert api_client.post(MINE, {}, format="json").status_code == 401
    assert api_client.post("/api/v1/auth/logout/").status_code == 401


def test_logout_needs_a_token(api_client):
    answer = api_client.post("/api/v1/auth/logout/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"


def test_logout_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/auth/logout/"]["post"]
    assert "204" in operation["responses"] and "401" in operation["responses"]


def test_the_schema_documents_429_where_throttles_and_the_lock_out_answer(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    assert "429" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in schema["paths"]["/api/v1/shipping/quotes/"]["post"]["responses"]


# --- The token cache: the API's hottest read, never staler than the database -----------------------


def token_queries(api_client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get("/api/v1/orders/").status_code == 200
    return sum("authtoken_token" in query["sql"] for query in captured.captured_queries)


def test_a_token_is_read_from_the_database_once_then_from_the_cache(api_client):
    key = login(api_client, UserFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_queries(api_client) == 1
    assert token_queries(api_client) == 0
    cached = token_lookup(key)
    assert cached.user.get_deferred_fields() == {"password"}  # no password hash in the cache


def test_logout_stops_a_cached_token_at_once(api_client):
    key = login(api_client, SellerFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_queries(api_client) == 1 and token_queries(api_client) == 0  # cached now
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert api_client.get("/api/v1/orders/").status_code == 401


@pytest.mark.parametrize("change", ["deactivate", "delete token", "delete user"])
def test_a_change_made_anywhere_stops_a_cached_answer(api_client, change):
    user = UserFactory()
    key = login(api_client, user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_queries(api_client) == 1 and token_queries(api_client) == 0
    if change == "deactivate":  # as the admin does: a save of the user
        user.is_active = False
        user.save()
    elif change == "delete token":
        Token.objects.get(key=key).delete()
    else:
        user.delete()
    assert api_client.get("/api/v1/orders/").status_code == 401


def test_a_user_change_reaches_a_cached_token(api_client):
    user = UserFactory(first_name="Amina")
    key = login(api_client, user)
    token_lookup(key)
    user.first_name = "Wanjiru"
    user.save()
    assert token_lookup(key).user.first_name == "Wanjiru"


def test_a_lookup_that_read_before_a_change_cannot_put_the_old_answer_back(api_client):
    """The race a delete-then-fill cache loses: a lookup reads the row, the token is revoked (its
    entry marked), then the lookup stores what it read. The mark wins: the fill only adds."""
    key = login(api_client, UserFactory())
    stale = Token.objects.select_related("user").get(key=key)
    token_cache_forget([key])
    Token.objects.filter(key=key).delete()
    assert not cache.add(token_cache_key(key), stale, TOKEN_CACHE_SECONDS)  # the slow fill
    assert cache.get(token_cache_key(key)) == LOOK_IN_DATABASE
    assert token_lookup(key) is None


def test_a_marked_token_is_read_from_the_database_and_not_cached_again(api_client):
    user = UserFactory()
    key = login(api_client, user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    user.last_name = "Otieno"
    user.save()  # marks the entry for TOKEN_CACHE_SECONDS
    assert token_queries(api_client) == 1
    assert token_queries(api_client) == 1  # still from the database while the mark lives


def test_a_login_stamp_keeps_the_cached_token(api_client):
    user = UserFactory()
    key = login(api_client, user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert token_queries(api_client) == 1
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert token_queries(api_client) == 0

"""API tokens expire (EWTP_TOKEN_TTL_HOURS) and `POST /api/v1/auth/logout/` revokes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

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
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=hours))


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

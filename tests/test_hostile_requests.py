"""Hostile headers, cookies and paths the fuzzer found answered 500 on every endpoint (docs/fuzzing.md)."""

from __future__ import annotations

import pytest
from django.urls import clear_url_caches
from rest_framework.authtoken.models import Token

from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db

BAD_TOKENS = ["\x00", "ab\x00cd", "a" * 41, "é" * 10, "x" * 5000]


@pytest.mark.parametrize("key", BAD_TOKENS, ids=range(len(BAD_TOKENS)))
@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/rates/", "/api/v1/hubs/"])
def test_a_token_that_cannot_be_one_is_401_json(api_client, key, url):
    """`Authorization: Token ab\\0cd` reached PostgreSQL with a NUL byte (a 500 everywhere)."""
    response = api_client.get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Invalid token")


def test_a_real_token_still_authenticates(api_client):
    user = UserFactory()
    token = Token.objects.create(user=user)
    response = api_client.post(
        "/api/v1/products/", {}, format="json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 403  # authenticated as a buyer, not refused as anonymous


BAD_SESSION_KEYS = ["aaaaaaaa\x00", '"aaaaaaaa\\000"', "AAAAAAAAAAAA", "a" * 41, "a" * 5000, "aaaa aaaa"]


@pytest.mark.parametrize("key", BAD_SESSION_KEYS, ids=range(len(BAD_SESSION_KEYS)))
@pytest.mark.parametrize("url", ["/", "/network/", "/api/v1/products/", "/accounts/login/"])
def test_a_session_cookie_that_cannot_be_a_key_is_no_session(client, key, url):
    """`Cookie: sessionid="aaaaaaaa\\000"` reached PostgreSQL with a NUL byte (a 500 on every page)."""
    client.cookies["sessionid"] = key
    response = client.get(url)
    assert response.status_code == 200


def test_a_real_session_still_logs_in(client):
    user = UserFactory(username="kept-in")
    client.force_login(user)
    assert len(client.cookies["sessionid"].value) == 32
    response = client.get("/")
    assert response.wsgi_request.user == user


@pytest.fixture
def media_served(settings):
    settings.EWTP_SERVE_MEDIA = True
    import importlib

    import ewtp.urls

    importlib.reload(ewtp.urls)
    clear_url_caches()
    yield
    importlib.reload(ewtp.urls)
    clear_url_caches()


@pytest.mark.usefixtures("media_served")
@pytest.mark.parametrize("name", ["a" * 5000, "listings/" + "b" * 300 + "/x.png"])
def test_a_media_name_too_long_for_the_file_system_is_404(client, name):
    """`/media/aaaa…` (over NAME_MAX) raised OSError ENAMETOOLONG in `serve` (a 500)."""
    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.usefixtures("media_served")
def test_an_existing_media_file_is_still_served(client, settings):
    """Only under an image name, as that image type (tests/marketplace/test_inert_uploads.py)."""
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "hello.png").write_text("hi")
    response = client.get("/media/hello.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"hi"


@pytest.mark.parametrize(
    "url", ["/api/v1/nope/", "/api/v1/shops/a%00b/", "/api/v1/hubs/ab1/", "/api/v1/products/x/"]
)
def test_an_api_url_that_matches_no_route_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_page_that_matches_no_route_is_still_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")

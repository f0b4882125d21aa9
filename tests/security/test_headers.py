"""Content-Security-Policy and Permissions-Policy on every page; the API docs loosen only styles
and data: images (Chromium shows it needs no more: tests/browser/test_content_security_policy.py)."""

from __future__ import annotations

import pytest

from tests.marketplace.factories import ListingFactory

pytestmark = pytest.mark.django_db


def policy(answer) -> dict[str, list[str]]:
    header = answer["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture
def pages(db):
    listing = ListingFactory()
    return [
        "/",
        listing.get_absolute_url(),
        listing.shop.get_absolute_url(),
        "/network/",
        "/accounts/login/",
        "/admin/login/",
    ]


def test_every_page_has_a_strict_content_security_policy(client, pages):
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        csp = policy(answer)
        assert csp["default-src"] == ["'self'"], url
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["form-action"] == ["'self'"]


def test_the_api_docs_get_only_style_and_data_image_exceptions(client):
    answer = client.get("/api/docs/")
    assert answer.status_code == 200
    csp = policy(answer)
    assert csp["script-src"] == ["'self'"]  # Swagger UI's start-up script is a file, not inline
    assert set(csp["style-src"]) == {"'self'", "'unsafe-inline'"}
    assert set(csp["img-src"]) == {"'self'", "data:"}
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "<script>" not in answer.content.decode()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]


def test_api_answers_carry_the_policy_too(api_client):
    answer = api_client.get("/api/v1/categories/")
    assert "'unsafe-inline'" not in answer["Content-Security-Policy"]


def test_permissions_policy_everywhere(client, api_client, pages):
    for answer in [client.get(url) for url in pages] + [api_client.get("/api/v1/categories/")]:
        header = answer["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=(self)"):
            assert feature in header

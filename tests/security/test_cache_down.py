"""With the cache Redis unreachable (a closed port), logged-in users carry on: sessions come from
the database, throttles let requests through, the lock-out keeps counting in the database."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.marketplace.factories import PASSWORD, ListingFactory, SellerFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "ewtp.redis_cache.RedisCache",  # the backend the settings use
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    from django.core.cache import cache

    with pytest.raises(Exception):  # noqa: B017 - whatever redis raises: the cache is really down
        cache.get("probe")


def test_browser_login_and_the_pages_of_a_session_work_without_the_cache(client, cache_down):
    buyer = UserFactory()
    listing = ListingFactory()
    login = client.post("/accounts/login/", {"username": buyer.username, "password": PASSWORD})
    assert login.status_code == 302
    for url in (
        "/accounts/me/",
        "/",
        listing.get_absolute_url(),
        listing.shop.get_absolute_url(),
        "/network/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert buyer.username in page.content.decode(), url  # still logged in
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_seller_works_on_listings_without_the_cache(client, cache_down):
    shop = ShopFactory(owner=SellerFactory())
    ListingFactory(shop=shop)
    client.post("/accounts/login/", {"username": shop.owner.username, "password": PASSWORD})
    for url in ("/seller/listings/", "/seller/shop/", "/seller/listings/new/"):
        assert client.get(url).status_code == 200, url


def test_the_api_answers_without_the_cache(api_client, cache_down):
    token = Token.objects.create(user=UserFactory())
    assert api_client.get("/api/v1/categories/").status_code == 200  # throttles let it through
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/products/").status_code == 200


def test_the_lock_out_holds_without_the_cache(api_client, cache_down, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory()
    for _ in range(2):
        api_client.post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
    answer = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 429

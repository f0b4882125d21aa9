"""The versioned catalog cache: cached answers are served without queries, and any change to
the catalog is visible on the very next request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from marketplace.services.listings import listing_set_published, listing_update
from marketplace.services.shops import shop_set_verified, shop_update
from tests.marketplace.catalog_factories import (  # noqa: F401
    CategoryFactory,
    ListingFactory,
    ShopFactory,
    _no_shipping_provider,
    rates,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def queries(client, url: str, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def test_anonymous_home_page_is_served_from_cache_and_a_new_listing_shows_at_once(client):
    shop = ShopFactory()
    ListingFactory(shop=shop, title="Kiondo basket")
    first, _ = queries(client, "/")
    second, _ = queries(client, "/")  # stored on its second ask
    again, page = queries(client, "/")
    assert first > 0 and second > 0 and again == 0
    assert "Kiondo basket" in page and "1 listing" in page
    ListingFactory(shop=shop, title="Soapstone bowl")
    _, page = queries(client, "/")
    assert "Soapstone bowl" in page and "2 listings" in page


def test_unpublishing_and_price_changes_show_at_once(client):
    listing = ListingFactory(title="Kiondo basket", price_amount=Decimal("45.00"))
    queries(client, "/")
    listing_set_published(listing=listing, actor=listing.shop.owner, published=False)
    _, page = queries(client, "/")
    assert "Kiondo basket" not in page


def test_cached_page_varies_with_query_language_and_currency(client):
    ListingFactory(title="Kiondo basket", description="woven sisal")
    ListingFactory(title="Coffee beans")
    _, search = queries(client, "/?search=kiondo")
    assert "Kiondo basket" in search and "Coffee beans" not in search
    _, everything = queries(client, "/")
    assert "Coffee beans" in everything
    _, french = queries(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Se connecter" in french
    _, english = queries(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in" in english


def test_forms_on_a_cached_page_carry_a_working_csrf_token():
    ListingFactory(title="Kiondo basket")
    Client().get("/")  # someone else asks twice: the page is stored
    Client().get("/")
    browser = Client(enforce_csrf_checks=True)
    count, page = queries(browser, "/")
    assert count == 0  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert token != "__EWTP_CSRF__"
    response = browser.post("/currency/", {"currency": "KES", "csrfmiddlewaretoken": token, "next": "/"})
    assert response.status_code == 302
    assert "KES" in browser.get("/").content.decode()


def test_logged_in_users_never_get_the_anonymous_cache(client, django_user_model):
    ListingFactory(title="Kiondo basket")
    queries(Client(), "/")
    client.force_login(django_user_model.objects.create_user("amina", country="KE"))
    count, page = queries(client, "/")
    assert count > 0 and "amina" in page


def test_api_list_is_cached_and_an_update_is_visible_at_once(api_client):
    listing = ListingFactory(title="Kiondo basket", price_amount=Decimal("45.00"))
    first, _ = queries(api_client, "/api/v1/products/")
    queries(api_client, "/api/v1/products/")  # stored on its second ask
    again, _ = queries(api_client, "/api/v1/products/")
    assert first > 0 and again == 0
    token, _ = Token.objects.get_or_create(user=listing.shop.owner)
    writer = api_client.__class__()
    writer.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert (
        writer.patch(f"/api/v1/products/{listing.pk}/", {"price": "50.00"}, format="json").status_code == 200
    )
    body = api_client.get("/api/v1/products/").json()
    assert body["results"][0]["price"] == "50.00"


def test_bulk_shop_verification_moves_the_catalog_version(api_client):
    listing = ListingFactory()
    assert api_client.get("/api/v1/products/").json()["results"][0]["shop"]["is_verified"] is False
    shop_set_verified(shops=type(listing.shop).objects.filter(pk=listing.shop.pk), verified=True)
    assert api_client.get("/api/v1/products/").json()["results"][0]["shop"]["is_verified"] is True


def test_caching_can_be_turned_off(client, settings):
    settings.EWTP_CATALOG_CACHE_SECONDS = 0
    ListingFactory()
    first, _ = queries(client, "/")
    assert queries(client, "/")[0] == first


# Listing cards are cached by their own content: a change to anything a card shows must show.


def card_of(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</article>", start)]


def test_card_shows_a_stock_change(client):
    listing = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl")
    assert "Out of stock" not in card_of(queries(client, "/")[1], "Kiondo basket")
    listing_update(listing=listing, actor=listing.shop.owner, stock=0)
    page = queries(client, "/")[1]
    assert "Out of stock" in card_of(page, "Kiondo basket")
    assert "Out of stock" not in card_of(page, "Soapstone bowl")


def test_card_shows_a_shop_rename_and_a_new_rate(client):
    from datetime import date

    from marketplace.models import ExchangeRate

    listing = ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"))  # MYR, 4 per USD
    page = queries(client, "/")[1]
    assert "$10.00" in card_of(page, "Kiondo basket")
    shop_update(shop=listing.shop, actor=listing.shop.owner, name="Nairobi Weavers")
    ExchangeRate.objects.create(
        currency="MYR", units_per_usd=Decimal("5"), valid_from=date(2025, 6, 1), source="test"
    )
    card = card_of(queries(client, "/")[1], "Kiondo basket")
    assert "Nairobi Weavers" in card and "$8.00" in card


def test_cards_can_be_turned_off(client, settings):
    settings.EWTP_CARD_CACHE_SECONDS = 0
    ListingFactory(title="Kiondo basket")
    assert "Kiondo basket" in queries(client, "/")[1]


def test_one_off_queries_are_not_stored(client):
    """A crawler walking random searches must not fill the cache with pages nobody asks for twice."""
    from django.core.cache import cache

    ListingFactory(title="Kiondo basket")
    for word in ("alpha", "bravo", "charlie"):
        queries(client, f"/?search={word}")
    stored = [key for key in cache._cache.get_client().keys("*catalog:page:*") if not key.endswith(b":seen")]
    assert stored == []
    queries(client, "/?search=alpha")  # asked again: now it is worth keeping
    stored = [key for key in cache._cache.get_client().keys("*catalog:page:*") if not key.endswith(b":seen")]
    assert len(stored) == 1

"""The catalog's caches are never stale (`marketplace.cache`, `ewtp.versions`).

Every test asks twice before a change, so the second answer comes from the cache (the hit path),
and names in its docstring the invalidation it guards: remove that call and the test fails.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ewtp import versions
from marketplace.models import ExchangeRate, Role
from marketplace.services.fx import exchange_rate_save
from marketplace.services.listings import (
    listing_create,
    listing_image_add,
    listing_set_published,
    listing_stock_set,
    listing_update,
)
from marketplace.services.shops import shop_update
from marketplace.templatetags import catalog as catalog_tags
from tests.marketplace.conftest import png_upload
from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)
from tests.marketplace.factories import (
    CatalogShopFactory as ShopFactory,
)
from tests.marketplace.factories import (
    CategoryFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def get(client, url: str, **extra) -> tuple[int, str]:
    """(queries run, body) of a 200 answer."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def twice(client, url: str, **extra) -> str:
    """Ask twice; the second answer must come with fewer queries (its counts from the cache)."""
    first, _ = get(client, url, **extra)
    second, body = get(client, url, **extra)
    assert second < first, (first, second)
    return body


def card_of(page: str, title: str) -> str:
    at = page.index(f">{title}<")
    return page[page.rindex("<article", 0, at) : page.index("</article>", at)]


def facet_count(page: str, label: str) -> int:
    return int(re.search(rf">[^<]*{re.escape(label)}</a> <span class=\"muted\">\((\d+)\)", page).group(1))


@pytest.fixture
def rendered_cards(monkeypatch) -> list[str]:
    """The titles of the cards rendered by the template engine (not served from the cache)."""
    titles: list[str] = []
    render = catalog_tags._render_card

    def counting(card, context, listing, thumbnail):
        titles.append(listing.title)
        return render(card, context, listing, thumbnail)

    monkeypatch.setattr(catalog_tags, "_render_card", counting)
    return titles


@pytest.fixture
def seller(db):
    return ShopFactory(owner__role=Role.SELLER).owner


# --- The cards' rows: cached under the catalog and stock versions --------------------------------


def card_queries(client, url: str) -> tuple[int, str]:
    """(queries that read a page of cards, body)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if '"marketplace_shop"."name"' in q["sql"] and '"marketplace_listing"."title"' in q["sql"]
    ]
    return len(reads), response.content.decode()


def test_a_page_of_cards_is_read_once_and_follows_a_price_change(client, django_capture_on_commit_callbacks):
    """Guards `listing_update`'s `bump_on_commit(CATALOG)` for the cached rows of a page."""
    basket = ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"), stock=5)
    assert card_queries(client, "/")[0] == 1
    reads, page = card_queries(client, "/")
    assert reads == 0 and "$10.00" in card_of(page, "Kiondo basket")
    with django_capture_on_commit_callbacks(execute=True):
        listing_stock_set(listing=basket, actor=basket.shop.owner, stock=3)  # still in stock
    assert card_queries(client, "/")[0] == 0  # what the card shows did not change
    with django_capture_on_commit_callbacks(execute=True):
        listing_update(listing=basket, actor=basket.shop.owner, price_amount=Decimal("80.00"))
    reads, page = card_queries(client, "/")
    assert reads == 1 and "$20.00" in card_of(page, "Kiondo basket")
    with django_capture_on_commit_callbacks(execute=True):
        listing_stock_set(listing=basket, actor=basket.shop.owner, stock=0)
    reads, page = card_queries(client, "/")
    assert reads == 1 and "Out of stock" in card_of(page, "Kiondo basket")


def test_pages_filtered_by_destination_are_read_every_time(client):
    """`ships_to` resolves through the e-hub network (its own version): not cached with the cards."""
    ListingFactory(title="Kiondo basket")
    assert card_queries(client, "/?ships_to=BE")[0] == 1
    assert card_queries(client, "/?ships_to=BE")[0] == 1


# --- Content changes move the catalog version ------------------------------------------------------


def test_a_new_listing_shows_in_the_counts_at_once(client, seller, django_capture_on_commit_callbacks):
    """Guards `listing_create`'s `bump_on_commit(CATALOG)` (the counts are cached under it)."""
    category = CategoryFactory(slug="crafts", name="Crafts")
    ListingFactory(shop=seller.shop, category=category, title="Kiondo basket")
    page = twice(client, "/")
    assert "1 listing" in page and facet_count(page, "Crafts") == 1
    with django_capture_on_commit_callbacks(execute=True):
        listing_create(
            actor=seller,
            title="Soapstone bowl",
            category=category,
            price_amount=Decimal("20.00"),
            weight_kg=Decimal("0.8"),
            hs_code="680293",
        )
    _, page = get(client, "/")
    assert "Soapstone bowl" in page and "2 listings" in page and facet_count(page, "Crafts") == 2


def test_unpublishing_shows_in_the_counts_at_once(client, django_capture_on_commit_callbacks):
    """Guards `listing_set_published`'s `bump_on_commit(CATALOG)`."""
    listing = ListingFactory(title="Kiondo basket")
    ListingFactory(title="Soapstone bowl")
    assert "2 listings" in twice(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        listing_set_published(listing=listing, actor=listing.shop.owner, published=False)
    _, page = get(client, "/")
    assert "Kiondo basket" not in page and "1 listing" in page


def test_a_new_rate_changes_prices_at_once(client, django_capture_on_commit_callbacks):
    """Guards `exchange_rate_save`'s `bump_on_commit(CATALOG)` (the rates in force are cached under it)."""
    ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"))  # MYR, 4 per USD
    assert "$10.00" in card_of(twice(client, "/"), "Kiondo basket")
    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_save(
            rate=ExchangeRate(currency="MYR", units_per_usd=Decimal("5"), valid_from=date(2025, 6, 1))
        )
    assert "$8.00" in card_of(get(client, "/")[1], "Kiondo basket")


def test_a_rate_that_comes_into_force_tomorrow_changes_prices_tomorrow(client, monkeypatch):
    """Guards the date in the rates' key (`rates_in_force`: `versioned_key("rates", (on,))`): no
    write happens at midnight, yet prices, price filters and their counts change."""
    today = timezone.localdate()
    ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"))  # MYR: $10.00 today
    ExchangeRate.objects.create(
        currency="MYR", units_per_usd=Decimal("5"), valid_from=today + timedelta(days=1), source="test"
    )
    assert "$10.00" in card_of(twice(client, "/"), "Kiondo basket")
    assert "0 listings" in twice(client, "/?max_price=9&currency=USD")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    _, page = get(client, "/")
    assert "$8.00" in card_of(page, "Kiondo basket")
    _, page = get(client, "/?max_price=9&currency=USD")
    assert "1 listing" in page and "Kiondo basket" in page


def test_a_shop_rename_shows_on_the_card(client, django_capture_on_commit_callbacks):
    """Guards the shop's name in the card key (`_card_key`)."""
    listing = ListingFactory(title="Kiondo basket")
    assert "Nairobi Weavers" not in card_of(twice(client, "/"), "Kiondo basket")
    with django_capture_on_commit_callbacks(execute=True):
        shop_update(shop=listing.shop, actor=listing.shop.owner, name="Nairobi Weavers")
    assert "Nairobi Weavers" in card_of(get(client, "/")[1], "Kiondo basket")


def test_a_new_picture_shows_on_the_card(client, django_capture_on_commit_callbacks):
    """Guards the cover's thumbnail in the card key (`_card_key`)."""
    listing = ListingFactory(title="Kiondo basket")
    assert "<img" not in card_of(twice(client, "/"), "Kiondo basket")
    with django_capture_on_commit_callbacks(execute=True):
        listing_image_add(listing=listing, actor=listing.shop.owner, upload=png_upload())
    assert "<img" in card_of(get(client, "/")[1], "Kiondo basket")


def test_pages_vary_with_language_and_display_currency(client):
    """Guards the language and display currency in the card and filter keys."""
    ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"))
    french = twice(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    english = [get(client, "/", HTTP_ACCEPT_LANGUAGE="en") for _ in range(2)][1][1]
    assert "Se connecter" in french and "Log in" in english
    assert "Catégories" in french and "Categories" in english  # the cached filter sidebar
    assert "$10.00" in card_of(english, "Kiondo basket")
    kenyan = [get(client, "/", HTTP_ACCEPT_LANGUAGE="en-KE") for _ in range(2)][1][1]
    assert "Ksh" in card_of(kenyan, "Kiondo basket") or "KES" in card_of(kenyan, "Kiondo basket")


# --- Stock: fresh at once, without throwing away the rest ---------------------------------------------


def test_stock_running_out_updates_the_in_stock_filter_counts_and_badge_and_reuses_other_cards(
    client, rendered_cards, django_capture_on_commit_callbacks
):
    """Guards `listing_stock_set`'s `bump_on_commit(STOCK)`: the in-stock counts are cached under
    the stock version, while the counts that ignore stock and the other cards stay cached."""
    basket = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl", stock=5)
    in_stock = twice(client, "/?in_stock=true")
    assert "2 listings" in in_stock
    everything = twice(client, "/")
    assert "Out of stock" not in everything
    assert sorted(rendered_cards) == ["Kiondo basket", "Soapstone bowl"]  # once each, then cached
    catalog_before = versions.current(versions.CATALOG)

    with django_capture_on_commit_callbacks(execute=True):
        listing_stock_set(listing=basket, actor=basket.shop.owner, stock=0)

    _, in_stock = get(client, "/?in_stock=true")
    assert "1 listing" in in_stock and "Kiondo basket" not in in_stock
    queries, everything = get(client, "/")
    assert "Out of stock" in card_of(everything, "Kiondo basket")
    assert "Out of stock" not in card_of(everything, "Soapstone bowl")
    assert "2 listings" in everything
    assert queries == 1  # only the page of listings: counts, rates and categories stayed cached
    assert sorted(rendered_cards) == ["Kiondo basket", "Kiondo basket", "Soapstone bowl"]
    assert versions.current(versions.CATALOG) == catalog_before


def test_api_stock_and_in_stock_count_are_fresh_after_a_stock_patch(
    api_client, django_capture_on_commit_callbacks
):
    """Guards the API PATCH of `stock` going through `listing_stock_set` and its
    `bump_on_commit(STOCK)`: `stock` is read from the database, the in-stock count is cached."""
    basket = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl", stock=5)
    for _ in range(2):
        body = api_client.get("/api/v1/products/?in_stock=true").json()
    assert body["count"] == 2
    token, _ = Token.objects.get_or_create(user=basket.shop.owner)
    seller = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.patch(
            f"/api/v1/products/{basket.pk}/", {"stock": 0}, content_type="application/json"
        )
    assert response.status_code == 200 and response.json()["stock"] == 0
    body = api_client.get("/api/v1/products/?in_stock=true").json()
    assert body["count"] == 1 and [item["title"] for item in body["results"]] == ["Soapstone bowl"]
    stock = {item["title"]: item["stock"] for item in api_client.get("/api/v1/products/").json()["results"]}
    assert stock == {"Kiondo basket": 0, "Soapstone bowl": 5}


# --- Nothing that belongs to one visitor is shared ------------------------------------------------------


def test_each_visitor_gets_their_own_working_csrf_token():
    """Guards the absence of a whole-page cache: pages carry per-visitor tokens."""
    ListingFactory(title="Kiondo basket")
    tokens = []
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        for _ in range(2):
            page = browser.get("/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = browser.post("/currency/", {"currency": "KES", "csrfmiddlewaretoken": token, "next": "/"})
        assert response.status_code == 302
        assert "KES" in browser.get("/").content.decode()
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_logged_in_users_see_their_own_page(client, django_user_model):
    """Guards the absence of a whole-page cache: the header names who is logged in."""
    ListingFactory(title="Kiondo basket")
    twice(Client(), "/")
    client.force_login(django_user_model.objects.create_user("amina", country="KE"))
    _, page = get(client, "/")
    assert "amina" in page and "Kiondo basket" in page


# --- Switches and outages ---------------------------------------------------------------------------------


def test_versioned_caches_can_be_turned_off(client, settings):
    settings.EWTP_CATALOG_CACHE_SECONDS = 0
    ListingFactory()
    get(client, "/")  # the process's minute-long copies (the home page's shops and hubs) fill
    first, _ = get(client, "/")
    assert get(client, "/")[0] == first


def test_cards_can_be_turned_off(client, settings, rendered_cards):
    settings.EWTP_CARD_CACHE_SECONDS = 0
    ListingFactory(title="Kiondo basket")
    for _ in range(2):
        assert "Kiondo basket" in get(client, "/")[1]
    assert rendered_cards == ["Kiondo basket", "Kiondo basket"]


def test_with_the_cache_down_pages_are_rendered_fresh(client, monkeypatch):
    """With Redis unreachable no version is known: nothing is cached and nothing is stale."""
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, method, down)
    listing = ListingFactory(title="Kiondo basket")
    for _ in range(2):
        _, page = get(client, "/")
        assert "Kiondo basket" in page and "1 listing" in page
    listing_set_published(listing=listing, actor=listing.shop.owner, published=False)  # no commit
    _, page = get(client, "/")
    assert "0 listings" in page

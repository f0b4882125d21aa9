"""Catalog pages as a buyer sees them: home grid, search page, product page, shop page, 404s."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ewtp.money import Money
from marketplace import ports
from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)
from tests.marketplace.factories import (
    CatalogShopFactory as ShopFactory,
)
from tests.marketplace.factories import (
    CatalogUserFactory as UserFactory,
)
from tests.marketplace.factories import (
    CategoryFactory,
    FakeShipping,
    use_shipping,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def test_home_lists_active_listings_newest_first_with_shop_and_origin(client):
    old = ListingFactory(title="Old teapot", shop__name="Teahouse", shop__country="CN", shop__currency="CNY")
    new = ListingFactory(
        title="New kikoy", shop__name="Coast Textiles", shop__country="KE", shop__currency="KES"
    )
    ListingFactory(title="Hidden draft", is_active=False)
    body = client.get("/").content.decode()
    assert body.index(new.title) < body.index(old.title)
    assert "Hidden draft" not in body
    assert "Coast Textiles" in body and "🇰🇪 Kenya" in body and "🇨🇳 China" in body
    assert "2 listings" in body


def test_home_is_paginated(client):
    shop = ShopFactory()
    for n in range(26):
        ListingFactory(shop=shop, title=f"Thing {n:02d}")
    first = client.get("/").content.decode()
    assert "Thing 25" in first and "Thing 01" not in first and "Page 1 of 2" in first
    second = client.get("/?page=2").content.decode()
    assert "Thing 01" in second and "Thing 00" in second and "Thing 25" not in second


def test_search_page_keeps_the_query_and_filters(client):
    ListingFactory(title="Batik coffee mug", category=CategoryFactory(slug="home"))
    response = client.get("/", {"search": "coffee", "category": "home", "in_stock": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="coffee"' in body  # search box and hidden field keep it
    assert "Results for “coffee”" in body
    assert '<option value="home" selected>' in body
    assert 'name="in_stock" value="true" checked' in body
    assert "Batik coffee mug" in body


def test_facet_links_keep_the_other_filters(client):
    ListingFactory(title="Batik coffee mug", category=CategoryFactory(slug="home"))
    body = client.get("/", {"search": "coffee"}).content.decode()
    assert "?search=coffee&amp;category=home" in body
    assert "?search=coffee&amp;origin_country=MY" in body


def test_empty_results_page_says_so(client):
    ListingFactory(title="Batik coffee mug")
    response = client.get("/", {"search": "snowboard"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "0 listings" in body and "No listings match" in body


def test_invalid_filters_show_messages_with_400(client):
    response = client.get("/", {"min_price": "cheap", "origin_country": "XX"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a number." in body and "Unknown country. Type its name (Kenya)" in body


def test_product_page_shows_everything_a_buyer_needs(client):
    listing = ListingFactory(
        title="Kikoy shirt",
        description="Handwoven cotton.",
        shop__name="Coast Textiles",
        shop__country="KE",
        shop__currency="KES",
        shop__is_verified=True,
        price_amount=Decimal("2600.00"),
        stock=3,
        weight_kg=Decimal("0.250"),
    )
    body = client.get(listing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-RW").content.decode()
    assert "Kikoy shirt" in body and "Handwoven cotton." in body
    assert "≈ RWF28,000" in body and "KES2,600.00" in body  # 2600 / 130 × 1400
    assert "In stock (3 left)" in body
    assert "0.25 kg" in body
    assert "Coast Textiles" in body and "Verified" in body and listing.shop.get_absolute_url() in body
    assert "🇰🇪 Kenya" in body
    assert "Delivery estimate and shipping cost will appear here once" in body


def test_product_page_shows_out_of_stock(client):
    listing = ListingFactory(stock=0)
    assert "Out of stock" in client.get(listing.get_absolute_url()).content.decode()


def test_product_page_shows_estimate_and_shipping_in_the_buyers_currency(client):
    """Shipping is shown in the buyer's currency, and goods + shipping is never called a landed cost
    (duty and tax are not in it)."""
    use_shipping(
        FakeShipping(
            {"KE": {"MY"}},
            ports.ShippingQuote(
                id="q1",
                cost=Money(Decimal("8.00"), "USD"),
                estimated_delivery=datetime(2026, 3, 4, 12, tzinfo=UTC),
                promised_delivery=datetime(2026, 3, 6, 20, 59, 59, tzinfo=UTC),
                transit_hours=Decimal("72"),
                valid_until=datetime(2026, 3, 1, 12, tzinfo=UTC),
                preference="cheapest",
            ),
        )
    )
    listing = ListingFactory(price_amount=Decimal("40.00"))  # MYR: 10 USD
    client.force_login(UserFactory(country="KE"))
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "Delivery to Kenya by March 6, 2026" in body
    assert "Shipping from KES1,040.00" in body  # 8 USD × 130
    # One price story: goods + shipping without duty is never offered as a total.
    assert "Goods and shipping" not in body and "not included" not in body
    assert "Landed cost" not in body


def test_product_page_says_when_no_route_reaches_the_buyer(client):
    use_shipping(FakeShipping({}))
    listing = ListingFactory()
    client.force_login(UserFactory(country="KE"))
    assert (
        "No route from the e-hub network reaches Kenya"
        in client.get(listing.get_absolute_url()).content.decode()
    )


def test_unknown_product_is_a_proper_404_page(client):
    response = client.get("/products/999999/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_unpublished_product_is_404_to_everyone_but_its_seller(client):
    listing = ListingFactory(is_active=False, title="Draft lamp")
    assert client.get(listing.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(listing.get_absolute_url()).status_code == 404
    client.force_login(listing.shop.owner)
    response = client.get(listing.get_absolute_url())
    assert response.status_code == 200
    assert "Unpublished: only you can see this page." in response.content.decode()


def test_shop_page_shows_profile_and_its_listings(client):
    shop = ShopFactory(name="Batik KL", description="Hand-drawn batik from Kuala Lumpur.", is_verified=True)
    ListingFactory(shop=shop, title="Batik scarf")
    ListingFactory(shop=shop, title="Batik draft", is_active=False)
    ListingFactory(title="Someone else's mug")
    body = client.get(shop.get_absolute_url()).content.decode()
    assert "Batik KL" in body and "Hand-drawn batik" in body and "🇲🇾 Malaysia" in body
    assert "Batik scarf" in body and "Batik draft" not in body and "Someone else" not in body
    assert "1 listing" in body


def test_unknown_shop_is_a_proper_404_page(client):
    response = client.get("/shops/no-such-shop/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_pages_work_without_javascript(client):
    listing = ListingFactory()
    for url in ("/", listing.get_absolute_url(), listing.shop.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "<script" not in body
        assert 'name="viewport"' in body

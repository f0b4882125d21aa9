"""Catalog API: products with search/filters/ordering/currency, shops, categories, rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)
from tests.marketplace.factories import (
    CatalogShopFactory as ShopFactory,
)
from tests.marketplace.factories import (
    CategoryFactory,
    FakeShipping,
    use_shipping,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


@pytest.fixture
def goods():
    home = CategoryFactory(slug="home", name="Home")
    fashion = CategoryFactory(slug="fashion", name="Fashion")
    my = ShopFactory(country="MY", currency="MYR", slug="batik-kl", name="Batik KL")
    ke = ShopFactory(country="KE", currency="KES", slug="coast", name="Coast")
    return {
        "mug": ListingFactory(
            shop=my, category=home, title="Batik coffee mug", price_amount=Decimal("40.00")
        ),
        "basket": ListingFactory(
            shop=ke,
            category=home,
            title="Woven basket",
            description="Holds a coffee set.",
            price_amount=Decimal("650.00"),
            stock=0,
        ),
        "shirt": ListingFactory(
            shop=ke, category=fashion, title="Kikoy shirt", price_amount=Decimal("2600.00")
        ),
        "scarf": ListingFactory(
            shop=my, category=fashion, title="Café batik scarf", price_amount=Decimal("8.00"), is_active=True
        ),
    }


def titles(api_client, **params) -> list[str]:
    response = api_client.get("/api/v1/products/", params)
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


def test_products_search_ranks_title_first(api_client, goods):
    assert titles(api_client, search="coffee") == ["Batik coffee mug", "Woven basket"]
    assert titles(api_client, search="CAFE")[0] == "Café batik scarf"  # then coffee ("café" in French)


def test_products_filters_and_ordering_combine(api_client, goods):
    use_shipping(FakeShipping({"RW": {"KE"}}))
    assert titles(api_client, category="home", ordering="price") == ["Woven basket", "Batik coffee mug"]
    assert titles(api_client, origin_country="ke", in_stock="true") == ["Kikoy shirt"]
    assert titles(api_client, ships_to="RW", ordering="-price") == ["Kikoy shirt", "Woven basket"]
    # KES: scarf 260, basket 650, mug 1300, shirt 2600
    assert titles(api_client, currency="KES", min_price="600", max_price="1300", ordering="price") == [
        "Woven basket",
        "Batik coffee mug",
    ]
    assert titles(api_client, min_price="15") == ["Kikoy shirt"]  # USD without `currency`
    assert titles(api_client, search="batik", category="fashion", in_stock="1") == ["Café batik scarf"]
    assert titles(api_client, shop="coast", ordering="-created") == ["Kikoy shirt", "Woven basket"]


def test_products_currency_adds_display_price(api_client, goods):
    rows = api_client.get("/api/v1/products/", {"currency": "RWF", "ordering": "price"}).json()["results"]
    assert rows[0]["title"] == "Café batik scarf"
    assert rows[0]["price"] == "8.00" and rows[0]["currency"] == "MYR"
    assert rows[0]["display_price"] == {"amount": "2800", "currency": "RWF"}
    plain = api_client.get("/api/v1/products/").json()["results"][0]
    assert "display_price" not in plain


def test_products_display_price_is_null_without_a_rate(api_client, goods):
    ListingFactory(shop__currency="THB", shop__country="TH", title="Thai silk")
    rows = api_client.get("/api/v1/products/", {"currency": "KES", "search": "thai"}).json()["results"]
    assert rows == [rows[0]] and rows[0]["display_price"] is None


def test_products_retrieve_accepts_currency(api_client, goods):
    body = api_client.get(f"/api/v1/products/{goods['mug'].pk}/", {"currency": "KES"}).json()
    assert body["display_price"] == {"amount": "1300.00", "currency": "KES"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"origin_country": "XX"}, "origin_country"),
        ({"ships_to": "Narnia"}, "ships_to"),  # a code or a country's name ("Kenya" works)
        ({"min_price": "ten"}, "min_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"min_price": "10", "max_price": "5"}, "max_price"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"ordering": "title"}, "ordering"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "THB", "min_price": "1"}, "currency"),  # valid code, but no rate to compare
        ({"shop": "nobody"}, "shop"),
        ({"page": "0"}, "page"),
        ({"page_size": "abc"}, "page_size"),
    ],
)
def test_products_invalid_filter_values_are_400_with_a_message(api_client, goods, params, field):
    response = api_client.get("/api/v1/products/", params)
    assert response.status_code == 400
    assert response.json()[field] and isinstance(response.json()[field][0], str)


def test_products_page_past_the_end_is_an_empty_page(api_client, goods):
    body = api_client.get("/api/v1/products/", {"page": "99"}).json()
    assert body["results"] == [] and body["count"] == 4 and body["next"] is None
    assert body["previous"].endswith("page=1")


def test_shops_list_and_detail_with_listings(api_client, goods):
    rows = api_client.get("/api/v1/shops/").json()["results"]
    assert [(row["slug"], row["listing_count"]) for row in rows] == [("batik-kl", 2), ("coast", 2)]
    assert rows[0]["listings_url"].endswith("/api/v1/products/?shop=batik-kl")
    detail = api_client.get("/api/v1/shops/coast/").json()
    assert detail["name"] == "Coast" and detail["country"] == "KE" and detail["currency"] == "KES"
    assert [row["title"] for row in detail["listings"]] == ["Kikoy shirt", "Woven basket"]
    assert api_client.get("/api/v1/shops/nobody/").status_code == 404


def test_categories_and_rates(api_client, goods):
    assert {row["slug"] for row in api_client.get("/api/v1/categories/").json()} == {"home", "fashion"}
    body = api_client.get("/api/v1/rates/").json()
    assert body["base"] == "USD"
    by_code = {row["currency"]: row for row in body["rates"]}
    assert Decimal(by_code["KES"]["units_per_usd"]) == Decimal("130")
    assert by_code["RWF"]["minor_unit"] == 0 and by_code["KES"]["minor_unit"] == 2

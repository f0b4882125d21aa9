"""Search, filters, ordering and facets on known data (PostgreSQL full-text search)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.selectors.catalog import CatalogFilters, catalog_listings, listings_public
from marketplace.selectors.catalog import categories as all_categories
from marketplace.selectors.facets import catalog_facets
from marketplace.selectors.fx import rates_in_force
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


def titles(**filters) -> list[str]:
    query = CatalogFilters(**{"currency": "USD", **filters})
    return [listing.title for listing in catalog_listings(listings_public(), query, rates_in_force())]


@pytest.fixture
def goods():
    """A small world: Malaysian, Kenyan and Chinese shops, two categories."""
    home = CategoryFactory(slug="home", name="Home")
    fashion = CategoryFactory(slug="fashion", name="Fashion")
    my = ShopFactory(country="MY", currency="MYR", name="Batik KL")
    ke = ShopFactory(country="KE", currency="KES", name="Nairobi Crafts")
    cn = ShopFactory(country="CN", currency="CNY", name="Hangzhou Tea")
    return {
        # 40 MYR = 10 USD = 1300 KES
        "mug": ListingFactory(
            shop=my, category=home, title="Batik coffee mug", price_amount=Decimal("40.00"), stock=3
        ),
        # 650 KES = 5 USD
        "basket": ListingFactory(
            shop=ke,
            category=home,
            title="Woven basket",
            description="Holds fruit, or a coffee set.",
            price_amount=Decimal("650.00"),
            stock=0,
        ),
        # 140 CNY = 20 USD
        "tea": ListingFactory(
            shop=cn,
            category=home,
            title="Longjing green tea",
            description="Spring harvest; pairs with a crème brûlée.",
            price_amount=Decimal("140.00"),
            stock=10,
        ),
        # 2600 KES = 20 USD
        "shirt": ListingFactory(
            shop=ke, category=fashion, title="Kikoy shirt", price_amount=Decimal("2600.00"), stock=2
        ),
        # 8 MYR = 2 USD
        "scarf": ListingFactory(
            shop=my,
            category=fashion,
            title="Café-au-lait batik scarf",
            description="Silk.",
            price_amount=Decimal("8.00"),
            stock=1,
        ),
    }


def test_search_finds_words_in_title_and_description(goods):
    assert set(titles(search="coffee")) == {"Batik coffee mug", "Woven basket"}  # title, description
    assert titles(search="harvest") == ["Longjing green tea"]
    assert titles(search="batik silk") == ["Café-au-lait batik scarf"]  # every word must match
    assert titles(search="mugs") == ["Batik coffee mug"]  # stemmed


def test_search_ranks_title_matches_before_description_matches(goods):
    # The basket (description match) is newer than the mug (title match) but ranks below it.
    assert titles(search="coffee") == ["Batik coffee mug", "Woven basket"]
    assert titles(search="coffee", ordering="-created") == ["Woven basket", "Batik coffee mug"]


@pytest.mark.parametrize("query", ["cafe", "CAFÉ", "Café", "cAfE au LAIT"])
def test_search_ignores_accents_and_case(goods, query):
    found = titles(search=query)
    assert found[0] == "Café-au-lait batik scarf"
    # "café" is French for coffee (marketplace/data/search_words.csv): coffee goods come after.
    assert set(found[1:]) <= {"Batik coffee mug", "Woven basket"}


def test_search_folds_accents_in_descriptions_and_queries(goods):
    assert titles(search="creme brulee") == ["Longjing green tea"]
    assert titles(search="CRÈME") == ["Longjing green tea"]


def test_search_with_operators_and_symbols_is_safe(goods):
    assert titles(search="coffee -basket") == ["Batik coffee mug"]  # websearch syntax
    assert titles(search="'; DROP TABLE marketplace_listing; --") == []
    assert titles(search="%") == []
    assert titles(search="coffee OR tea") != []


def test_category_filter(goods):
    assert set(titles(category=goods["shirt"].category)) == {"Kikoy shirt", "Café-au-lait batik scarf"}


def test_origin_country_filter(goods):
    assert set(titles(origin_country="KE")) == {"Woven basket", "Kikoy shirt"}


def test_in_stock_filter(goods):
    assert "Woven basket" not in titles(in_stock=True)
    assert len(titles(in_stock=True)) == 4


def test_price_range_is_in_the_buyers_currency(goods):
    # In KES: scarf 260, basket 650, mug 1300, tea 2600, shirt 2600.
    assert titles(currency="KES", min_price=Decimal("650"), max_price=Decimal("1300"), ordering="price") == [
        "Woven basket",
        "Batik coffee mug",
    ]
    # In RWF (no minor unit): scarf 2800, basket 7000, mug 14000, tea/shirt 28000.
    assert set(titles(currency="RWF", min_price=Decimal("20000"))) == {"Longjing green tea", "Kikoy shirt"}
    assert titles(currency="USD", max_price=Decimal("2")) == ["Café-au-lait batik scarf"]


def test_price_range_excludes_listings_without_a_rate(goods):
    ListingFactory(shop__currency="THB", shop__country="TH", title="Thai silk", price_amount=Decimal("1"))
    assert "Thai silk" in titles()
    assert "Thai silk" not in titles(currency="USD", min_price=Decimal("0"))


def test_sort_by_price_compares_across_currencies(goods):
    assert titles(ordering="price")[:3] == ["Café-au-lait batik scarf", "Woven basket", "Batik coffee mug"]
    assert titles(ordering="-price")[-3:] == ["Batik coffee mug", "Woven basket", "Café-au-lait batik scarf"]


def test_sort_newest_first_by_default(goods):
    assert titles() == [
        "Café-au-lait batik scarf",
        "Kikoy shirt",
        "Longjing green tea",
        "Woven basket",
        "Batik coffee mug",
    ]


def test_ships_to_uses_the_logistics_port(goods):
    use_shipping(FakeShipping({"RW": {"KE", "CN"}}))
    assert set(titles(ships_to="RW")) == {"Woven basket", "Kikoy shirt", "Longjing green tea"}
    assert titles(ships_to="BR") == []


def test_ships_to_without_logistics_keeps_everything(goods):
    assert len(titles(ships_to="RW")) == 5


def test_search_and_every_filter_combine(goods):
    use_shipping(FakeShipping({"RW": {"KE", "MY"}}))
    extra = ListingFactory(
        shop=goods["mug"].shop,
        category=goods["mug"].category,
        title="Coffee grinder",
        price_amount=Decimal("400.00"),  # 100 USD
        stock=4,
    )
    combined = {
        "search": "coffee",
        "category": goods["mug"].category,
        "origin_country": "MY",
        "ships_to": "RW",
        "in_stock": True,
        "currency": "KES",
        "min_price": Decimal("1000"),
        "max_price": Decimal("20000"),
        "ordering": "-price",
    }
    assert titles(**combined) == [extra.title, "Batik coffee mug"]
    assert titles(**{**combined, "max_price": Decimal("5000")}) == ["Batik coffee mug"]
    assert titles(**{**combined, "origin_country": "KE"}) == []  # basket: description match, KE
    assert titles(**{**combined, "origin_country": "KE", "in_stock": False, "min_price": None}) == [
        "Woven basket"
    ]
    assert titles(**{**combined, "ships_to": "BR"}) == []


def test_facets_count_each_dimension_without_its_own_filter(goods):
    in_force = rates_in_force()
    facets = catalog_facets(
        CatalogFilters(currency="USD", category=goods["mug"].category), in_force, list(all_categories())
    )
    assert {f.value: f.count for f in facets.categories} == {"home": 3, "fashion": 2}
    assert [f.value for f in facets.categories if f.selected] == ["home"]
    assert {f.value: f.count for f in facets.countries} == {"MY": 1, "KE": 1, "CN": 1}
    assert facets.total == 3

    searched = catalog_facets(
        CatalogFilters(currency="USD", search="batik"), in_force, list(all_categories())
    )
    assert {f.value: f.count for f in searched.categories} == {"home": 1, "fashion": 1}
    assert {f.value: f.count for f in searched.countries} == {"MY": 2}
    assert searched.total == 2


def test_search_vector_follows_edits(goods):
    mug = goods["mug"]
    mug.title = "Enamel camping cup"
    mug.save()
    assert titles(search="camping") == ["Enamel camping cup"]
    assert "Enamel camping cup" not in titles(search="mug")

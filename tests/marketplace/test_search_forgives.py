"""Search that forgives (issue 19): typos are tolerated (pg_trgm on PostgreSQL; the catalogue's
vocabulary elsewhere), a category the search names ranks its goods above goods that only mention
the word (a shop's name in a description), and words in French, Kiswahili and Chinese find what
listings call in English. Category names read in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from marketplace.search_words import category_names, category_words, search_plan
from marketplace.selectors.catalog import CatalogFilters, catalog_listings, listings_public
from marketplace.selectors.fx import rates_in_force
from tests.marketplace.factories import CatalogListingFactory as ListingFactory
from tests.marketplace.factories import CatalogShopFactory as ShopFactory
from tests.marketplace.factories import CategoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def titles(search: str) -> list[str]:
    query = CatalogFilters(currency="USD", search=search)
    return [listing.title for listing in catalog_listings(listings_public(), query, rates_in_force())]


@pytest.fixture
def coffee_world():
    names = category_names()
    coffee = CategoryFactory(slug="coffee-tea", name="Coffee & tea", names=names["coffee-tea"])
    crafts = CategoryFactory(slug="crafts", name="Handicrafts & home", names=names["crafts"])
    leather = CategoryFactory(slug="leather", name="Leather goods", names=names["leather"])
    textiles = CategoryFactory(slug="textiles", name="Textiles & clothing", names=names["textiles"])
    roasters = ShopFactory(country="KE", currency="KES", name="Nairobi Roasters")
    addis = ShopFactory(country="ET", currency="ETB", name="Addis Leather & Coffee")
    silk = ShopFactory(country="CN", currency="CNY", name="Hangzhou Silk Co.")
    for n in range(3):  # newer than the beans: newest-first alone would put these first
        ListingFactory(
            shop=addis,
            category=leather,
            title=f"Leather satchel {n}",
            description="Handmade by Addis Leather & Coffee in Addis Ababa.",
        )
    ListingFactory(shop=roasters, category=coffee, title="AA coffee beans", description="Washed arabica.")
    ListingFactory(shop=addis, category=crafts, title="Jebena coffee pot", description="Clay pot.")
    ListingFactory(shop=roasters, category=coffee, title="Kenyan black tea", description="Loose leaf.")
    ListingFactory(shop=silk, category=textiles, title="Silk scarf", description="Hand-rolled hems.")


def test_a_typo_still_finds_coffee(coffee_world):
    found = titles("cofee")
    assert found and found[0] == "AA coffee beans"
    assert "Jebena coffee pot" in found


def test_coffee_puts_the_coffee_category_first_and_shop_name_matches_last(coffee_world):
    found = titles("coffee")
    assert found[0] == "AA coffee beans"
    assert found.index("Jebena coffee pot") < min(found.index(f"Leather satchel {n}") for n in range(3))


@pytest.mark.parametrize("word", ["kahawa", "咖啡", "café", "Café"])
def test_words_in_the_buyers_language_find_coffee(coffee_world, word):
    found = titles(word)
    assert found and found[0] == "AA coffee beans", found


def test_a_misspelt_word_outside_the_vocabulary_is_found_by_trigrams(coffee_world):
    assert titles("scraf") == ["Silk scarf"]


def test_a_plan_corrects_and_translates_words_and_names_the_category(coffee_world):
    from marketplace.selectors.catalog import categories_list

    words = category_words(categories_list())
    plan = search_plan("kahawa cofee", words)
    assert plan.alternatives == (("kahawa", "coffee"), ("cofee", "coffee"))
    assert plan.expanded_text == "coffee coffee"
    coffee = next(c.pk for c in categories_list() if c.slug == "coffee-tea")
    assert plan.categories == {coffee}
    assert search_plan("chai", words).categories == {coffee}  # the category's Kiswahili name
    assert search_plan("咖啡", words).categories == {coffee}
    assert search_plan("pot", words).categories == frozenset()


@pytest.mark.parametrize(
    ("language", "name"), [("fr", "Café et thé"), ("sw", "Kahawa na chai"), ("zh-hans", "咖啡与茶")]
)
def test_category_names_read_in_the_page_language(client, coffee_world, language, name):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert name in page and "Coffee &amp; tea" not in page
    with translation.override(language):
        from marketplace.models import Category

        assert str(Category.objects.get(slug="coffee-tea")) == name

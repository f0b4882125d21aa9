"""The unfiltered catalog's facets come from counts the database keeps (a trigger): they must equal a
live count after any kind of write — service, bulk insert, unpublish, re-categorise, cascade delete."""

from __future__ import annotations

import pytest
from django.db.models import Count

from marketplace.models import Listing, ListingFacetCount, Shop
from marketplace.pricing.fx import Rates
from marketplace.selectors.catalog import CatalogFilters, categories_list
from marketplace.selectors.facets import catalog_facets
from tests.marketplace.factories import CategoryFactory, ListingFactory, ShopFactory

pytestmark = pytest.mark.django_db


def kept() -> dict[tuple[int, str], int]:
    return {
        (c, o): n
        for c, o, n in ListingFacetCount.objects.filter(n__gt=0).values_list(
            "category_id", "origin_country", "n"
        )
    }


def live() -> dict[tuple[int, str], int]:
    rows = (
        Listing.objects.filter(is_active=True)
        .values_list("category_id", "origin_country")
        .annotate(n=Count("*"))
    )
    return {(c, str(o)): n for c, o, n in rows}


def test_the_kept_counts_follow_every_kind_of_listing_write():
    textiles, baskets = CategoryFactory(slug="textiles"), CategoryFactory(slug="baskets")
    shop_my = ShopFactory(country="MY", currency="MYR")
    shop_rw = ShopFactory(country="RW", currency="RWF", owner__country="RW")
    first = ListingFactory(shop=shop_my, category=textiles)
    ListingFactory(shop=shop_rw, category=baskets, price_amount=5000)
    Listing.objects.bulk_create(
        [Listing(shop=shop_my, category=baskets, title=f"b{n}", price_amount=10, currency="MYR", weight_kg=1,
                 hs_code="460219", origin_country="MY") for n in range(3)]
    )  # fmt: skip
    assert kept() == live()
    Listing.objects.filter(pk=first.pk).update(is_active=False)
    assert kept() == live()
    Listing.objects.filter(shop=shop_my, category=baskets).update(category=textiles)
    assert kept() == live()
    Listing.objects.filter(pk=first.pk).update(stock=0, is_active=True, origin_country="KE")
    assert kept() == live()
    Shop.objects.filter(pk=shop_rw.pk).delete()  # listings go by cascade
    assert kept() == live()
    assert sum(kept().values()) == Listing.objects.filter(is_active=True).count() == 4


def test_the_unfiltered_catalog_reads_its_facets_from_the_kept_counts(django_assert_num_queries):
    textiles = CategoryFactory(slug="textiles")
    for _ in range(3):
        ListingFactory(category=textiles)
    all_categories = categories_list()
    with django_assert_num_queries(1):  # the ~100 kept rows, not a count over every listing
        facets = catalog_facets(CatalogFilters(), Rates(per_usd={}), all_categories)
    assert facets.total == 3
    assert [(f.value, f.count) for f in facets.categories] == [("textiles", 3)]

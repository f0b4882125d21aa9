"""Query counts per catalog page stay constant as listings grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

# Home: rates, categories, the facet counts, the page of listings with their covers (cold; warm: 1).
# Cold, each then cached under the catalog version: the home page + the featured shops of its
# story and its women-owned and youth-led shops (issue 20; its "Made in" countries come from the
# facet counts); a search + the "Made in" countries + whether its words match anything as written.
EXPECTED_MAX = {
    "/": 6,
    "/?search=coffee&category=home&origin_country=MY&in_stock=true&min_price=1&ordering=price": 6,
    "/api/v1/products/?search=coffee&category=home&origin_country=MY&currency=KES": 6,
    "/api/v1/shops/": 2,
}


def grow(n: int, shops) -> None:
    home = CategoryFactory(slug="home")
    for i in range(n):
        ListingFactory(
            shop=shops[i % len(shops)],
            category=home,
            title=f"Coffee mug {i}",
            description="Batik pattern",
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", list(EXPECTED_MAX))
def test_catalog_query_count_does_not_grow_with_listings(client, url, django_assert_max_num_queries):
    shops = [ShopFactory() for _ in range(3)]
    grow(5, shops)
    few = count_queries(client, url)
    grow(30, shops + [ShopFactory() for _ in range(5)])
    with django_assert_max_num_queries(few):
        client.get(url)
    assert few <= EXPECTED_MAX[url]


def test_shop_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    shop = ShopFactory()
    for _ in range(5):
        ListingFactory(shop=shop)
    few = count_queries(client, shop.get_absolute_url())
    for _ in range(30):
        ListingFactory(shop=shop)
    with django_assert_max_num_queries(few):
        client.get(shop.get_absolute_url())
    assert few <= 4  # shop, rates, count, listings with their covers


def test_product_page_query_count_is_small(client):
    listing = ListingFactory()
    assert count_queries(client, listing.get_absolute_url()) <= 3  # listing, images, rates

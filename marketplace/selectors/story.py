"""The home page's story (issue 19): who makes the goods (the countries of the shops that list
them), who carries them (the e-hubs open now, from the shipping port) and a few shops to start
with. Everything is cached: the shops under the catalog version, the hubs per network version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from marketplace import ports
from marketplace.cache import cache_get, cache_set, versioned_key
from marketplace.models import Shop
from marketplace.selectors.facets import origin_countries

FEATURED_SHOPS = 4


@dataclass(frozen=True)
class FeaturedShop:
    slug: str
    name: str
    country: str
    listings: int


@dataclass(frozen=True)
class HomeStory:
    maker_countries: tuple[str, ...]  # country codes
    hub_cities: tuple[tuple[str, str], ...]  # (city, country code)
    featured: tuple[FeaturedShop, ...]


def featured_shops(limit: int = FEATURED_SHOPS) -> tuple[FeaturedShop, ...]:
    """Verified shops first, then those with the most goods on sale."""
    key = versioned_key("featured-shops", (limit,))
    cached = cache_get(key)
    if cached is None:
        on_sale = Count("listings", filter=Q(listings__is_active=True))
        rows = (
            Shop.objects.filter(is_active=True)
            .annotate(on_sale=on_sale)
            .filter(on_sale__gt=0)
            .order_by("-is_verified", "-on_sale", "name")
            .values_list("slug", "name", "country", "on_sale")[:limit]
        )
        cached = tuple(FeaturedShop(slug, name, str(country), n) for slug, name, country, n in rows)
        cache_set(key, cached)
    return cached


def home_story() -> HomeStory:
    provider = ports.shipping()
    hub_cities = getattr(provider, "hub_cities", None)
    return HomeStory(
        maker_countries=tuple(origin_countries()),
        hub_cities=tuple(hub_cities()) if hub_cities is not None else (),
        featured=featured_shops(),
    )

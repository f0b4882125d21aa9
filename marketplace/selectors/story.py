"""The home page's story (issue 19): who makes the goods (the countries of the shops that list
them), who carries them (the e-hubs open now, from the shipping port) and a few shops to start
with. Everything is cached: the shops under the catalog version, the hubs per network version."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from marketplace import ports
from marketplace.models import Listing, Shop

FEATURED_SHOPS = 4


@dataclass(frozen=True)
class FeaturedShop:
    slug: str
    name: str
    country: str


@dataclass(frozen=True)
class HomeStory:
    maker_countries: tuple[str, ...]  # country codes
    hub_cities: tuple[tuple[str, str], ...]  # (city, country code)
    featured: tuple[FeaturedShop, ...]


FEATURED_SECONDS = 60  # shops to start with may lag a new shop by a minute
_featured: tuple[float, int, tuple[FeaturedShop, ...]] | None = None


def featured_shops(limit: int = FEATURED_SHOPS) -> tuple[FeaturedShop, ...]:
    """Verified shops first, then the newest, among those with goods on sale: an EXISTS per shop
    on the shop's listing index (never a count over the catalogue). Kept in this process for a
    minute whatever the catalog caches do: a suggestion, not a fact that must be exact."""
    global _featured
    now = time.monotonic()
    memo = _featured
    if memo is not None and memo[1] == limit and now - memo[0] < FEATURED_SECONDS:
        return memo[2]
    on_sale = Listing.objects.filter(shop=OuterRef("pk"), is_active=True)
    rows = (
        Shop.objects.filter(Exists(on_sale), is_active=True)
        .order_by("-is_verified", "-created_at", "name")
        .values_list("slug", "name", "country")[:limit]
    )
    shops = tuple(FeaturedShop(slug, name, str(country)) for slug, name, country in rows)
    _featured = (now, limit, shops)
    return shops


def featured_shops_forget() -> None:
    """Drop this process's copies (tests do, with the shared cache)."""
    global _featured, _hubs
    _featured = _hubs = None


_hubs: tuple[float, object, tuple[tuple[str, str], ...]] | None = None


def hub_cities() -> tuple[tuple[str, str], ...]:
    """The e-hubs open now, from the shipping port (none without one), kept for a minute."""
    global _hubs
    provider = ports.shipping()
    now = time.monotonic()
    memo = _hubs
    if memo is not None and memo[1] is provider and now - memo[0] < FEATURED_SECONDS:
        return memo[2]
    ask = getattr(provider, "hub_cities", None)
    cities = tuple(ask()) if ask is not None else ()
    _hubs = (now, provider, cities)
    return cities


def home_story(*, maker_countries: list[str]) -> HomeStory:
    """`maker_countries`: the countries the page's facets already counted goods from."""
    return HomeStory(
        maker_countries=tuple(sorted(maker_countries)),
        hub_cities=hub_cities(),
        featured=featured_shops(),
    )

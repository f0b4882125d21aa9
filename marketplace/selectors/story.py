"""The home page's story (issue 19): who makes the goods (the countries of the shops that list
them), who carries them (the e-hubs open now, from the shipping port) and a few shops to start
with. Everything is cached: the shops under the catalog version, the hubs per network version."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from marketplace import ports
from marketplace.models import Listing, Shop

FEATURED_SHOPS = 4


@dataclass(frozen=True)
class FeaturedShop:
    slug: str
    name: str
    country: str
    women_owned: bool = False
    youth_led: bool = False


@dataclass(frozen=True)
class HomeStory:
    maker_countries: tuple[str, ...]  # country codes
    hub_cities: tuple[tuple[str, str], ...]  # (city, country code)
    featured: tuple[FeaturedShop, ...]
    badged: tuple[FeaturedShop, ...] = ()  # women-owned and youth-led shops (verified), issue 20


FEATURED_SECONDS = 60  # shops to start with may lag a new shop by a minute
_featured: dict[tuple[str, int], tuple[float, tuple[FeaturedShop, ...]]] = {}


def _shops_on_sale(kind: str, limit: int) -> tuple[FeaturedShop, ...]:
    """Shops with goods on sale — `kind` "all": verified first, then the newest; "badged": those
    verified women-owned or youth-led — by an EXISTS per shop on the shop's listing index (never a
    count over the catalogue). Kept in this process for a minute whatever the catalog caches do:
    a suggestion, not a fact that must be exact."""
    now = time.monotonic()
    memo = _featured.get((kind, limit))
    if memo is not None and now - memo[0] < FEATURED_SECONDS:
        return memo[1]
    on_sale = Listing.objects.filter(shop=OuterRef("pk"), is_active=True)
    shops = Shop.objects.filter(Exists(on_sale), is_active=True)
    if kind == "badged":
        shops = shops.filter(Q(women_owned=True) | Q(youth_led=True))
    rows = shops.order_by("-is_verified", "-created_at", "name").values_list(
        "slug", "name", "country", "women_owned", "youth_led"
    )[:limit]
    found = tuple(
        FeaturedShop(slug, name, str(country), women, youth) for slug, name, country, women, youth in rows
    )
    _featured[(kind, limit)] = (now, found)
    return found


def featured_shops(limit: int = FEATURED_SHOPS) -> tuple[FeaturedShop, ...]:
    return _shops_on_sale("all", limit)


def badged_shops(limit: int = FEATURED_SHOPS) -> tuple[FeaturedShop, ...]:
    return _shops_on_sale("badged", limit)


def featured_shops_forget() -> None:
    """Drop this process's copies (tests do, with the shared cache)."""
    global _hubs
    _featured.clear()
    _hubs = None


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
        badged=badged_shops(),
    )

"""The catalog as cards: what a card shows, read as plain values (no model instances), a page of
them in one query — cached under the catalog and stock versions (`marketplace.cache`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from ewtp.countries import country_name
from ewtp.money import Money
from marketplace.cache import cache_get, cache_set, versioned_key
from marketplace.models import Listing, ListingImage
from marketplace.pricing.fx import Rates
from marketplace.selectors.catalog import CatalogFilters, catalog_listings

CARD_FIELDS = (
    *("id", "title", "price_amount", "currency", "stock", "origin_country", "created_at"),
    "shop__name",
    "shop__women_owned",
    "shop__youth_led",
)


def listings_for_cards() -> QuerySet[Listing]:
    """Published listings with only what a card shows, in one query: the shop's name joined, the
    cover's thumbnail as `cover_thumbnail` (a storage name) instead of prefetched image rows.
    Filter and order it, then turn the page's rows into `ListingCard`s with `listing_cards_page`."""
    global _cards_base
    if _cards_base is None:  # building this query costs more than cloning it: build it once
        cover = ListingImage.objects.filter(listing=OuterRef("pk")).order_by("position", "id")
        _cards_base = (
            Listing.objects.filter(is_active=True)
            .select_related("shop")
            .only(*CARD_FIELDS)
            .annotate(cover_thumbnail=Subquery(cover.values("thumbnail")[:1]))
        )
    return _cards_base.all()


@dataclass(frozen=True, slots=True)
class ListingCard:
    """What a catalog card shows, read as plain values: a page of cards is built without model
    instances (most cards then come from the card cache, keyed by exactly these values)."""

    pk: int
    title: str
    price_amount: Decimal
    currency: str
    stock: int
    origin_country: str
    shop_name: str
    cover_thumbnail: str | None
    women_owned: bool = False  # the shop's verified badges
    youth_led: bool = False

    @property
    def price(self) -> Money:
        return Money(self.price_amount, self.currency)

    @property
    def origin_name(self) -> str:
        return country_name(self.origin_country) or self.origin_country

    def get_absolute_url(self) -> str:
        return reverse("listing-detail", kwargs={"pk": self.pk})


CARD_VALUES = (
    "id",
    "title",
    "price_amount",
    "currency",
    "stock",
    "origin_country",
    "shop__name",
    "cover_thumbnail",
    "shop__women_owned",
    "shop__youth_led",
)


def listing_cards_page(listings: QuerySet[Listing]) -> list[ListingCard]:
    """A slice of `listings_for_cards()` (filtered, ordered) as cards, in one query."""
    return [ListingCard(*row) for row in listings.values_list(*CARD_VALUES)]


_cards_base: QuerySet[Listing] | None = None


class CatalogCards:
    """The catalog's result set as cards, for a paginator: each slice it takes is one query of
    plain values, its rows cached under the `catalog` and `stock` versions.

    A card shows stock only as "in stock or not", and the `stock` version moves when a listing
    runs out or comes back, so the rows of a page are exact for what it shows; everything else
    they depend on moves the `catalog` version or is in the key: the filters, the ordering, the
    page's bounds and the rates in force (a rate coming into force changes prices with no write).
    A `ships_to` filter resolves through the e-hub network: those pages are read every time."""

    def __init__(self, filters: CatalogFilters, rates: Rates) -> None:
        self.filters = filters
        self.rates = rates

    def _key(self, bounds: slice) -> str | None:
        filters = self.filters
        if filters.ships_to:
            return None
        parts = (
            filters.search,
            filters.category.pk if filters.category else None,
            filters.origin_country,
            filters.min_price,
            filters.max_price,
            filters.in_stock,
            filters.effective_ordering,
            filters.currency,
            filters.shop.pk if filters.shop else None,
            filters.badge,
            sorted(self.rates.per_usd.items()),
            bounds.start,
            bounds.stop,
        )
        return versioned_key("card-rows", parts, stock=True)

    def __getitem__(self, bounds: slice) -> list[ListingCard]:
        if not isinstance(bounds, slice):
            raise TypeError("CatalogCards is read by slices (pages)")
        key = self._key(bounds)
        rows = cache_get(key)
        if rows is None:
            rows = list(
                catalog_listings(listings_for_cards(), self.filters, self.rates)[bounds].values_list(
                    *CARD_VALUES
                )
            )
            cache_set(key, rows)
        return [ListingCard(*row) for row in rows]

"""Catalog reads: full-text search, filters, ordering and facet counts over published listings.

PostgreSQL: `search_vector @@ websearch_to_tsquery('ewtp_search', q)` on a GIN index, ranked
with ts_rank (title weight A above description weight B); `ewtp_search` folds accents and case.
SQLite (the zero-config demo): every word must appear in the title or the description, compared
folded (lower case, accents removed: `marketplace.folding`) as PostgreSQL does, title matches first.

Prices in different currencies are compared in the buyer's currency through the rates in force:
the price range becomes one `currency = C AND price_amount BETWEEN …` per currency (index
friendly), and price ordering sorts on a CASE expression giving each listing's price in USD.
Listings priced in a currency without a rate drop out of a price range and sort last.

Facet counts and the API's result count are cached under the catalog version, and under the
stock version too when the "in stock" filter is on (`marketplace.cache`, `ewtp.versions`):
recounting 100,000 listings on every home page view costs more than the page itself, and every
write service moves the version its change affects, so a cached count is never stale. Stock
writes move only the stock version, so they leave the counts that ignore stock in place.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ewtp.countries import country_name
from ewtp.money import Money, quantum
from marketplace import ports
from marketplace.cache import cache_get, cache_set, memo, versioned_key
from marketplace.folding import fold
from marketplace.models import Category, Listing, ListingFacetCount, ListingImage, Shop, User
from marketplace.pricing.fx import Rates
from marketplace.selectors.compiled import value_rows


class Ordering:
    RELEVANCE = "relevance"  # best match first; only meaningful with a search
    NEWEST = "-created"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"

    CHOICES = (
        (RELEVANCE, _("Best match")),
        (NEWEST, _("Newest")),
        (PRICE_ASC, _("Price: low to high")),
        (PRICE_DESC, _("Price: high to low")),
    )


TRUE_VALUES = {"true", "1", "on", "yes"}


FALSE_VALUES = {"false", "0", "off", "no"}


MAX_PRICE_DIGITS = 18


@dataclass(frozen=True)
class CatalogFilters:
    """Validated catalog query: what the catalog selectors accept."""

    search: str = ""
    category: Category | None = None
    origin_country: str = ""
    ships_to: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    ordering: str = ""
    currency: str = "USD"  # the buyer's currency: price range and display_price use it
    shop: Shop | None = None

    @property
    def effective_ordering(self) -> str:
        if self.ordering == Ordering.RELEVANCE and not self.search:
            return Ordering.NEWEST
        return self.ordering or (Ordering.RELEVANCE if self.search else Ordering.NEWEST)


def listings_public() -> QuerySet[Listing]:
    """Published listings with what a list page shows, in a fixed number of queries."""
    return (
        Listing.objects.filter(is_active=True).select_related("shop", "category").prefetch_related("images")
    )


CARD_FIELDS = (
    *("id", "title", "price_amount", "currency", "stock", "origin_country", "created_at"),
    "shop__name",
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
)


def listing_cards_page(listings: QuerySet[Listing]) -> list[ListingCard]:
    """A slice of `listings_for_cards()` (filtered, ordered) as cards, in one query."""
    return [ListingCard(*row) for row in listings.values_list(*CARD_VALUES)]


_cards_base: QuerySet[Listing] | None = None


class CatalogCards:
    """The catalog's result set as cards, for a paginator: each slice it takes is one query whose
    SQL is compiled once per process for the same filters and slice (`selectors.compiled`).

    The key names everything the SQL is built from: the filters, the page's bounds and, when
    prices are compared or sorted, the rates (their values are in the SQL). `ships_to` resolves
    through the e-hub network, which can change: those queries are compiled every time."""

    def __init__(self, filters: CatalogFilters, rates: Rates) -> None:
        self.filters = filters
        self.rates = rates

    def _key(self, bounds: slice) -> tuple | None:
        filters = self.filters
        if filters.ships_to:
            return None
        priced = (
            filters.min_price is not None
            or filters.max_price is not None
            or filters.effective_ordering in (Ordering.PRICE_ASC, Ordering.PRICE_DESC)
        )
        prices = tuple(sorted(self.rates.per_usd.items())) if priced else None
        return ("catalog-cards", filters, prices, bounds.start, bounds.stop)

    def __getitem__(self, bounds: slice) -> list[ListingCard]:
        if not isinstance(bounds, slice):
            raise TypeError("CatalogCards is read by slices (pages)")

        def build() -> QuerySet:
            return catalog_listings(listings_for_cards(), self.filters, self.rates)[bounds].values_list(
                *CARD_VALUES
            )

        key = self._key(bounds)
        rows = build() if key is None else value_rows(key, build)
        return [ListingCard(*row) for row in rows]


def listings_visible_to(actor: User | None) -> QuerySet[Listing]:
    """Published listings, plus the actor's own unpublished ones."""
    base = Listing.objects.select_related("shop", "category").prefetch_related("images")
    if actor is not None and actor.is_authenticated:
        return base.filter(Q(is_active=True) | Q(shop__owner=actor))
    return base.filter(is_active=True)


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def categories_list() -> list[Category]:
    """Every category in display order, cached under the catalog version (read-only rows)."""
    key = versioned_key("categories", ())
    cached = cache_get(key)
    if cached is None:
        db = Category.objects.db
        cached = [
            Category.from_db(db, CATEGORY_FIELDS, row)
            for row in value_rows("categories", lambda: categories().values_list(*CATEGORY_FIELDS))
        ]
        cache_set(key, cached)
    return cached


CATEGORY_FIELDS = tuple(field.attname for field in Category._meta.concrete_fields)


SEARCH_CONFIG = "ewtp_search"
FACETS = ("category", "origin_country")
logger = logging.getLogger(__name__)


def _uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def _search(qs: QuerySet[Listing], text: str, *, rank: bool) -> QuerySet[Listing]:
    if _uses_postgres_search():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        qs = qs.filter(search_vector=query)
        return qs.annotate(rank=SearchRank(F("search_vector"), query)) if rank else qs
    # Both sides folded: the query here, the listing in its `*_folded` columns.
    words = fold(text).split()[:10]
    if not words:  # nothing left to look for once folded (only marks): no match, as on PostgreSQL
        qs = qs.none()
        words = [""]
    qs = qs.filter(
        reduce(and_, (Q(title_folded__contains=w) | Q(description_folded__contains=w) for w in words))
    )
    if rank:
        in_title = reduce(and_, (Q(title_folded__contains=w) for w in words))
        qs = qs.annotate(
            rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return qs


def _price_range(filters: CatalogFilters, rates: Rates) -> Q:
    """Listings whose price, converted to the buyer's currency and rounded, falls in the range."""
    half = quantum(filters.currency) / 2
    clauses = []
    for currency in rates:
        factor = rates.factor(filters.currency, currency)  # listing-currency units per buyer unit
        if factor is None:
            continue
        clause = Q(currency=currency)
        if filters.min_price is not None:
            clause &= Q(price_amount__gte=max(filters.min_price - half, Decimal(0)) * factor)
        if filters.max_price is not None:
            clause &= Q(price_amount__lt=(filters.max_price + half) * factor)
        clauses.append(clause)
    return reduce(or_, clauses) if clauses else Q(pk__in=[])


def _price_usd(rates: Rates) -> Case:
    output = DecimalField(max_digits=30, decimal_places=10)
    return Case(
        *(
            When(currency=currency, then=F("price_amount") / Value(rate, output_field=output))
            for currency, rate in rates.per_usd.items()
        ),
        default=Value(None),
        output_field=output,
    )


def _apply(
    qs: QuerySet[Listing], filters: CatalogFilters, rates: Rates, *, skip: Iterable[str] = ()
) -> QuerySet[Listing]:
    skip = set(skip)
    if filters.shop is not None:
        qs = qs.filter(shop=filters.shop)
    if filters.category is not None and "category" not in skip:
        qs = qs.filter(category=filters.category)
    if filters.origin_country and "origin_country" not in skip:
        qs = qs.filter(origin_country=filters.origin_country)
    if filters.ships_to:
        provider = ports.shipping()
        if provider is not None:  # without logistics wired in, every origin is kept
            qs = qs.filter(origin_country__in=sorted(provider.origin_countries_shipping_to(filters.ships_to)))
    if filters.in_stock:
        qs = qs.filter(stock__gt=0)
    if filters.min_price is not None or filters.max_price is not None:
        qs = qs.filter(_price_range(filters, rates))
    return qs


class CountedPaginator(Paginator):
    """A paginator told its count (facets or a cached count) instead of running COUNT(*) itself."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _cache_key(kind: str, filters: CatalogFilters, rates: Rates, scope: str) -> str | None:
    """Everything the counts depend on: which rows (`scope`), the filters, what `ships_to`
    resolves to, the rates in force when a price range applies, and the versions."""
    provider = ports.shipping()
    origins = (
        sorted(provider.origin_countries_shipping_to(filters.ships_to))
        if filters.ships_to and provider is not None
        else None
    )
    priced = filters.min_price is not None or filters.max_price is not None
    parts = (
        scope,
        filters.search,
        filters.category.pk if filters.category else None,
        filters.origin_country,
        origins,
        filters.in_stock,
        filters.shop.pk if filters.shop else None,
        (filters.min_price, filters.max_price, filters.currency, sorted(rates.per_usd.items()))
        if priced
        else None,
    )
    return versioned_key(kind, parts, stock=filters.in_stock)


def catalog_count(qs: QuerySet[Listing], filters: CatalogFilters, rates: Rates) -> int:
    """COUNT of a filtered result set, cached like the facets when it is large."""
    key = _cache_key("count", filters, rates, "published")
    cached = cache_get(key)
    if cached is not None:
        return cached
    total = qs.order_by().count()
    cache_set(key, total)
    return total


def catalog_listings(base: QuerySet[Listing], filters: CatalogFilters, rates: Rates) -> QuerySet[Listing]:
    """`base` (published listings, with their related rows) filtered, searched and ordered."""
    qs = _apply(base.defer("search_vector"), filters, rates)
    ordering = filters.effective_ordering
    if filters.search:
        qs = _search(qs, filters.search, rank=ordering == Ordering.RELEVANCE)
    if ordering == Ordering.RELEVANCE:
        return qs.order_by("-rank", "-created_at", "-id")
    if ordering in (Ordering.PRICE_ASC, Ordering.PRICE_DESC):
        qs = qs.annotate(price_usd=_price_usd(rates))
        if ordering == Ordering.PRICE_ASC:
            return qs.order_by(F("price_usd").asc(nulls_last=True), "id")
        return qs.order_by(F("price_usd").desc(nulls_last=True), "-id")
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facets:
    categories: list[Facet] = field(default_factory=list)
    countries: list[Facet] = field(default_factory=list)
    total: int = 0
    # The versioned key the counts were cached under (None: not cached): names everything the
    # counts depend on, so views can key what they render from them on it.
    cache_key: str | None = None


def _counted_by_the_database(filters: CatalogFilters) -> bool:
    """Whether the (category, origin) counts of all published listings answer these filters: no
    filter but the two facets themselves, on PostgreSQL (where a trigger keeps the counts)."""
    return (
        connection.vendor == "postgresql"
        and not filters.search
        and not filters.ships_to
        and filters.min_price is None
        and filters.max_price is None
        and not filters.in_stock
        and filters.shop is None
    )


def catalog_facets(
    filters: CatalogFilters,
    rates: Rates,
    categories: Sequence[Category],
    *,
    base: QuerySet[Listing] | None = None,
) -> Facets:
    """Counts per category and per origin country, in one query.

    Each facet counts with every filter but its own (picking a category still shows how many
    listings the other categories have). Both come from one count per (category, origin)
    pair over the result set without those two filters — a few hundred rows at most, read
    from the partial facet index — summed here under the other facet's selection. The total
    of the result set falls out of the same counts, so the page needs no separate COUNT.
    """
    scope = "published" if base is None else str(base.query)
    # Rows of (category id, origin, count); the cached format is named by the key's kind.
    key = _cache_key("facet-rows", filters, rates, scope)
    # The facets as shown (country names are translated) are kept in this process too.
    shown_key = f"{key}:{get_language()}:{[c.pk for c in categories]}" if key else None
    shown = memo.get(shown_key) if shown_key else None
    if shown is not None:
        return shown
    rows = cache_get(key)
    if rows is None and scope == "published" and _counted_by_the_database(filters):
        rows = value_rows(
            "facet-counts",
            lambda: ListingFacetCount.objects.filter(n__gt=0).values_list(
                "category_id", "origin_country", "n"
            ),
        )
        cache_set(key, rows)
    if rows is None:
        if base is None:
            base = Listing.objects.filter(is_active=True)
        qs = _apply(base.select_related(None).prefetch_related(None).order_by(), filters, rates, skip=FACETS)
        if filters.search:
            qs = _search(qs, filters.search, rank=False)
        # count(*), not count(id): lets PostgreSQL answer from the partial facet index alone.
        rows = list(qs.values_list("category", "origin_country").annotate(n=Count("*")).order_by())
        cache_set(key, rows)
    selected_category = filters.category.pk if filters.category else None
    selected_origin = filters.origin_country
    by_category: dict[int, int] = {}
    by_country: dict[str, int] = {}
    for category, origin, n in rows:
        if not selected_origin or origin == selected_origin:
            by_category[category] = by_category.get(category, 0) + n
        if selected_category is None or category == selected_category:
            by_country[origin] = by_country.get(origin, 0) + n
    total = by_category.get(selected_category, 0) if selected_category else sum(by_category.values())

    category_facets = [
        Facet(c.slug, c.name, by_category[c.pk], c.pk == selected_category)
        for c in categories
        if c.pk in by_category
    ]
    country_facets = sorted(
        (
            Facet(code, country_name(code) or code, n, code == filters.origin_country)
            for code, n in by_country.items()
        ),
        key=lambda f: (-f.count, f.label),
    )
    shown = Facets(categories=category_facets, countries=country_facets, total=total, cache_key=key)
    if shown_key:
        memo.set(shown_key, shown)
    return shown

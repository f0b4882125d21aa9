"""Catalog reads: full-text search, filters and ordering over published listings (its cards:
`selectors.cards`; its facet counts: `selectors.facets`).

PostgreSQL: `search_vector @@ websearch_to_tsquery('ewtp_search', q)` on a GIN index, ranked
with ts_rank (title weight A above description weight B); `ewtp_search` folds accents and case.
SQLite (the zero-config demo): every word must appear in the title or the description, compared
folded (lower case, accents removed: `marketplace.folding`) as PostgreSQL does, title matches first.
On both, a word in the buyer's language or misspelt also stands for the catalogue's word
(`marketplace.search_words`), and a category the search names ranks first; on PostgreSQL a search
that finds nothing as written looks for titles with a similar word (pg_trgm, its own index).

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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    DecimalField,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ewtp.money import quantum
from marketplace import ports
from marketplace.cache import cache_get, cache_set, versioned_key
from marketplace.models import Category, Listing, Shop, User
from marketplace.pricing.fx import Rates
from marketplace.search_words import SearchPlan, category_words, has_operators, is_cjk, search_plan


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
    badge: str = ""  # "women_owned" or "youth_led": only shops verified as such

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
            Category.from_db(db, CATEGORY_FIELDS, row) for row in categories().values_list(*CATEGORY_FIELDS)
        ]
        cache_set(key, cached)
    return cached


CATEGORY_FIELDS = tuple(field.attname for field in Category._meta.concrete_fields)


SEARCH_CONFIG = "ewtp_search"
BADGES = ("women_owned", "youth_led")  # the verified shop badges buyers filter by (Shop fields)
FACETS = ("category", "origin_country")
logger = logging.getLogger(__name__)


def _uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def catalog_search(qs: QuerySet[Listing], text: str, *, rank: bool) -> QuerySet[Listing]:
    """Listings matching `text` (`marketplace.search_words`: words in the buyer's language and
    misspelt words stand for the catalogue's), ranked title first, description next, with the
    listings of a category the search names above those that only mention it."""
    plan = search_plan(text, category_words(categories_list()))
    if _uses_postgres_search():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        if plan.expanded_text:
            query |= SearchQuery(plan.expanded_text, config=SEARCH_CONFIG, search_type="plain")
        match = Q(search_vector=query)
        fuzzy = _fuzzy(plan) and not _found_as_written(plan, query)
        if fuzzy:  # a title word close to the query's (pg_trgm, from its index): "scraf" → scarf
            match |= Q(title__trigram_word_similar=text)
        qs = qs.filter(match)
        if not rank:
            return qs
        score = SearchRank(F("search_vector"), query)
        if fuzzy:
            score = score + TrigramWordSimilarity(text, "title") * Value(0.1)
        return qs.annotate(rank=score + _named_category(plan))
    # Both sides folded: the query here, the listing in its `*_folded` columns.
    if not plan.alternatives:  # nothing left to look for once folded (only marks): no match
        return qs.none().annotate(rank=Value(0)) if rank else qs.none()

    def anywhere(words: tuple[str, ...]) -> Q:
        return reduce(or_, (Q(title_folded__contains=w) | Q(description_folded__contains=w) for w in words))

    qs = qs.filter(reduce(and_, (anywhere(words) for words in plan.alternatives)))
    if rank:
        in_title = reduce(
            and_, (reduce(or_, (Q(title_folded__contains=w) for w in words)) for words in plan.alternatives)
        )
        title = Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        qs = qs.annotate(rank=title + _named_category(plan))
    return qs


def _fuzzy(plan: SearchPlan) -> bool:
    """Worth a trigram look: a short query with a word long enough to be misspelt."""
    words = [words[0] for words in plan.alternatives]
    short = 0 < len(words) <= 3 and any(len(word) >= 4 and not is_cjk(word) for word in words)
    return short and not has_operators(plan.text)


def _found_as_written(plan: SearchPlan, query: SearchQuery) -> bool:
    """Does any published listing match the words themselves? Only a search that finds nothing
    looks for titles by likeness (cached under the catalog version: one EXISTS per new search)."""
    key = versioned_key("search-found", (plan.text,))
    found = cache_get(key)
    if found is None:
        found = Listing.objects.filter(is_active=True, search_vector=query).exists()
        cache_set(key, found)
    return found


def _named_category(plan: SearchPlan) -> Case | Value:
    if not plan.categories:
        return Value(0.0)
    return Case(
        When(category_id__in=sorted(plan.categories), then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


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


def catalog_filter(
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
    if filters.badge in BADGES:
        qs = qs.filter(**{f"shop__{filters.badge}": True})
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


def catalog_cache_key(kind: str, filters: CatalogFilters, rates: Rates, scope: str) -> str | None:
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
        filters.badge,
        (filters.min_price, filters.max_price, filters.currency, sorted(rates.per_usd.items()))
        if priced
        else None,
    )
    return versioned_key(kind, parts, stock=filters.in_stock)


def catalog_count(qs: QuerySet[Listing], filters: CatalogFilters, rates: Rates) -> int:
    """COUNT of a filtered result set, cached like the facets when it is large."""
    key = catalog_cache_key("count", filters, rates, "published")
    cached = cache_get(key)
    if cached is not None:
        return cached
    total = qs.order_by().count()
    cache_set(key, total)
    return total


def catalog_listings(base: QuerySet[Listing], filters: CatalogFilters, rates: Rates) -> QuerySet[Listing]:
    """`base` (published listings, with their related rows) filtered, searched and ordered."""
    qs = catalog_filter(base.defer("search_vector"), filters, rates)
    ordering = filters.effective_ordering
    if filters.search:
        qs = catalog_search(qs, filters.search, rank=ordering == Ordering.RELEVANCE)
    if ordering == Ordering.RELEVANCE:
        return qs.order_by("-rank", "-created_at", "-id")
    if ordering in (Ordering.PRICE_ASC, Ordering.PRICE_DESC):
        qs = qs.annotate(price_usd=_price_usd(rates))
        if ordering == Ordering.PRICE_ASC:
            return qs.order_by(F("price_usd").asc(nulls_last=True), "id")
        return qs.order_by(F("price_usd").desc(nulls_last=True), "-id")
    return qs.order_by("-created_at", "-id")

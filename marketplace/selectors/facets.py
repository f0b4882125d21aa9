"""Facet counts of the catalog: per category and per origin country, each with every filter but
its own, from one count per (category, origin) pair — cached under the catalog version (and the
stock version with the "in stock" filter), or read from the counts a trigger keeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import get_language

from ewtp.countries import country_name
from marketplace.cache import cache_get, cache_set, memo, versioned_key
from marketplace.models import Category, Listing, ListingFacetCount
from marketplace.pricing.fx import Rates
from marketplace.selectors.catalog import (
    FACETS,
    CatalogFilters,
    catalog_cache_key,
    catalog_filter,
    catalog_search,
)


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
    # Every country published goods are made in, when the counts covered the whole catalogue
    # (None otherwise): the "Made in" picker then needs no query of its own.
    origins: tuple[str, ...] | None = None


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
        and not filters.badge
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
    key = catalog_cache_key("facet-rows", filters, rates, scope)
    # The facets as shown (country names are translated) are kept in this process too.
    shown_key = f"{key}:{get_language()}:{[c.pk for c in categories]}" if key else None
    shown = memo.get(shown_key) if shown_key else None
    if shown is not None:
        return shown
    rows = cache_get(key)
    if rows is None and scope == "published" and _counted_by_the_database(filters):
        counts = ListingFacetCount.objects.filter(n__gt=0)
        rows = list(counts.values_list("category_id", "origin_country", "n"))
        cache_set(key, rows)
    if rows is None:
        if base is None:
            base = Listing.objects.filter(is_active=True)
        plain = base.select_related(None).prefetch_related(None).order_by()
        qs = catalog_filter(plain, filters, rates, skip=FACETS)
        if filters.search:
            qs = catalog_search(qs, filters.search, rank=False)
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
        Facet(c.slug, c.local_name, by_category[c.pk], c.pk == selected_category)
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
    whole_catalogue = scope == "published" and _counted_by_the_database(filters)
    shown = Facets(
        categories=category_facets,
        countries=country_facets,
        total=total,
        cache_key=key,
        origins=tuple(sorted({origin for _category, origin, n in rows if n})) if whole_catalogue else None,
    )
    if shown_key:
        memo.set(shown_key, shown)
    return shown


def origin_countries() -> list[str]:
    """The countries published listings are made in (the "Made in" picker), cached under the
    catalog version."""
    key = versioned_key("origins", ())
    codes = cache_get(key)
    if codes is None:
        if connection.vendor == "postgresql":  # the trigger-kept counts: a few hundred rows
            rows = ListingFacetCount.objects.filter(n__gt=0)
        else:  # SQLite keeps no counts: the listings themselves
            rows = Listing.objects.filter(is_active=True)
        codes = sorted(set(rows.order_by().values_list("origin_country", flat=True).distinct()))
        cache_set(key, codes)
    return codes

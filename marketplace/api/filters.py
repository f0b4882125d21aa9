"""Catalog query parameters for `GET /api/v1/products/`: validated by the same form as the pages.

Invalid values are a 400 with a message per parameter, never ignored. Pagination refuses
malformed page numbers (400) and answers a page past the end with an empty result list.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import SAFE_METHODS

from ewtp.api import Pagination
from marketplace import selectors
from marketplace.catalog_forms import CatalogFilterForm
from marketplace.pricing import FALLBACK_CURRENCY, rates_in_force
from marketplace.search import CountedPaginator, catalog_count, catalog_listings

SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 80}
COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2"}
AMOUNT = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,3})?$", "format": "decimal"}

PARAMETERS = [
    (
        "search",
        {"type": "string", "maxLength": 200},
        "Full-text search over title and description (ranked, accent-insensitive).",
    ),
    ("category", SLUG, "Category slug."),
    ("origin_country", COUNTRY, "ISO 3166-1 alpha-2 country the goods come from."),
    ("ships_to", COUNTRY, "ISO 3166-1 alpha-2 country the goods must be able to reach."),
    ("min_price", AMOUNT, "Lowest price, in `currency` (USD when absent)."),
    ("max_price", AMOUNT, "Highest price, in `currency` (USD when absent)."),
    ("in_stock", {"type": "boolean"}, "true: only listings with stock."),
    (
        "ordering",
        {"type": "string", "enum": ["relevance", "-created", "price", "-price"]},
        "relevance (default with search), -created (default), price, -price.",
    ),
    ("currency", {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "ISO-4217: adds `display_price`."),
    ("shop", {**SLUG, "maxLength": 140}, "Shop slug."),
]  # fmt: skip


class CatalogFilterBackend(BaseFilterBackend):
    """Search, filters and ordering for reads; the cleaned query is kept on the view."""

    def filter_queryset(self, request, queryset, view):
        if request.method not in SAFE_METHODS:
            return queryset
        rates = rates_in_force()
        form = CatalogFilterForm(
            request.query_params,
            categories=list(selectors.categories()),
            rates=rates,
            display_currency=FALLBACK_CURRENCY,
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    ("detail" if field == "__all__" else field): list(errors)
                    for field, errors in form.errors.items()
                }
            )
        filters = form.filters()
        view.catalog_filters = filters
        view.catalog_rates = rates
        view.catalog_currency = filters.currency if request.query_params.get("currency") else None
        if getattr(view, "action", None) != "list":
            return queryset
        return catalog_listings(queryset, filters, rates)

    def get_schema_operation_parameters(self, view):
        if getattr(view, "action", None) != "list":
            return []
        return [
            {"name": name, "in": "query", "required": False, "description": text, "schema": schema}
            for name, schema, text in PARAMETERS
        ]


class CatalogPagination(Pagination):
    """The shared checked pagination, counting through the catalog's cached counts."""

    def make_paginator(self, queryset, page_size: int, view=None) -> Paginator:
        filters = getattr(view, "catalog_filters", None)
        if filters is None:
            return super().make_paginator(queryset, page_size, view)
        count = catalog_count(queryset, filters, view.catalog_rates)
        return CountedPaginator(queryset, page_size, count=count)

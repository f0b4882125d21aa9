"""API v1 catalog data: categories, exchange rates, and the catalog filter backend for products."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from ewtp.api import Pagination
from ewtp.money import minor_unit
from marketplace.forms.catalog import CatalogFilterForm
from marketplace.hs_codes import hs_search
from marketplace.models import Category, Shop
from marketplace.pricing.fx import FALLBACK_CURRENCY
from marketplace.selectors.catalog import (
    CountedPaginator,
    catalog_count,
    catalog_listings,
    categories,
    categories_list,
)
from marketplace.selectors.fx import rates_in_force


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


BADGES_FIELD_HELP = "Verified badges only: women_owned, youth_led."


def badges_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=["women_owned", "youth_led"]),
        read_only=True,
        help_text=BADGES_FIELD_HELP,
        **kwargs,
    )


class ShopSummarySerializer(serializers.ModelSerializer):
    country = CountryField()
    badges = badges_field()

    class Meta:
        model = Shop
        fields = ["id", "name", "slug", "country", "is_verified", "badges"]


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CategorySerializer
    queryset = categories()
    pagination_class = None


class RateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    units_per_usd = serializers.DecimalField(max_digits=20, decimal_places=8)
    minor_unit = serializers.IntegerField()


class RatesSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    base = serializers.CharField()
    rates = RateSerializer(many=True)


class RatesView(APIView):
    """Exchange rates in force today, in units per US dollar, with each currency's minor unit."""

    @extend_schema(responses=RatesSerializer)
    def get(self, request):
        rates = rates_in_force()
        body = {
            "as_of": rates.as_of,
            "base": "USD",
            "rates": [
                {"currency": code, "units_per_usd": rates[code], "minor_unit": minor_unit(code)}
                for code in sorted(rates)
            ],
        }
        return Response(RatesSerializer(body).data)


SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 80}


COUNTRY = {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2"}


AMOUNT = {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,3})?$", "format": "decimal"}


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
    ("badge", {"type": "string", "enum": ["women_owned", "youth_led"]}, "Verified badge of the shop."),
]  # fmt: skip


class CatalogFilterBackend(BaseFilterBackend):
    """Search, filters and ordering for reads; the cleaned query is kept on the view."""

    def filter_queryset(self, request, queryset, view):
        if request.method not in SAFE_METHODS:
            return queryset
        rates = rates_in_force()
        form = CatalogFilterForm(
            request.query_params,
            categories=categories_list(),
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


class HsCodeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Six-digit HS 2022 subheading.")
    description = serializers.CharField(help_text="Its English description (the official text).")
    heading = serializers.CharField(help_text="The four-digit heading's description.")


class HsCodesView(APIView):
    """HS 2022 subheadings for words ("silk scarf") or a code's first digits; at most 20, best
    first (`marketplace.hs_codes`); no words, an empty list. Public data, public endpoint."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Words, or 4–6 digits of a code", required=True)],
        responses=HsCodeSerializer(many=True),
    )
    def get(self, request):
        if "q" not in request.query_params:
            raise ValidationError({"q": [_("Describe the goods in a few words, e.g. “silk scarf”.")]})
        query = request.query_params["q"].strip()[:200]
        rows = hs_search(query) if query else []  # no words, nothing found (not an error)
        return Response(HsCodeSerializer(rows, many=True).data)

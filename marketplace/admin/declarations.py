"""Operators read every customs declaration (read-only: built from the order at payment)."""

from __future__ import annotations

from django.contrib import admin

from marketplace.admin.orders import ReadOnlyMixin
from marketplace.models import CustomsDeclaration, DeclarationLine


class DeclarationLineInline(ReadOnlyMixin, admin.TabularInline):
    model = DeclarationLine
    fields = ("position", "hs_code", "description", "origin_country", "quantity", "unit_value", "total_value")
    readonly_fields = fields
    extra = 0


@admin.register(CustomsDeclaration)
class CustomsDeclarationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "consignment", "destination_country", "declared_value", "currency", "complete")
    list_filter = ("complete", "destination_country", "vat_scheme")
    search_fields = ("number", "consignment__order__number", "exporter_name", "importer_name")
    list_select_related = ("consignment__order",)
    inlines = [DeclarationLineInline]

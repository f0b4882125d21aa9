"""Operators read every customs declaration (read-only: built from the order at payment) and
download the parcel's papers (commercial invoice, packing slip) from it."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.admin.orders import ReadOnlyMixin
from marketplace.models import CustomsDeclaration, DeclarationLine


class DeclarationLineInline(ReadOnlyMixin, admin.TabularInline):
    model = DeclarationLine
    fields = ("position", "hs_code", "description", "origin_country", "quantity", "unit_value", "total_value")
    readonly_fields = fields
    extra = 0


@admin.register(CustomsDeclaration)
class CustomsDeclarationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "number", "consignment", "destination_country", "declared_value", "currency", "complete", "papers",
    )  # fmt: skip
    readonly_fields = ("papers",)
    list_filter = ("complete", "destination_country", "vat_scheme")
    search_fields = ("number", "consignment__order__number", "exporter_name", "importer_name")
    list_select_related = ("consignment__order",)
    inlines = [DeclarationLineInline]

    @admin.display(description=_("papers"))
    def papers(self, declaration: CustomsDeclaration) -> str:
        pk = declaration.consignment_id
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("api-seller-invoice", args=[pk]),
            _("Commercial invoice (PDF)"),
            reverse("api-seller-packing-slip", args=[pk]),
            _("Packing slip (PDF)"),
        )

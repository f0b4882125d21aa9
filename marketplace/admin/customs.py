"""Admin for import rules: tax regimes, duty rates by HS heading, restricted goods.

Regimes and duty rates are dated: to change a rule, end the current row (its "valid to") and add
one from the next day, so past orders stay explainable. Overlapping periods are refused by the
form (the model's clean()) and, under a race, by the service's lock and the database."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ewtp.admin import WritesThroughServices
from marketplace.models import DutyRate, RestrictedGoods, TaxRegime
from marketplace.services.customs import (
    customs_rules_delete,
    duty_rate_save,
    restricted_goods_save,
    tax_regime_save,
)


class ServiceSaveMixin(WritesThroughServices):
    """Saves and deletes through the customs services, which move the `customs` cache version; a
    rule the service refuses (an overlapping period) is said in the admin's message."""

    delete_service = staticmethod(lambda rows: customs_rules_delete(rules=rows))

    def save_model(self, request, obj, form, change):
        try:
            type(self).save_service(obj)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)


@admin.register(TaxRegime)
class TaxRegimeAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = (
        "country",
        "valid_from",
        "valid_to",
        "tax_kind",
        "vat_rate",
        "value_basis",
        "duty_de_minimis",
        "tax_de_minimis",
        "threshold_currency",
        "default_duty_rate",
        "checkout_collection",
        "confidence",
    )
    list_filter = ("country", "value_basis", "checkout_collection", "confidence")
    search_fields = ("country", "rule", "source")
    ordering = ("country", "valid_from")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("country", "currency", "valid_from", "valid_to")}),
        (_("Customs value"), {"fields": ("value_basis", "threshold_currency")}),
        (_("Duty"), {"fields": ("default_duty_rate", "duty_de_minimis")}),
        (_("Flat duty"), {"fields": ("flat_duty_amount", "flat_duty_currency", "flat_duty_threshold")}),
        (_("VAT / GST"), {"fields": ("tax_kind", "vat_rate", "tax_de_minimis")}),
        (
            _("Collection at checkout"),
            {"fields": ("checkout_collection", "collection_ceiling", "low_value_goods")},
        ),
        (_("Provenance"), {"fields": ("rule", "confidence", "source", "created_at", "updated_at")}),
    )

    @staticmethod
    def save_service(obj):
        return tax_regime_save(regime=obj)


@admin.register(DutyRate)
class DutyRateAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = ("country", "hs_code", "rate", "valid_from", "valid_to", "confidence", "source")
    list_filter = ("country", "confidence")
    search_fields = ("hs_code", "source", "note")
    ordering = ("country", "hs_code", "valid_from")

    @staticmethod
    def save_service(obj):
        return duty_rate_save(rate=obj)


@admin.register(RestrictedGoods)
class RestrictedGoodsAdmin(ServiceSaveMixin, admin.ModelAdmin):
    list_display = ("country", "hs_code", "reason", "source")
    list_filter = ("country",)
    search_fields = ("hs_code", "reason")
    ordering = ("country", "hs_code")

    @staticmethod
    def save_service(obj):
        return restricted_goods_save(item=obj)

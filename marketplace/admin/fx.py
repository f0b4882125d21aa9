"""Admin for exchange rates: dated rows, saved through `services.fx`."""

from __future__ import annotations

from django.contrib import admin

from marketplace.models import ExchangeRate
from marketplace.services.fx import exchange_rate_delete, exchange_rate_save


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates are dated rows: add a row with a later `valid_from` rather than editing history."""

    list_display = ("currency", "units_per_usd", "valid_from", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    date_hierarchy = "valid_from"
    ordering = ("currency", "-valid_from")

    def save_model(self, request, obj, form, change):
        exchange_rate_save(rate=obj)

    def delete_model(self, request, obj):
        exchange_rate_delete(rates=ExchangeRate.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        exchange_rate_delete(rates=queryset)

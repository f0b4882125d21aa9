"""Admin for exchange rates: dated rows, saved through `services.fx`."""

from __future__ import annotations

from django.contrib import admin

from ewtp.admin import WritesThroughServices
from marketplace.models import ExchangeRate
from marketplace.services.fx import exchange_rate_delete, exchange_rate_save


@admin.register(ExchangeRate)
class ExchangeRateAdmin(WritesThroughServices, admin.ModelAdmin):
    """Rates are dated rows: add a row with a later `valid_from` rather than editing history."""

    list_display = ("currency", "units_per_usd", "valid_from", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    date_hierarchy = "valid_from"
    ordering = ("currency", "-valid_from")

    save_service = staticmethod(lambda obj: exchange_rate_save(rate=obj))
    delete_service = staticmethod(lambda rows: exchange_rate_delete(rates=rows))

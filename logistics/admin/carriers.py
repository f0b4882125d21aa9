"""Operators manage the carriers that operate lanes: edit them, suspend one with a reason (its lanes
leave routing and its parcels are re-planned, as for a suspended hub) or resume it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from logistics.models import Carrier
from logistics.services.network import carrier_save, carrier_set_operating


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "tracking_prefix", "is_active", "status_reason", "lane_count")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    readonly_fields = ("is_active", "status_reason")
    actions = ["suspend", "resume"]

    @admin.display(description=_("lanes"))
    def lane_count(self, carrier: Carrier) -> int:
        return carrier.lanes.count()

    def save_model(self, request, obj, form, change) -> None:
        carrier_save(carrier=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lanes and their history point at carriers: suspend one instead

    @admin.action(description=_("Suspend: re-route its parcels on other carriers' lanes"))
    def suspend(self, request, queryset):
        for carrier in queryset.filter(is_active=True):
            carrier_set_operating(carrier=carrier, operating=False, reason=str(_("Suspended by an operator")))
        self.message_user(request, _("Suspended; their parcels are being re-routed."), messages.WARNING)

    @admin.action(description=_("Resume"))
    def resume(self, request, queryset):
        for carrier in queryset.filter(is_active=False):
            carrier_set_operating(carrier=carrier, operating=True)
        self.message_user(request, _("Resumed."))

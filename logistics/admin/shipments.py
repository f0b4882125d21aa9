"""Admin for shipments: read-only records (legs and events inline); operators act through services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ewtp.exceptions import DomainError
from logistics.models import DepartureBooking, Hub, Shipment, ShipmentLeg, TrackingEvent
from logistics.selectors import load as load_selectors
from logistics.services.shipments import shipment_retry_routing


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ShipmentLegInline(ReadOnlyInline):
    model = ShipmentLeg
    fields = (
        "sequence",
        "kind",
        "from_hub",
        "to_hub",
        "mode",
        "planned_departure",
        "planned_arrival",
        "actual_departure",
        "actual_arrival",
        "cost_amount",
    )
    readonly_fields = fields


class TrackingEventInline(ReadOnlyInline):
    model = TrackingEvent
    fields = ("occurred_at", "location_code", "status", "substatus", "description", "source", "actor")
    readonly_fields = fields
    ordering = ("occurred_at", "id")


class LateFilter(admin.SimpleListFilter):
    title = _("late")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("Late")), ("no", _("On time"))]

    def queryset(self, request, queryset: QuerySet[Shipment]) -> QuerySet[Shipment]:
        late = queryset.filter(eta__gt=F("promised_delivery"))
        if self.value() == "yes":
            return late
        if self.value() == "no":
            return queryset.exclude(pk__in=late.values("pk"))
        return queryset


class HubFilter(admin.SimpleListFilter):
    """Shipments whose route touches the hub (any leg from or to it), by hub code."""

    title = _("through hub")
    parameter_name = "hub"

    def lookups(self, request, model_admin):
        return [(hub.code, f"{hub.code} · {hub.city}") for hub in Hub.objects.order_by("code")]

    def queryset(self, request, queryset: QuerySet[Shipment]) -> QuerySet[Shipment]:
        if not self.value():
            return queryset
        return queryset.filter(pk__in=load_selectors.shipments_through_hub(self.value()).values("pk"))


class AtHubFilter(HubFilter):
    """Parcels at the hub now (arrived, not left): the hub dashboard's "at hub" figure."""

    title = _("at hub now")
    parameter_name = "at_hub"

    def queryset(self, request, queryset: QuerySet[Shipment]) -> QuerySet[Shipment]:
        if not self.value():
            return queryset
        return queryset.filter(pk__in=load_selectors.shipments_at_hub(self.value()).values("pk"))


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = (
        "tracking_number",
        "status",
        "origin_country",
        "destination_country",
        "promised_delivery",
        "eta",
        "exception_reason",
        "created_at",
    )
    list_filter = ("status", LateFilter, HubFilter, AtHubFilter, "exception_reason")
    search_fields = ("tracking_number", "consignment__order__number")
    inlines = [ShipmentLegInline, TrackingEventInline]
    actions = ["retry_routing"]
    list_select_related = True

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Shipment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Re-run routing"), permissions=["change"])
    def retry_routing(self, request, queryset: QuerySet[Shipment]) -> None:
        done = 0
        for shipment in queryset:
            try:
                shipment_retry_routing(shipment=shipment, actor=request.user)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{shipment}: {error.message}", messages.WARNING)
        if done:
            self.message_user(
                request,
                ngettext(
                    "Routing requested for %(n)d shipment.", "Routing requested for %(n)d shipments.", done
                )
                % {"n": done},
            )


@admin.register(DepartureBooking)
class DepartureBookingAdmin(admin.ModelAdmin):
    list_display = ("lane", "departs_at", "booked_kg", "parcels")
    list_filter = ("lane__origin", "lane__destination")
    list_select_related = ("lane__origin", "lane__destination")
    readonly_fields = ("lane", "departs_at", "booked_kg", "parcels")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

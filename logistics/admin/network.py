"""Operators' admin for the network: hubs (with their lanes inline), lanes, first/last-mile services,
the network map, and suspend / degrade / resume actions that record a `HubEvent`. Every save and
delete goes through `logistics.services.network`, which moves the network version."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ewtp.admin import WritesThroughServices
from ewtp.exceptions import DomainError
from logistics.models import CountryLeg, Hub, HubEvent, HubStatus, Lane
from logistics.selectors import load as load_selectors
from logistics.selectors import network as selectors
from logistics.selectors import promises as promise_selectors
from logistics.selectors import shipments as shipment_selectors
from logistics.services import network as services

WEEKDAY_CHOICES = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class DepartureTimesField(forms.CharField):
    """“10:00, 22:00” in the form; ["10:00", "22:00"] in the model."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return sorted({item.strip() for item in text.replace(";", ",").split(",") if item.strip()})


class CountriesPicker(FilteredSelectMultiple):
    """The admin's filterable two-box picker for a multiple `CountryField` (not a many-to-many, so no
    related-widget wrapper): wrapped in its own box, or the admin's script would draw the picker in
    front of the field's label."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="ewtp-picker">{}</div>', super().render(name, value, attrs, renderer))


class LaneForm(forms.ModelForm):
    departure_weekdays = forms.TypedMultipleChoiceField(
        label=_("departure weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departure_times = DepartureTimesField(
        label=_("departure times"),
        required=False,
        help_text=_("Local times at the origin hub, e.g. “10:00, 22:00”."),
    )

    class Meta:
        model = Lane
        fields = [
            "origin",
            "destination",
            "mode",
            "carrier",
            "departure_weekdays",
            "departure_times",
            "cutoff_hours",
            "transit_hours",
            "cost_per_kg_amount",
            "min_charge_amount",
            "currency",
            "capacity_kg_per_departure",
            "is_active",
            "note",
        ]

    def clean_departure_weekdays(self):
        return sorted(set(self.cleaned_data["departure_weekdays"]))


class LaneInline(admin.TabularInline):
    model = Lane
    form = LaneForm
    fk_name = "origin"
    extra = 0
    verbose_name = _("lane leaving this hub")
    verbose_name_plural = _("lanes leaving this hub")
    fields = (
        "destination",
        "mode",
        "departure_weekdays",
        "departure_times",
        "cutoff_hours",
        "transit_hours",
        "cost_per_kg_amount",
        "min_charge_amount",
        "capacity_kg_per_departure",
        "is_active",
    )
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """No add/change/view icons beside each row's destination: the row's change link is there,
        and the icons widened the table past a 1280 px screen."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "destination" and formfield is not None:
            formfield.widget.can_add_related = False
            formfield.widget.can_change_related = False
            formfield.widget.can_view_related = False
        return formfield


class HubEventInline(admin.TabularInline):
    model = HubEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "reason", "until", "actor")
    readonly_fields = fields
    verbose_name_plural = _("status history")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class HubStatusForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=240)
    until = forms.DateTimeField(
        label=_("Until (optional)"),
        required=False,
        help_text=_("When you expect the hub back, e.g. 2026-05-01 18:00 (UTC)."),
    )


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "city",
        "country",
        "status",
        "status_reason",
        "handling_hours",
        "import_clearance_hours",
        "is_ewtp_ehub",
    )
    list_filter = ("status", "is_ewtp_ehub", "customs_clearance", "bonded_warehouse", "fulfilment", "country")
    search_fields = ("code", "name", "city", "serves_countries")
    readonly_fields = ("status", "status_reason", "status_until", "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "city", "country", "latitude", "longitude", "timezone")}),
        (
            _("Capabilities"),
            {"fields": ("is_ewtp_ehub", "customs_clearance", "bonded_warehouse", "fulfilment")},
        ),
        (
            _("Operations"),
            {
                "fields": (
                    "handling_hours",
                    "import_clearance_hours",
                    "sort_capacity_per_day",
                    "promise_buffer_hours",
                    "serves_countries",
                    "note",
                )
            },
        ),
        (
            _("Status (change it with the actions on the hub list)"),
            {"fields": ("status", "status_reason", "status_until", "updated_at")},
        ),
    )
    inlines = [LaneInline, HubEventInline]
    actions = ["suspend_hubs", "degrade_hubs", "resume_hubs"]
    change_list_template = "admin/logistics/hub/change_list.html"

    class Media:
        css = {"all": ("css/admin.css",)}  # the lanes inline narrowed to fit a 1280 px screen

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "serves_countries":
            # A filterable two-box picker (the admin's own static JavaScript, allowed by the CSP)
            # instead of a 250-row multi-select.
            kwargs["widget"] = CountriesPicker(db_field.verbose_name, is_stacked=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.hub_save(hub=obj)

    def delete_model(self, request, obj):
        services.hub_delete(hubs=Hub.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.hub_delete(hubs=queryset)

    def save_formset(self, request, form, formset, change):
        """The lanes inline, saved and deleted through the services (hub events are read-only)."""
        lanes = formset.save(commit=False)
        for lane in formset.deleted_objects:
            services.lane_delete(lanes=Lane.objects.filter(pk=lane.pk))
        for lane in lanes:
            services.lane_save(lane=lane)
        formset.save_m2m()

    def get_urls(self):
        return [
            path("map/", self.admin_site.admin_view(self.map_view), name="logistics_hub_map"),
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="logistics_hub_dashboard",
            ),
            *super().get_urls(),
        ]

    def map_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("E-hub network map"),
            "opts": self.model._meta,
            "network_map": selectors.network_map(),
            "hubs": selectors.hubs_public(),
        }
        return TemplateResponse(request, "admin/logistics/hub/map.html", context)

    def dashboard_view(self, request):
        """Each hub's load now — parcels there, sort backlog against capacity, customs holds, late
        parcels — the network map coloured by load, and promises kept per hub and per carrier."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        loads = load_selectors.network_load()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hub dashboard"),
            "opts": self.model._meta,
            "loads": loads,
            "as_of": loads[0].as_of if loads else None,
            "network_map": selectors.network_map(
                loads={load.hub.code: (load.status.value, str(load.status.label)) for load in loads}
            ),
            "kept_by_hub": promise_selectors.promises_kept_by_hub(),
            "kept_by_carrier": promise_selectors.promises_kept_by_carrier(),
        }
        return TemplateResponse(request, "admin/logistics/hub/dashboard.html", context)

    def _status_action(self, request, queryset, *, status: HubStatus, verb: str):
        """An action with a confirmation page asking for the reason (like Django's delete action);
        for a suspension it previews the shipments it will re-route or hold. Nothing changes
        until the operator confirms."""
        form = HubStatusForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for hub in queryset:
                try:
                    services.hub_set_status(
                        hub=hub,
                        status=status,
                        reason=form.cleaned_data["reason"],
                        until=form.cleaned_data["until"],
                        actor=request.user,
                    )
                    done += 1
                except DomainError as exc:
                    self.message_user(request, f"{hub.code}: {exc.message}", messages.WARNING)
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d hub is now %(status)s.", "%(count)d hubs are now %(status)s.", done)
                    % {"count": done, "status": status.label},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Why are these hubs %(status)s?") % {"status": status.label},
            "opts": self.model._meta,
            "hubs": queryset,
            "form": form,
            "action": verb,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "status_label": status.label,
        }
        if status == HubStatus.SUSPENDED:  # the preview: what suspending will do to parcels
            affected = shipment_selectors.shipments_affected_by_hub
            context["affected"] = [(hub, affected(hub)) for hub in queryset]
        return TemplateResponse(request, "admin/logistics/hub/status_confirm.html", context)

    @admin.action(description=_("Suspend selected hubs (asks for a reason)"), permissions=["change"])
    def suspend_hubs(self, request, queryset):
        return self._status_action(request, queryset, status=HubStatus.SUSPENDED, verb="suspend_hubs")

    @admin.action(description=_("Mark selected hubs degraded (asks for a reason)"), permissions=["change"])
    def degrade_hubs(self, request, queryset):
        return self._status_action(request, queryset, status=HubStatus.DEGRADED, verb="degrade_hubs")

    @admin.action(description=_("Resume selected hubs"), permissions=["change"])
    def resume_hubs(self, request, queryset):
        done = 0
        for hub in queryset.exclude(status=HubStatus.ACTIVE):
            services.hub_resume(hub=hub, actor=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d hub resumed.", "%(count)d hubs resumed.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Lane)
class LaneAdmin(admin.ModelAdmin):
    form = LaneForm
    list_display = (
        "__str__",
        "mode",
        "carrier",
        "departures_per_week",
        "cutoff_hours",
        "transit_hours",
        "cost_per_kg_amount",
        "min_charge_amount",
        "currency",
        "capacity_kg_per_departure",
        "is_active",
    )
    list_filter = ("mode", "is_active", "origin", "destination")
    search_fields = ("origin__code", "origin__city", "destination__code", "destination__city", "note")
    list_select_related = ("origin", "destination")
    readonly_fields = ("updated_at",)

    @admin.display(description=_("departures/week"))
    def departures_per_week(self, lane: Lane) -> int:
        return lane.departures_per_week

    def save_model(self, request, obj, form, change):
        services.lane_save(lane=obj)

    def get_deleted_objects(self, objs, request):
        """A lane its parcels have still to travel is listed as protected: the confirmation page
        says why and offers no "Yes" (as for a protected relation); `lane_delete` refuses too."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        to_go = shipment_selectors.parcels_to_go_on_lanes([lane.pk for lane in objs])
        for lane in objs:
            if parcels := to_go.get(lane.pk):
                shown = ", ".join(parcels[:10]) + (" …" if len(parcels) > 10 else "")
                protected.append(f"{services.lane_in_use_message(str(lane), len(parcels))} ({shown})")
        if protected:  # the reason that matters first (the page shows only one of the two lists)
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.lane_delete(lanes=Lane.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.lane_delete(lanes=queryset)


@admin.register(CountryLeg)
class CountryLegAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ("country", "kind", "hours", "base_amount", "per_kg_amount", "currency")
    list_editable = ("hours", "base_amount", "per_kg_amount")
    list_filter = ("kind",)
    search_fields = ("country",)

    save_service = staticmethod(lambda obj: services.country_leg_save(leg=obj))
    delete_service = staticmethod(lambda rows: services.country_leg_delete(legs=rows))


@admin.register(HubEvent)
class HubEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "hub", "from_status", "to_status", "reason", "until", "actor")
    list_filter = ("to_status", "hub")
    list_select_related = ("hub", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

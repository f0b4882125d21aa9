"""Operators see every webhook endpoint and delivery, turn endpoints off and on, and replay
deliveries (the same message id and body, now) through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ewtp.exceptions import DomainError
from marketplace.admin.orders import ReadOnlyMixin
from marketplace.models import WebhookDelivery, WebhookEndpoint
from marketplace.services.webhooks import webhook_delivery_replay, webhook_endpoint_update


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("url", "shop", "owner", "active", "failure_streak", "disabled_reason", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "shop__name", "owner__email")
    list_select_related = ("shop", "owner")
    exclude = ("secret",)
    actions = ["turn_on", "turn_off"]

    def _set(self, request, queryset, active: bool) -> None:
        for endpoint in queryset:
            webhook_endpoint_update(endpoint=endpoint, data={"active": active})
        self.message_user(request, _("%(n)d endpoint(s) updated.") % {"n": queryset.count()})

    @admin.action(description=_("Turn on (and reset the failure count)"))
    def turn_on(self, request, queryset):
        self._set(request, queryset, True)

    @admin.action(description=_("Turn off"))
    def turn_off(self, request, queryset):
        self._set(request, queryset, False)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "message_id", "event_type", "endpoint", "status", "attempts", "response_status", "last_error",
        "next_attempt_at", "created_at",
    )  # fmt: skip
    list_filter = ("status", "event_type")
    search_fields = ("message_id", "endpoint__url")
    list_select_related = ("endpoint",)
    actions = ["replay"]

    @admin.action(description=_("Replay: send again now (same id and body)"))
    def replay(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                webhook_delivery_replay(delivery=delivery)
            except DomainError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(n)d delivery(ies) will be sent again.") % {"n": done})

"""Operators see every payout and payout method (read-only: money moves only through the services);
a stuck payout can be asked about at the gateway from here, as the sweeper does."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from marketplace.admin.orders import ReadOnlyMixin
from marketplace.models import Payout, PayoutMethod, PayoutStatus
from marketplace.services.payouts import PayoutGatewayUnavailable, payout_send


@admin.register(PayoutMethod)
class PayoutMethodAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("shop", "kind", "destination", "country", "is_default", "is_active", "created_at")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("shop__name", "phone", "account_holder")
    list_select_related = ("shop",)


@admin.register(Payout)
class PayoutAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "shop",
        "amount",
        "currency",
        "status",
        "trigger",
        "created_at",
        "settled_at",
    )
    list_filter = ("status", "trigger", "currency")
    search_fields = ("shop__name", "transfer_id")
    list_select_related = ("shop", "method")
    date_hierarchy = "created_at"
    actions = ["ask_the_gateway"]

    @admin.action(description=_("Ask the gateway about pending payouts (sends once, never twice)"))
    def ask_the_gateway(self, request, queryset):
        finished = 0
        for payout in queryset.filter(status=PayoutStatus.PENDING):
            try:
                finished += payout_send(payout_id=payout.pk) is not None
            except PayoutGatewayUnavailable:
                self.message_user(
                    request, _("The payout gateway cannot be reached; try again later."), messages.WARNING
                )
                return
        self.message_user(request, _("%(n)d payout(s) finished.") % {"n": finished})

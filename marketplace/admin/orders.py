"""Admin for orders, payments and the escrow ledger: read-only records; operators act through
actions that call the services (cancel), never by editing amounts or statuses by hand."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ewtp.exceptions import DomainError
from marketplace.models import (
    Consignment,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderEvent,
    OrderLine,
    PaymentAttempt,
)
from marketplace.services.orders import order_cancel
from marketplace.services.payments import payment_reconcile


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ConsignmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Consignment
    fields = (
        "shop",
        "status",
        "goods_amount",
        "shipping_amount",
        "duty_amount",
        "tax_amount",
        "total_amount",
        "route",
        "estimated_delivery",
    )
    readonly_fields = fields
    extra = 0
    show_change_link = True


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderEvent
    fields = ("created_at", "consignment", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0


class PaymentInline(ReadOnlyMixin, admin.TabularInline):
    model = PaymentAttempt
    fields = ("created_at", "gateway", "status", "amount", "currency", "card_last4", "reference", "message")
    readonly_fields = fields
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "buyer", "status", "total_amount", "currency", "ship_to_country", "placed_at")
    list_filter = ("status", "currency", "ship_to_country")
    search_fields = ("number", "buyer__username", "buyer__email")
    list_select_related = ("buyer",)
    date_hierarchy = "placed_at"
    inlines = [ConsignmentInline, PaymentInline, EventInline]
    actions = ["cancel_orders", "reconcile_payments"]

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and obj is None  # the list (and its actions), never the amounts

    @admin.action(description=_("Cancel selected orders (stock back, refund if paid)"))
    def cancel_orders(self, request, queryset):
        done = 0
        for order in queryset:
            try:
                order_cancel(order=order, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{order.number}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request,
                ngettext("%d order cancelled.", "%d orders cancelled.", done) % done,
                messages.SUCCESS,
            )


    @admin.action(description=_("Reconcile pending payments now (ask the gateway what happened)"))
    def reconcile_payments(self, request, queryset):
        """For an order stuck with a pending payment (a crash between the charge and its record),
        without waiting for the reconciler's delay."""
        attempts = PaymentAttempt.objects.filter(order__in=queryset, status="pending").select_related("order")
        if not attempts:
            self.message_user(request, _("None of these orders has a payment pending."), messages.INFO)
        for attempt in attempts:
            outcome = payment_reconcile(attempt=attempt, actor=request.user)
            self.message_user(
                request,
                RECONCILED.get(outcome, outcome) % {"number": attempt.order.number},
                messages.WARNING if outcome == "unreachable" else messages.SUCCESS,
            )


RECONCILED = {
    "succeeded": _("%(number)s: the charge went through; the order is paid."),
    "failed": _("%(number)s: no charge was made; the order can be paid again."),
    "declined": _("%(number)s: the card was declined; the order can be paid again."),
    "done": _("%(number)s: already settled."),
    "unreachable": _("%(number)s: the payment gateway did not answer; try again later."),
}


class LineInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderLine
    fields = ("title", "hs_code", "quantity", "unit_price_amount", "unit_price_currency", "line_total_amount")
    readonly_fields = fields
    extra = 0


@admin.register(Consignment)
class ConsignmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "shop", "status", "total_amount", "currency", "estimated_delivery")
    list_filter = ("status", "origin_country")
    search_fields = ("order__number", "shop__name")
    list_select_related = ("order", "shop")
    inlines = [LineInline]


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerEntry
    fields = ("account", "amount", "currency")
    readonly_fields = fields
    extra = 0


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The ledger is append-only: no one edits or deletes an entry, here or anywhere."""

    list_display = ("created_at", "kind", "order", "consignment", "payout", "fx_rate", "memo")
    list_filter = ("kind",)
    search_fields = ("order__number", "memo")
    inlines = [EntryInline]

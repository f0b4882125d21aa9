"""Operators decide on badge claims (verify, reject, take back) through the services, open the
evidence while it is kept, and watch the inclusion dashboard: the share of shops, orders and sales
that are women-owned or youth-led, month by month."""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ewtp.exceptions import DomainError
from marketplace.admin.orders import ReadOnlyMixin
from marketplace.models import BadgeClaim
from marketplace.selectors.inclusion import KINDS, inclusion_by_month
from marketplace.services.badges import badge_decide, badge_revoke


@admin.register(BadgeClaim)
class BadgeClaimAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("shop", "badge", "status", "created_at", "decided_at", "decided_by", "evidence_link")
    list_filter = ("status", "badge")
    search_fields = ("shop__name",)
    list_select_related = ("shop", "decided_by")
    readonly_fields = ("evidence_link",)
    exclude = ("evidence",)
    actions = ["verify", "reject", "take_back"]
    change_list_template = "admin/marketplace/badgeclaim/change_list.html"

    @admin.display(description=_("evidence"))
    def evidence_link(self, claim: BadgeClaim) -> str:
        if not claim.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("badge-evidence", args=[claim.pk]), _("Download"))

    def _decide(self, request, queryset, decide, **kwargs) -> None:
        done = 0
        for claim in queryset:
            try:
                decide(claim=claim, operator=request.user, **kwargs)
            except DomainError as exc:
                self.message_user(request, f"{claim}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(n)d claim(s) decided.") % {"n": done})

    @admin.action(description=_("Verify: the shop carries the badge"))
    def verify(self, request, queryset):
        self._decide(request, queryset, badge_decide, verified=True)

    @admin.action(description=_("Reject: the evidence does not show it"))
    def reject(self, request, queryset):
        self._decide(request, queryset, badge_decide, verified=False)

    @admin.action(description=_("Take a verified badge back"))
    def take_back(self, request, queryset):
        self._decide(request, queryset, badge_revoke)

    def get_urls(self):
        inclusion = path(
            "inclusion/",
            self.admin_site.admin_view(self.inclusion_view),
            name="marketplace_badgeclaim_inclusion",
        )
        return [inclusion, *super().get_urls()]

    def inclusion_view(self, request):
        months = inclusion_by_month()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Women-owned and youth-led: share of shops, orders and sales"),
            "months": months,
            "kinds": KINDS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/marketplace/badgeclaim/inclusion.html", context)

"""Admin for shops: operators verify them (through `services.shops`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ewtp.admin import WritesThroughServices
from marketplace.models import Shop
from marketplace.services.shops import shop_admin_delete, shop_admin_save, shop_set_verified


@admin.register(Shop)
class ShopAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ("name", "owner", "country", "currency", "is_verified", "created_at")
    list_filter = ("is_verified", "country", "currency")
    search_fields = ("name", "slug", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
    actions = ["verify_shops", "unverify_shops"]

    save_service = staticmethod(lambda obj: shop_admin_save(shop=obj))
    delete_service = staticmethod(lambda rows: shop_admin_delete(shops=rows))

    @admin.action(description=_("Verify selected shops"), permissions=["change"])
    def verify_shops(self, request, queryset):
        count = shop_set_verified(shops=queryset, verified=True)
        self.message_user(
            request, ngettext("%d shop verified.", "%d shops verified.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Withdraw verification of selected shops"), permissions=["change"])
    def unverify_shops(self, request, queryset):
        count = shop_set_verified(shops=queryset, verified=False)
        self.message_user(
            request,
            ngettext("%d shop unverified.", "%d shops unverified.", count) % count,
            messages.SUCCESS,
        )

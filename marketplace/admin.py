from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace import services
from marketplace.models import Category, ExchangeRate, Listing, ListingImage, Shop, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "country", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active", "country")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("eWTP"), {"fields": ("role", "country", "display_currency")}),
    )


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "country", "currency", "is_verified", "created_at")
    list_filter = ("is_verified", "country", "currency")
    search_fields = ("name", "slug", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
    actions = ["verify_shops", "unverify_shops"]

    @admin.action(description=_("Verify selected shops"), permissions=["change"])
    def verify_shops(self, request, queryset):
        count = services.shop_set_verified(shops=queryset, verified=True)
        self.message_user(
            request, ngettext("%d shop verified.", "%d shops verified.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Withdraw verification of selected shops"), permissions=["change"])
    def unverify_shops(self, request, queryset):
        count = services.shop_set_verified(shops=queryset, verified=False)
        self.message_user(
            request,
            ngettext("%d shop unverified.", "%d shops unverified.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ListingImageInline(admin.TabularInline):
    model = ListingImage
    extra = 0
    fields = ("image", "thumbnail", "width", "height", "position")
    readonly_fields = ("thumbnail", "width", "height")


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "shop",
        "category",
        "price_amount",
        "currency",
        "stock",
        "is_active",
        "created_at",
    )
    list_filter = ("is_active", "category", "origin_country", "currency", "shop__is_verified")
    search_fields = ("title", "description", "hs_code", "shop__name")
    list_select_related = ("shop", "category")
    raw_id_fields = ("shop",)
    readonly_fields = ("currency", "created_at", "updated_at")
    inlines = [ListingImageInline]
    date_hierarchy = "created_at"


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates are dated rows: add a row with a later `valid_from` rather than editing history."""

    list_display = ("currency", "units_per_usd", "valid_from", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    date_hierarchy = "valid_from"
    ordering = ("currency", "-valid_from")

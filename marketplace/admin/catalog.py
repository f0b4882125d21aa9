"""Admin for categories and listings; saves go through the services so caches move."""

from __future__ import annotations

from django.contrib import admin

from marketplace.models import Category, Listing, ListingImage
from marketplace.services.catalog import category_delete, category_save
from marketplace.services.listings import (
    listing_admin_delete,
    listing_admin_save,
    listing_image_admin_delete,
    listing_image_admin_save,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        category_save(category=obj)

    def delete_model(self, request, obj):
        category_delete(categories=Category.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        category_delete(categories=queryset)


class ListingImageInline(admin.TabularInline):
    """Images are shown and can be deleted here, not uploaded or moved: uploads go through
    `listing_image_add` (validated, re-encoded, renamed by the server, five at most)."""

    model = ListingImage
    extra = 0
    fields = ("image", "thumbnail", "width", "height", "position")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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

    def save_model(self, request, obj, form, change):
        listing_admin_save(listing=obj)

    def delete_model(self, request, obj):
        listing_admin_delete(listings=Listing.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        listing_admin_delete(listings=queryset)

    def save_formset(self, request, form, formset, change):
        """The images inline, saved and deleted through the services."""
        images = formset.save(commit=False)
        for image in formset.deleted_objects:
            listing_image_admin_delete(image=image)
        for image in images:
            listing_image_admin_save(image=image)
        formset.save_m2m()

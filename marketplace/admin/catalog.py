"""Admin for categories and listings; saves go through the services so caches move."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ewtp.admin import WritesThroughServices
from marketplace.models import Category, Listing, ListingImage
from marketplace.services.catalog import category_delete, category_save
from marketplace.services.listings import (
    LISTING_FIELDS,
    StaleStock,
    listing_admin_delete,
    listing_admin_save,
    listing_image_admin_delete,
    listing_image_admin_save,
    listing_stock_check,
)


@admin.register(Category)
class CategoryAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    save_service = staticmethod(lambda obj: category_save(category=obj))
    delete_service = staticmethod(lambda rows: category_delete(categories=rows))


class ListingImageInline(admin.TabularInline):
    """Images are shown and can be deleted here, not uploaded or moved: uploads go through
    `listing_image_add` (validated, re-encoded, renamed by the server, five at most)."""

    model = ListingImage
    extra = 0
    fields = ("image", "thumbnail", "width", "height", "position")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ListingAdminForm(forms.ModelForm):
    """Carries the stock the operator was shown (hidden), so a save never puts back stock that
    buyers reserved while the page was open, and a stale change of it is a form error."""

    stock_seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Listing
        fields = ["shop", *LISTING_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["stock_seen"] = self.instance.stock

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "stock" in cleaned:
            try:
                # The admin saves in one transaction: the row stays locked from here to the save.
                cleaned["stock"] = listing_stock_check(
                    listing_id=self.instance.pk, stock=cleaned["stock"], stock_seen=cleaned.get("stock_seen")
                )
            except StaleStock as exc:
                self.data = self.data.copy()
                self.data["stock"] = self.data["stock_seen"] = str(exc.current)
                raise ValidationError({"stock": exc.message}) from None
        return cleaned


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
    form = ListingAdminForm

    def save_model(self, request, obj, form, change):
        # The form's clean() settled the stock with the row locked, and the admin's one transaction
        # keeps it locked until here: the stock is written as settled.
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

"""Admin for people: buyers, sellers and operators."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.services.accounts import user_admin_delete, user_admin_save


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "country", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active", "country")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("eWTP"), {"fields": ("role", "country", "display_currency")}),
    )

    def save_model(self, request, obj, form, change):
        user_admin_save(user=obj)

    def delete_model(self, request, obj):
        user_admin_delete(users=User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        user_admin_delete(users=queryset)

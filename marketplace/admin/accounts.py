"""Admin for people: buyers, sellers and operators."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from marketplace.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "country", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active", "country")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("eWTP"), {"fields": ("role", "country", "display_currency")}),
    )

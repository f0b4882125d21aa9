"""`{% load country_names %}`, then `{{ code|country_name }}`: a country's name in the page's
language (`ewtp.countries`: django-countries' names, and ours where it has none, as for Kiswahili)."""

from __future__ import annotations

from django import template

from ewtp.countries import country_name as name_of

register = template.Library()


@register.filter
def country_name(code) -> str:
    """A Country, or an ISO 3166-1 alpha-2 code, as its name in the active language."""
    return name_of(str(code or ""))

"""Validation of catalog query parameters, shared by the HTML pages and the API.

Every parameter is checked: a bad value is a message (400), never silently ignored and never
passed raw to the database."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ewtp.countries import country_code
from ewtp.money import is_currency
from marketplace.models import Category, Shop
from marketplace.pricing.fx import Rates
from marketplace.selectors.catalog import (
    FALSE_VALUES,
    MAX_PRICE_DIGITS,
    TRUE_VALUES,
    CatalogFilters,
    Ordering,
)


class CountryCodeField(forms.CharField):
    default_error_messages = {"unknown": _("Unknown country. Type its name (Kenya) or its code (KE).")}

    def __init__(self, **kwargs):
        super().__init__(max_length=60, required=False, **kwargs)

    def clean(self, value):
        """A code ("KE"), or a country's name in the page's language or in English ("Kenya")."""
        value = super().clean(value).strip()
        code = value.upper() if len(value) == 2 else country_code(value) if value else ""
        if value and code not in countries:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return code


class CatalogFilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.SlugField(label=_("Category"), max_length=80, required=False)
    origin_country = CountryCodeField(label=_("Made in"))
    ships_to = CountryCodeField(label=_("Ships to"))
    min_price = forms.DecimalField(
        label=_("Min price"), min_value=0, max_digits=MAX_PRICE_DIGITS, decimal_places=6, required=False
    )
    max_price = forms.DecimalField(
        label=_("Max price"), min_value=0, max_digits=MAX_PRICE_DIGITS, decimal_places=6, required=False
    )
    in_stock = forms.CharField(label=_("In stock only"), max_length=5, required=False)
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("", _("Default")), *Ordering.CHOICES],
        required=False,
        error_messages={"invalid_choice": _("Sort by one of: relevance, -created, price, -price.")},
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    shop = forms.SlugField(label=_("Shop"), max_length=140, required=False)
    badge = forms.ChoiceField(
        label=_("Shops"),
        choices=[("", _("All shops")), ("women_owned", _("Women-owned")), ("youth_led", _("Youth-led"))],
        required=False,
        error_messages={"invalid_choice": _("Choose women_owned or youth_led.")},
    )

    def __init__(self, data, *, categories: Sequence[Category], rates: Rates, display_currency: str):
        super().__init__(data)
        self.categories = {category.slug: category for category in categories}
        self.rates = rates
        self.display_currency = display_currency

    def clean_category(self) -> Category | None:
        slug = self.cleaned_data["category"]
        if not slug:
            return None
        if slug not in self.categories:
            raise forms.ValidationError(_("Unknown category “%(slug)s”."), params={"slug": slug})
        return self.categories[slug]

    def clean_in_stock(self) -> bool:
        value = self.cleaned_data["in_stock"].strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES or value == "":
            return False
        raise forms.ValidationError(_("Use true or false."))

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if not value:
            return self.display_currency
        if not is_currency(value):
            raise forms.ValidationError(_("Unknown currency. Use an ISO-4217 code, e.g. KES."))
        return value

    def clean_shop(self) -> Shop | None:
        slug = self.cleaned_data["shop"]
        if not slug:
            return None
        shop = Shop.objects.filter(slug=slug).first()
        if shop is None:
            raise forms.ValidationError(_("Unknown shop “%(slug)s”."), params={"slug": slug})
        return shop

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum price is below the minimum price."))
        currency = data.get("currency")
        if (low is not None or high is not None) and currency and currency not in self.rates:
            self.add_error(
                "currency",
                _("Prices cannot be compared in %(currency)s: no exchange rate is available.")
                % {"currency": currency},
            )
        return data

    def filters(self) -> CatalogFilters:
        data = self.cleaned_data
        return CatalogFilters(
            search=" ".join(data["search"].split()),
            category=data["category"],
            origin_country=data["origin_country"],
            ships_to=data["ships_to"],
            min_price=data["min_price"],
            max_price=data["max_price"],
            in_stock=data["in_stock"],
            ordering=data["ordering"],
            currency=data["currency"],
            shop=data["shop"],
            badge=data["badge"],
        )

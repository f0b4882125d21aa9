"""Forms of the buyer's journey: cart quantities, the checkout address and choices, the sandbox card."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from marketplace.models import Preference
from marketplace.models.checkout import MAX_LINE_QUANTITY


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY)


class CheckoutForm(forms.Form):
    """The shipping address (country as ISO alpha-2), delivery preference and currency."""

    name = forms.CharField(label=_("Full name"), max_length=120)
    line1 = forms.CharField(label=_("Address"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.ChoiceField(label=_("Country"))
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 ()\-]{6,30}$",
        max_length=30,
        error_messages={"invalid": _("A phone number such as +32 4 123 45 67.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    preference = forms.ChoiceField(
        label=_("Delivery"), choices=Preference.choices, widget=forms.RadioSelect, initial="balanced"
    )
    currency = forms.ChoiceField(label=_("Pay in"))

    def __init__(self, *args, currencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = list(countries)
        self.fields["currency"].choices = [(code, code) for code in currencies]
        autocomplete = {"name": "name", "line1": "address-line1", "city": "address-level2"}
        for name, value in {**autocomplete, "postal_code": "postal-code"}.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def choice(self, name: str) -> str:
        """A pricing choice as submitted when it is valid, else as first offered."""
        if self.is_bound and name in getattr(self, "cleaned_data", {}):
            return self.cleaned_data[name]
        return self.initial.get(name) or self.fields[name].initial or ""


class PayForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

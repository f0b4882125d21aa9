"""Forms for accounts: sign-up and profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ewtp.money import known_currencies
from marketplace.models import Role, User
from marketplace.pricing.fx import currency_for_country


def currency_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [(code, code) for code in sorted(known_currencies())]


class SignupForm(UserCreationForm):
    role = forms.ChoiceField(
        label=_("I want to"),
        choices=[(Role.BUYER, _("Buy from shops abroad")), (Role.SELLER, _("Sell my goods abroad"))],
        widget=forms.RadioSelect,
        initial=Role.BUYER,
    )
    country = forms.ChoiceField(label=_("Country"), choices=[("", "---------"), *countries])
    shop_name = forms.CharField(
        label=_("Shop name"), max_length=120, required=False, help_text=_("Sellers only.")
    )
    currency = forms.ChoiceField(
        label=_("Shop currency"),
        choices=currency_choices,
        required=False,
        help_text=_("The currency your prices are in; left empty, your country's."),
    )
    # Buyer or seller first (issue 20): the rest of the form follows from it.
    field_order = ("role", "username", "email", "country", "password1", "password2", "shop_name", "currency")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.SELLER:
            if not (data.get("shop_name") or "").strip():
                self.add_error("shop_name", _("A seller must name their shop."))
            if not data.get("currency"):  # preset from the country (KE → KES)
                data["currency"] = currency_for_country(data.get("country")) or ""
            if not data.get("currency"):
                self.add_error("currency", _("A seller must choose the shop's currency."))
        return data


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", "---------"), *countries],
        help_text=_("Delivery estimates and “ships to my country” use it."),
    )
    display_currency = forms.ChoiceField(
        label=_("Show prices in"),
        choices=lambda: [("", _("My country's currency"))] + currency_choices()[1:],
        required=False,
    )

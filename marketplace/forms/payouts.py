"""Forms of the seller's payouts page: a payout method (wallet or bank) and a payout on demand.
Fields are only shaped here; the services check numbers, balances and minimums."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from marketplace.models import PayoutMethodKind


class PayoutMethodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you want to be paid?"), choices=PayoutMethodKind.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("Wallet phone number"),
        max_length=40,
        required=False,
        help_text=_("With the country code, like +254 712 345 678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    account_holder = forms.CharField(label=_("Name on the account"), max_length=120, required=False)
    iban = forms.CharField(
        label=_("IBAN"), max_length=50, required=False, help_text=_("Where your bank uses one.")
    )
    account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)
    bank_code = forms.CharField(
        label=_("Bank code"), max_length=30, required=False, help_text=_("SWIFT/BIC or routing code.")
    )
    country = forms.ChoiceField(label=_("Bank's country"), choices=[("", "—"), *countries], required=False)


class PayoutRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=3,
        help_text=_("Leave empty to be paid everything available."),
    )

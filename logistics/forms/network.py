from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from logistics.routing.model import Preference

PREFERENCE_CHOICES = [
    (Preference.BALANCED.value, _("Balanced")),
    (Preference.FASTEST.value, _("Fastest")),
    (Preference.CHEAPEST.value, _("Cheapest")),
]


class QuoteForm(forms.Form):
    origin_country = forms.ChoiceField(label=_("From country"), choices=[("", "—"), *countries])
    destination_country = forms.ChoiceField(label=_("To country"), choices=[("", "—"), *countries])
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        max_digits=9,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal(1000),
        error_messages={
            "max_value": _("A parcel weighs at most 1,000 kg; book heavier consignments as freight.")
        },
    )
    preference = forms.ChoiceField(
        label=_("Preference"), choices=PREFERENCE_CHOICES, initial=Preference.BALANCED.value, required=False
    )

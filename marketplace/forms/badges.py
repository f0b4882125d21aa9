"""The seller's badge claim: which badge, the evidence, and for a youth-led shop the founder's year
of birth. The service checks the file's real type and the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Badge


class BadgeClaimForm(forms.Form):
    badge = forms.ChoiceField(label=_("Which badge?"), choices=Badge.choices, widget=forms.RadioSelect)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "A PDF, JPEG or PNG up to 5 MB: the business registration naming its owners, or the "
            "founder's ID. Only you and eWTP's operators can open it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    founder_birth_year = forms.IntegerField(
        label=_("Founder's year of birth (youth-led)"), required=False, min_value=1900, max_value=2100
    )
    statement = forms.CharField(
        label=_("Anything to add"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

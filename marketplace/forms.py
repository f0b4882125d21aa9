from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ewtp.money import known_currencies, quantize
from marketplace.models import Category, Listing, Role, Shop, User
from marketplace.services import LISTING_FIELDS
from marketplace.validators import validate_listing_image


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
        help_text=_("Sellers only: the currency your prices are in (ISO-4217)."),
    )

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


class ShopForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)

    class Meta:
        model = Shop
        fields = ["name", "country", "currency", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images in one input; each is checked as a real image within the limits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors: list[ValidationError] = []
        cleaned = []
        for upload in files:
            try:
                validate_listing_image(upload).close()
                upload.seek(0)
                cleaned.append(upload)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ListingForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    images = MultipleImageField(
        label=_("Images"),
        help_text=_("Up to 5 images, JPEG/PNG/WebP/GIF, at most 5 MB and 4000×4000 pixels each."),
    )

    class Meta:
        model = Listing
        fields = list(LISTING_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "hs_code": forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{6}", "maxlength": 6}),
        }

    def __init__(self, *args, shop: Shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.instance.shop = shop
        self.instance.currency = shop.currency
        if not self.instance.pk:
            self.initial.setdefault("origin_country", shop.country)
        elif self.instance.price_amount is not None:
            # Stored with 3 decimals; show it as the currency writes it (45.90 MYR, 12000 RWF).
            self.initial["price_amount"] = quantize(self.instance.price_amount, shop.currency)
        self.fields["price_amount"].label = _("Price (%(currency)s)") % {"currency": shop.currency}
        self.fields["stock"].min_value = 0
        existing = self.instance.images.count() if self.instance.pk else 0
        self.existing_images = existing

    def clean_images(self):
        images = self.cleaned_data.get("images") or []
        limit = settings.EWTP_MAX_IMAGES_PER_LISTING
        if len(images) + self.existing_images > limit:
            raise ValidationError(
                _("A listing has at most %(limit)d images (it has %(n)d already).")
                % {"limit": limit, "n": self.existing_images}
            )
        return images

    def listing_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

"""Forms for sellers: shop and listing (with up to 5 images)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ewtp.money import quantize
from marketplace.forms.accounts import currency_choices
from marketplace.models import Category, Listing, Shop
from marketplace.services.listings import LISTING_FIELDS
from marketplace.validators import validate_listing_image


class ShopForm(forms.ModelForm):
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)

    class Meta:
        model = Shop
        fields = [
            "name",
            "country",
            "currency",
            "description",
            "address_line1",
            "address_city",
            "address_postal_code",
            "language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False  # left out: the shop keeps the one it has

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or "en"


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
    # The stock the seller was shown: left as it was, a save keeps what orders made it meanwhile.
    stock_seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Listing
        fields = list(LISTING_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "hs_code": forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{6}", "maxlength": 6}),
        }

    def __init__(self, *args, shop: Shop, kept_images: int = 0, **kwargs):
        """`kept_images`: photos kept from the seller's previous, failed submit (they count as
        chosen: toward the limit and the photo needed to publish)."""
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.instance.shop = shop
        self.instance.currency = shop.currency
        if not self.instance.pk:
            self.initial.setdefault("origin_country", shop.country)
        else:
            self.initial["stock_seen"] = self.instance.stock
        if self.instance.pk and self.instance.price_amount is not None:
            # Stored with 3 decimals; show it as the currency writes it (45.90 MYR, 12000 RWF).
            self.initial["price_amount"] = quantize(self.instance.price_amount, shop.currency)
        self.fields["price_amount"].label = _("Price (%(currency)s)") % {"currency": shop.currency}
        self.fields["stock"].min_value = 0
        existing = self.instance.images.count() if self.instance.pk else 0
        self.existing_images = existing + kept_images
        self.was_published = bool(self.instance.pk and self.instance.is_active)

    def clean_images(self):
        images = self.cleaned_data.get("images") or []
        limit = settings.EWTP_MAX_IMAGES_PER_LISTING
        if len(images) + self.existing_images > limit:
            raise ValidationError(
                _("A listing has at most %(limit)d images (it has %(n)d already).")
                % {"limit": limit, "n": self.existing_images}
            )
        return images

    def clean(self):
        """Publishing needs a photo (a listing already on sale before this rule is not taken down
        by an edit: only the step to published asks)."""
        cleaned = super().clean()
        publishing = cleaned.get("is_active") and not (self.instance.pk and self.was_published)
        if publishing and not self.existing_images and not cleaned.get("images"):
            self.add_error(
                "images",
                _(
                    "Add at least one photo to publish: buyers do not buy what they cannot see. "
                    "Or untick “published” and add photos later."
                ),
            )
        return cleaned

    def listing_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def show_current_stock(self, stock: int) -> None:
        """After a stale save: the form shows the stock as it is now, and carries it as seen."""
        self.data = self.data.copy()
        self.data["stock"] = self.data["stock_seen"] = str(stock)

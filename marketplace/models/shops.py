from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from marketplace.validators import validate_currency


class Shop(models.Model):
    """A seller's storefront. Its country is where goods ship from; its currency prices them."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    country = CountryField(_("country"))
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO-4217 code"), validators=[validate_currency]
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    # The exporter on the parcel's papers (commercial invoice, packing slip, declaration).
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_city = models.CharField(_("city"), max_length=120, blank=True)
    address_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    language = models.CharField(
        _("shop's language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The parcel's papers are printed in English and in this language."),
    )
    is_verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Set by operators after checking the business.")
    )
    # Verified by operators from the seller's evidence (`BadgeClaim`): shown to buyers, filterable.
    women_owned = models.BooleanField(_("women-owned (verified)"), default=False, db_index=True)
    youth_led = models.BooleanField(_("youth-led (verified)"), default=False, db_index=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Operators suspend a shop by clearing this: its goods leave the catalog."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shop-detail", kwargs={"slug": self.slug})

    @property
    def badges(self) -> list[str]:
        """The verified badges, as the API names them."""
        return [
            name for name, held in (("women_owned", self.women_owned), ("youth_led", self.youth_led)) if held
        ]

    def clean(self) -> None:
        """Listings are priced in the shop's currency: it cannot change under them."""
        if self.pk is None:
            return
        before = Shop.objects.filter(pk=self.pk).values_list("currency", flat=True).first()
        if before and before != self.currency and self.listings.exists():
            raise ValidationError(
                {"currency": [_("The currency cannot change while the shop has listings priced in it.")]}
            )

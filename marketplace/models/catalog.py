from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ewtp.money import Money
from marketplace.folding import fold

hs_code_validator = RegexValidator(r"^\d{6}$", _("Enter a 6-digit HS code (digits only, e.g. 610910)."))


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)  # in English, the catalogue's language
    # The name buyers read in their language; search finds the category by any of them.
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('Language code → name, e.g. {"fr": "Café et thé", "sw": "Kahawa na chai"}.'),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the active language, or the English one."""
        language = (get_language() or "en").lower()
        names = self.names or {}
        return names.get(language) or names.get(language.split("-")[0]) or self.name


# Searched text and its folded copy on `Listing` (see `Listing.fold_search_fields`).
FOLDED_FIELDS = {"title": "title_folded", "description": "description_folded"}


# What a listing may say about its parcel (issue 20: 99,999 cm sides and a trillion units were
# accepted). A side is at most what the e-hub network's quotes take (`MAX_SIDE_CM`, 300 cm).
MAX_STOCK = 100_000
MAX_SIDE_CM = Decimal(300)
SIDE_VALIDATORS = [
    MinValueValidator(Decimal("0.1"), message=_("Each side is more than 0 cm.")),
    MaxValueValidator(
        MAX_SIDE_CM, message=_("Each side is at most 300 cm: the largest parcel the e-hub network takes.")
    ),
]


class ListingManager(models.Manager):
    """Listings without their folded copies of title and description, which only the SQLite
    search reads (in SQL) and which would double the text every list page loads."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer(*FOLDED_FIELDS.values())


class Listing(models.Model):
    """Goods a shop offers. Price is in the shop's currency, copied onto the row."""

    shop = models.ForeignKey(
        "marketplace.Shop", on_delete=models.CASCADE, related_name="listings", verbose_name=_("shop")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    price_amount = models.DecimalField(
        _("price"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"), message=_("The price must be more than 0."))],
    )
    currency = models.CharField(_("currency"), max_length=3)
    stock = models.PositiveIntegerField(
        _("stock quantity"),
        default=0,
        validators=[
            MaxValueValidator(MAX_STOCK, message=_("Stock is at most 100,000 units: list what you can ship."))
        ],
    )
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"), message=_("The weight must be more than 0 kg."))],
    )
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=7, decimal_places=1, null=True, blank=True, validators=SIDE_VALIDATORS
    )
    width_cm = models.DecimalField(
        _("width (cm)"), max_digits=7, decimal_places=1, null=True, blank=True, validators=SIDE_VALIDATORS
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=7, decimal_places=1, null=True, blank=True, validators=SIDE_VALIDATORS
    )
    hs_code = models.CharField(_("HS code"), max_length=6, validators=[hs_code_validator])
    origin_country = CountryField(_("origin country"))
    is_active = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Title (weight A) and description (weight B), unaccented. On PostgreSQL a trigger keeps it
    # current and a GIN index serves it (migration 0002); on SQLite it stays empty and search
    # uses the folded copies below (marketplace/selectors/catalog.py).
    search_vector = SearchVectorField(null=True, editable=False)
    # Title and description folded (lower case, no accents: `marketplace.folding.fold`), so the
    # SQLite search finds "Liège" from "liege" as PostgreSQL does. The services that write title or
    # description set them (`fold_search_fields`: marketplace.services.listings).
    title_folded = models.TextField(blank=True, default="", editable=False)
    description_folded = models.TextField(blank=True, default="", editable=False)

    objects = ListingManager()

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["is_active", "-created_at"], name="listing_active_newest"),
            models.Index(fields=["shop", "-created_at"], name="listing_shop_newest"),
            # Facet counts (marketplace/search.py) answered from the index alone.
            models.Index(
                fields=["category", "origin_country"],
                condition=models.Q(is_active=True),
                name="listing_active_facets",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_amount__gt=0), name="listing_price_positive"),
            models.CheckConstraint(condition=models.Q(weight_kg__gt=0), name="listing_weight_positive"),
            # Orders reserve stock with a conditional UPDATE; this is the last line against overselling.
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="listing_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("listing-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        from marketplace.validators import validate_price_for_currency

        if self.shop_id is not None:
            # The price is in the shop's currency, whoever edits the row (seller, API, admin).
            self.currency = self.shop.currency
        errors = {}
        try:
            validate_price_for_currency(self.price_amount, self.currency)
        except ValidationError as exc:
            errors["price_amount"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def fold_search_fields(self) -> None:
        """Refresh the folded copies of title and description the SQLite search compares."""
        self.title_folded = fold(self.title or "")
        self.description_folded = fold(self.description or "")

    @property
    def price(self) -> Money:
        return Money(self.price_amount, self.currency)

    @property
    def dimensions_cm(self) -> tuple[Decimal, Decimal, Decimal] | None:
        if self.length_cm and self.width_cm and self.height_cm:
            return (self.length_cm, self.width_cm, self.height_cm)
        return None

    @property
    def cover(self) -> ListingImage | None:
        """First image; relies on `images` being prefetched in lists."""
        images = list(self.images.all())
        return images[0] if images else None


def listing_image_path(instance: ListingImage, filename: str) -> str:
    return f"listings/{instance.listing_id}/{filename}"


class ListingImage(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"), upload_to=listing_image_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=listing_image_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("listing image")
        verbose_name_plural = _("listing images")
        # The images-per-listing limit, held by the database as well as by `listing_image_add`
        # (which locks the listing row and takes the first free position): each image has its
        # own position, and positions stop below the limit.
        constraints = [
            models.UniqueConstraint(fields=["listing", "position"], name="listing_image_unique_position"),
            models.CheckConstraint(
                condition=models.Q(position__lt=settings.EWTP_MAX_IMAGES_PER_LISTING),
                name="listing_image_position_below_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.image.name


class ListingFacetCount(models.Model):
    """Published listings per (category, origin country), kept by a PostgreSQL trigger on the
    listing table (migration 0011): whatever writes a listing — a service, a bulk insert, a cascade —
    the counts follow in the same transaction. The unfiltered catalog reads its facets and total
    here (a hundred rows) instead of counting every published listing. SQLite has no trigger: the
    catalog counts live there."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    origin_country = models.CharField(max_length=2)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("listing count")
        verbose_name_plural = _("listing counts")
        constraints = [
            models.UniqueConstraint(fields=["category", "origin_country"], name="listing_facet_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.origin_country}: {self.n}"

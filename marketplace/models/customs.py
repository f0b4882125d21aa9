"""Import rules per destination: tax regimes, duty rates by HS heading, restricted goods.

Rules change by date, so regimes and duty rates are dated rows (`valid_from`/`valid_to`, both
inclusive, empty = open-ended): the row in force on the order date applies, and periods of one
country (one country + HS code for duty rates) never overlap — `clean()` says so in admin, and on
PostgreSQL an exclusion constraint (migration 0005) holds under concurrent writes. Each row keeps
where it came from (`source`) and how sure we are (`confidence`). The landed-cost engine
(`marketplace.pricing.landed_cost`) reads them as plain data through `selectors.customs`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from marketplace.pricing import landed_cost as engine
from marketplace.validators import validate_currency

hs_heading_validator = RegexValidator(
    r"^\d{4}(\d{2})?$", _("Enter a 4-digit HS heading or a 6-digit subheading (digits only, e.g. 6109).")
)
RATE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(1)]


class ValueBasis(models.TextChoices):
    CIF = engine.ValueBasis.CIF.value, _("CIF: goods + shipping")
    FOB = engine.ValueBasis.FOB.value, _("FOB: goods only")
    ITEM_PRICE = engine.ValueBasis.ITEM_PRICE.value, _("item price: goods only")
    TRANSACTION = engine.ValueBasis.TRANSACTION.value, _("transaction price: goods + shipping")
    CONSIGNMENT = engine.ValueBasis.CONSIGNMENT.value, _("consignment's intrinsic value: goods only")


class TaxKind(models.TextChoices):
    VAT = engine.TaxKind.VAT.value, _("VAT")
    GST = engine.TaxKind.GST.value, _("GST")
    SALES_TAX = engine.TaxKind.SALES_TAX.value, _("sales tax")
    CONSUMPTION_TAX = engine.TaxKind.CONSUMPTION_TAX.value, _("consumption tax")


class Collection(models.TextChoices):
    NONE = engine.Collection.NONE.value, _("none (paid at import)")
    IOSS = engine.Collection.IOSS.value, _("EU Import One-Stop Shop (IOSS)")
    UK_POS = engine.Collection.UK_POS.value, _("UK VAT at the point of sale")
    MY_LVG = engine.Collection.MY_LVG.value, _("Malaysia low-value goods")
    AU_LVG = engine.Collection.AU_LVG.value, _("Australia GST on low value imported goods")
    BR_PRC = engine.Collection.BR_PRC.value, _("Brazil Remessa Conforme")
    CBEC = engine.Collection.CBEC.value, _("China cross-border e-commerce")


class Confidence(models.TextChoices):
    VERIFIED = "V", _("stated in an official or primary source")
    SECONDARY = "S", _("secondary source only")
    ILLUSTRATIVE = "I", _("illustrative")


def _overlapping(queryset: models.QuerySet, valid_from, valid_to) -> models.QuerySet:
    """Rows of `queryset` whose [valid_from, valid_to] meets the given one (None = open-ended)."""
    if valid_to is not None:
        queryset = queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
    if valid_from is not None:
        queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    return queryset


class DatedRule(models.Model):
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: since always."))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Last day in force (inclusive). Empty: until further notice."),
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def _same_period_key(self) -> dict:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The period ends before it starts.")})
        key = self._same_period_key()
        if any(value in (None, "") for value in key.values()):
            return
        clash = (
            _overlapping(type(self).objects.filter(**key), self.valid_from, self.valid_to)
            .exclude(pk=self.pk)
            .order_by("valid_from")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("This period overlaps %(other)s; end that one first (set its “valid to”).")
                % {"other": clash},
                code="overlap",
            )


def _period_constraint(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True)
        | Q(valid_to__isnull=True)
        | Q(valid_to__gte=models.F("valid_from")),
        name=f"{prefix}_period_ordered",
    )


class TaxRegime(DatedRule):
    """A destination's import duty and VAT/GST rules for a period (one row of `tax_regimes.csv`).

    Thresholds and the flat duty are in `threshold_currency` (Indonesia and Brazil state theirs in
    USD); rates are fractions (0.21 = 21%)."""

    country = CountryField(_("destination country"))
    currency = models.CharField(
        _("local currency"), max_length=3, validators=[validate_currency], help_text=_("ISO-4217 code")
    )
    tax_kind = models.CharField(_("tax"), max_length=16, choices=TaxKind.choices, default=TaxKind.VAT)
    vat_rate = models.DecimalField(
        _("VAT/GST rate"),
        max_digits=6,
        decimal_places=4,
        validators=RATE_VALIDATORS,
        help_text=_("0.21 = 21%"),
    )
    value_basis = models.CharField(
        _("value basis"),
        max_length=12,
        choices=ValueBasis.choices,
        help_text=_("What the customs value counts: de minimis, duty and tax are figured on it."),
    )
    threshold_basis = models.CharField(
        _("threshold basis"),
        max_length=12,
        choices=ValueBasis.choices,
        blank=True,
        help_text=_(
            "What de minimis and scheme ceilings are tested on, if not the value basis (UK: goods only)."
        ),
    )
    tax_adds_shipping = models.BooleanField(
        _("tax base adds shipping"),
        default=False,
        help_text=_("VAT/GST is figured on the customs value plus duty and shipping (Australia)."),
    )
    duty_surcharge_rate = models.DecimalField(
        _("surcharge on duty"),
        max_digits=6,
        decimal_places=4,
        default=0,
        validators=RATE_VALIDATORS,
        help_text=_("A surcharge as a share of the duty (India's Social Welfare Surcharge: 0.10)."),
    )
    threshold_currency = models.CharField(
        _("threshold currency"), max_length=3, validators=[validate_currency], help_text=_("ISO-4217 code")
    )
    duty_de_minimis = models.DecimalField(
        _("duty de minimis"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("No duty on a customs value at or under this. Empty: no duty de minimis."),
    )
    tax_de_minimis = models.DecimalField(
        _("tax de minimis"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("No VAT/GST on a customs value at or under this. Empty: no tax de minimis."),
    )
    default_duty_rate = models.DecimalField(
        _("default duty rate"),
        max_digits=6,
        decimal_places=4,
        validators=RATE_VALIDATORS,
        help_text=_("For HS headings without a duty rate of their own."),
    )
    flat_duty_amount = models.DecimalField(
        _("flat duty per HS subheading"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Charged per distinct HS subheading instead of rated duty, under the flat-duty threshold."
        ),
    )
    flat_duty_currency = models.CharField(
        _("flat duty currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    flat_duty_threshold = models.DecimalField(
        _("flat duty threshold"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The flat duty applies to consignments whose customs value is under this (its currency)."
        ),
    )
    low_value_goods = models.BooleanField(
        _("low-value goods rule"),
        default=False,
        help_text=_(
            "Within the collection ceiling, tax is charged on the item price alone (shipping and "
            "insurance excluded, no duty on top), as under Malaysia's low-value goods sales tax."
        ),
    )
    checkout_collection = models.CharField(
        _("checkout collection scheme"), max_length=8, choices=Collection.choices, blank=True
    )
    collection_ceiling = models.DecimalField(
        _("collection ceiling"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The scheme covers consignments valued at or under this. Empty: all."),
    )
    rule = models.TextField(_("rule"), blank=True, help_text=_("The rule in words, with its caveats."))

    class Meta:
        verbose_name = _("tax regime")
        verbose_name_plural = _("tax regimes")
        ordering = ["country", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "valid_from"], name="taxregime_country_from"),
            _period_constraint("taxregime"),
            models.CheckConstraint(
                condition=Q(
                    vat_rate__gte=0, vat_rate__lte=1, default_duty_rate__gte=0, default_duty_rate__lte=1
                ),
                name="taxregime_rates_fractions",
            ),
            models.CheckConstraint(
                condition=Q(flat_duty_amount__isnull=True)
                | (Q(flat_duty_threshold__isnull=False) & ~Q(flat_duty_currency="")),
                name="taxregime_flat_duty_complete",
            ),
        ]

    def __str__(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "…"
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.country} {start}–{end}"

    def _same_period_key(self) -> dict:
        return {"country": self.country}

    def clean(self) -> None:
        super().clean()
        if self.flat_duty_amount is not None and not (self.flat_duty_currency and self.flat_duty_threshold):
            raise ValidationError({"flat_duty_threshold": _("A flat duty needs its currency and threshold.")})

    def terms(self) -> engine.RegimeTerms:
        """This row as the engine's plain data."""
        return engine.RegimeTerms(
            country=str(self.country),
            value_basis=engine.ValueBasis(self.value_basis),
            vat_rate=self.vat_rate,
            default_duty_rate=self.default_duty_rate,
            threshold_currency=self.threshold_currency,
            duty_de_minimis=self.duty_de_minimis,
            tax_de_minimis=self.tax_de_minimis,
            flat_duty_amount=self.flat_duty_amount,
            flat_duty_currency=self.flat_duty_currency or None,
            flat_duty_threshold=self.flat_duty_threshold,
            low_value_goods=self.low_value_goods,
            collection=engine.Collection(self.checkout_collection),
            collection_ceiling=self.collection_ceiling,
            tax_kind=engine.TaxKind(self.tax_kind),
            threshold_basis=engine.ValueBasis(self.threshold_basis) if self.threshold_basis else None,
            tax_adds_shipping=self.tax_adds_shipping,
            duty_surcharge_rate=self.duty_surcharge_rate,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )


class DutyRate(DatedRule):
    """Import duty on an HS heading (4 digits) or subheading (6 digits) into one country.

    The most specific code wins; goods with neither fall back to the regime's default rate."""

    country = CountryField(_("destination country"))
    hs_code = models.CharField(_("HS heading"), max_length=6, validators=[hs_heading_validator])
    rate = models.DecimalField(
        _("duty rate"), max_digits=6, decimal_places=4, validators=RATE_VALIDATORS, help_text=_("0.12 = 12%")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")
        ordering = ["country", "hs_code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "hs_code", "valid_from"], name="dutyrate_country_hs_from"
            ),
            _period_constraint("dutyrate"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=1), name="dutyrate_rate_fraction"),
            models.CheckConstraint(condition=Q(hs_code__regex=r"^\d{4}(\d{2})?$"), name="dutyrate_hs_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.hs_code}: {self.rate.normalize():%}"

    def _same_period_key(self) -> dict:
        return {"country": self.country, "hs_code": self.hs_code}


class RestrictedGoods(models.Model):
    """Goods of an HS heading (or subheading) a destination does not let the platform deliver."""

    country = CountryField(_("destination country"))
    hs_code = models.CharField(_("HS heading"), max_length=6, validators=[hs_heading_validator])
    reason = models.CharField(_("reason"), max_length=300, help_text=_("Shown to the buyer at checkout."))
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("restricted goods")
        verbose_name_plural = _("restricted goods")
        ordering = ["country", "hs_code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "hs_code"], name="restrictedgoods_country_hs"),
            models.CheckConstraint(
                condition=Q(hs_code__regex=r"^\d{4}(\d{2})?$"), name="restrictedgoods_hs_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.hs_code}"

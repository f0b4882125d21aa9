from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.validators import validate_currency


class ExchangeRate(models.Model):
    """How many units of `currency` one US dollar buys, from `valid_from` until a newer row.

    USD is the pivot: converting A→B is amount / rate(A) × rate(B). Operators edit rows in
    admin; a new rate is a new row with a later `valid_from`, so past prices stay explainable.
    """

    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("ISO-4217 code")
    )
    units_per_usd = models.DecimalField(
        _("units per US dollar"),
        max_digits=20,
        decimal_places=8,
        validators=[MinValueValidator(0)],
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="exchangerate_currency_day"),
            models.CheckConstraint(condition=models.Q(units_per_usd__gt=0), name="exchangerate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 USD = {self.units_per_usd.normalize():f} {self.currency} ({self.valid_from})"

"""Electronic pre-declarations (issue 21): each paid consignment's customs declaration, built from
the order and lodged with the destination e-hub's (simulated) customs before the parcel arrives. A
complete, duty-paid declaration whose value matches the order lets the parcel clear in minutes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ewtp.money import Money
from marketplace.models.orders import AMOUNT


class CustomsDeclaration(models.Model):
    consignment = models.OneToOneField(
        "marketplace.Consignment",
        on_delete=models.CASCADE,
        related_name="declaration",
        verbose_name=_("consignment"),
    )
    number = models.CharField(_("declaration number"), max_length=32, unique=True)
    incoterm = models.CharField(_("incoterm"), max_length=3, default="DDP")
    currency = models.CharField(_("currency"), max_length=3)  # the order's: what the buyer paid in
    declared_value = models.DecimalField(_("declared value"), **AMOUNT)
    duties_and_taxes = models.DecimalField(_("duties and taxes collected"), **AMOUNT)
    duties_paid = models.BooleanField(_("duties and taxes paid"), default=False)
    importer_name = models.CharField(_("importer"), max_length=200)
    importer_country = models.CharField(_("importer's country"), max_length=2)
    exporter_name = models.CharField(_("exporter"), max_length=200)
    exporter_country = models.CharField(_("exporter's country"), max_length=2)
    origin_country = models.CharField(_("shipped from"), max_length=2)
    destination_country = models.CharField(_("destination"), max_length=2)
    vat_scheme = models.CharField(_("VAT scheme"), max_length=8, blank=True)
    vat_scheme_number = models.CharField(_("VAT scheme number"), max_length=32, blank=True)
    complete = models.BooleanField(_("complete and consistent"), default=False)
    problems = models.JSONField(_("what is missing or inconsistent"), default=list, blank=True)
    created_at = models.DateTimeField(_("built"), auto_now_add=True)

    class Meta:
        verbose_name = _("customs declaration")
        verbose_name_plural = _("customs declarations")

    def __str__(self) -> str:
        return self.number

    @property
    def value(self) -> Money:
        return Money(self.declared_value, self.currency)


class DeclarationLine(models.Model):
    declaration = models.ForeignKey(
        CustomsDeclaration, on_delete=models.CASCADE, related_name="lines", verbose_name=_("declaration")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    hs_code = models.CharField(_("HS code"), max_length=6)
    description = models.CharField(_("description"), max_length=200)
    origin_country = models.CharField(_("origin"), max_length=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_value = models.DecimalField(_("unit value"), **AMOUNT)
    total_value = models.DecimalField(_("total value"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("declaration line")
        verbose_name_plural = _("declaration lines")
        ordering = ["declaration", "position"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "position"], name="declaration_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.hs_code} × {self.quantity}"

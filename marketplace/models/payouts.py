"""Payouts: a seller's available balance sent to their mobile-money wallet or bank, in the shop's
currency, through a payout gateway (`services.payouts`). The money's path is on the ledger
(`models.ledger`); these rows say where it was sent and what became of it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ewtp.money import Money
from marketplace.models.orders import AMOUNT


class PayoutMethodKind(models.TextChoices):
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    BANK = "bank", _("Bank transfer")


class PayoutMethod(models.Model):
    """Where a shop is paid. Methods are never deleted once used (payouts point at them): a
    removed one is only made inactive."""

    shop = models.ForeignKey(
        "marketplace.Shop", on_delete=models.CASCADE, related_name="payout_methods", verbose_name=_("shop")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PayoutMethodKind.choices)
    # Mobile money: the wallet's phone number (E.164) and the wallet network of its country.
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    network = models.CharField(_("wallet network"), max_length=40, blank=True)
    # Bank transfer: an IBAN where the country uses one, else an account number and a bank code.
    account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_number = models.CharField(_("account number"), max_length=34, blank=True)
    bank_code = models.CharField(_("bank code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    is_default = models.BooleanField(_("default"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout method")
        verbose_name_plural = _("payout methods")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(is_default=True, is_active=True),
                name="payout_method_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.destination

    @property
    def destination(self) -> str:
        """Where the money goes, with only the last digits shown."""
        if self.kind == PayoutMethodKind.MOBILE_MONEY:
            return f"{self.network} ··{self.phone[-4:]}"
        return f"{self.account_holder} ··{(self.iban or self.account_number)[-4:]}"


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("On its way")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed, money returned to your balance")


class PayoutTrigger(models.TextChoices):
    ON_DEMAND = "on_demand", _("Asked for")
    WEEKLY = "weekly", _("Weekly")


class Payout(models.Model):
    shop = models.ForeignKey(
        "marketplace.Shop", on_delete=models.PROTECT, related_name="payouts", verbose_name=_("shop")
    )
    method = models.ForeignKey(
        PayoutMethod, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("paid to")
    )
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)  # the shop's
    status = models.CharField(
        _("status"), max_length=8, choices=PayoutStatus.choices, default=PayoutStatus.PENDING, db_index=True
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=PayoutTrigger.choices)
    week = models.DateField(_("week of"), null=True, blank=True)  # weekly payouts: that week's Monday
    gateway = models.CharField(_("gateway"), max_length=40, blank=True)
    transfer_id = models.CharField(_("gateway transfer"), max_length=60, blank=True)
    failure_message = models.CharField(_("why it failed"), max_length=240, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
            # The weekly run pays a shop once a week, however often beat runs it.
            models.UniqueConstraint(
                fields=["shop", "week"], condition=models.Q(trigger="weekly"), name="payout_weekly_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.currency} {self.amount} ({self.status})"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def reference(self) -> str:
        """What the transfer is made under at the gateway (`po_<id>`): asking again under it never
        sends the money twice, and a lookup by it tells whether it was sent."""
        return f"po_{self.pk}"


class SandboxPayoutTransfer(models.Model):
    """A transfer the sandbox payout gateway made (or refused), kept so it can answer
    `lookup(reference)` as a real provider does; one per reference."""

    reference = models.CharField(_("reference"), max_length=80, unique=True)
    transfer_id = models.CharField(_("transfer id"), max_length=40)
    succeeded = models.BooleanField(_("succeeded"))
    amount = models.DecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3)
    destination = models.CharField(_("destination"), max_length=80)
    message = models.CharField(_("message"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox payout transfer")
        verbose_name_plural = _("sandbox payout transfers")

    def __str__(self) -> str:
        return f"{self.reference}: {'ok' if self.succeeded else 'refused'} {self.currency} {self.amount}"

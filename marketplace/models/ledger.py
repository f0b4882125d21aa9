"""The escrow ledger: append-only double entry.

Every movement of money is a `LedgerTransaction` whose entries sum to zero per currency
(`services.ledger` refuses anything else); balances are sums of entries, never stored or edited.
Accounts are named strings:

- `gateway`: money received from (negative) or returned to (positive) buyers' cards;
- `escrow:order:<id>`: held for an order until its consignments are delivered or it is refunded;
- `seller:<shop id>`: a seller's released earnings;
- `platform:commission`, `carrier:shipping`, `customs:duty_tax`: what the platform keeps, what the
  network is owed for shipping, and duties and taxes collected for customs (DDP).

Credits are positive amounts, debits negative.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models.orders import AMOUNT

GATEWAY = "gateway"
COMMISSION = "platform:commission"
CARRIER = "carrier:shipping"
CUSTOMS = "customs:duty_tax"


def escrow_account(order) -> str:
    return f"escrow:order:{order.pk}"


def seller_account(shop_id: int) -> str:
    return f"seller:{shop_id}"


def commission_rate() -> Decimal:
    """The platform's share of the goods (default 5%), from `EWTP_COMMISSION_RATE`."""
    return Decimal(str(getattr(settings, "EWTP_COMMISSION_RATE", "0.05")))


class LedgerKind(models.TextChoices):
    PAYMENT = "payment", _("Payment held in escrow")
    RELEASE = "release", _("Escrow released on delivery")
    REFUND = "refund", _("Refund")


class LedgerTransaction(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    order = models.ForeignKey(
        "marketplace.Order",
        on_delete=models.PROTECT,
        related_name="ledger_transactions",
        verbose_name=_("order"),
    )
    consignment = models.ForeignKey(
        "marketplace.Consignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("consignment"),
    )
    memo = models.CharField(_("memo"), max_length=240, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["created_at", "id"]
        constraints = [
            # Each movement happens once: one payment and one refund per order, one release per consignment.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=models.Q(kind__in=["payment", "refund"]),
                name="ledger_once_per_order",
            ),
            models.UniqueConstraint(
                fields=["consignment"],
                condition=models.Q(kind="release"),
                name="ledger_release_once_per_consignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} (order {self.order_id})"


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries", verbose_name=_("transaction")
    )
    account = models.CharField(_("account"), max_length=60, db_index=True)
    amount = models.DecimalField(_("amount"), **AMOUNT)  # credit > 0, debit < 0
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["transaction", "id"]
        indexes = [models.Index(fields=["account", "currency"], name="ledger_account_currency")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount} {self.currency}"

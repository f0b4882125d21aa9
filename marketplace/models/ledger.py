"""The escrow ledger: append-only double entry.

Every movement of money is a `LedgerTransaction` whose entries sum to zero per currency
(`services.ledger` refuses anything else); balances are sums of entries, never stored or edited.
Accounts are named strings:

- `gateway`: money received from (negative) or returned to (positive) buyers' cards;
- `escrow:order:<id>`: held for an order until its consignments are delivered or it is refunded
  (in the order's currency, the buyer's);
- `fx:exchange`: where a release changes currency — it takes the seller's share in the buyer's
  currency and gives it out in the shop's, at the rate recorded on the transaction;
- `seller:<shop id>`: a seller's available earnings, in the shop's currency;
- `seller:<shop id>:in-transit`, `seller:<shop id>:paid-out`: a payout on its way to the seller's
  wallet or bank, then paid (seller balance → payouts in transit → paid out; a failed payout goes
  back from in transit to the balance);
- `platform:commission`, `carrier:shipping`, `customs:duty_tax`: what the platform keeps, what the
  network is owed for shipping, and duties and taxes collected for customs (DDP);
- `tax:payable:<scheme>`: VAT/GST collected at sale under a scheme (EU IOSS, UK point of sale,
  Australia's low value goods…), owed to that tax authority — recorded at release, never the
  seller's money.

Credits are positive amounts, debits negative. A seller's `available` is the balance of
`seller:<id>` alone: money a buyer may still claim back (escrow before delivery; after-sale's
protection window) is kept in other accounts until it is the seller's, so it can never be paid out.
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


def tax_payable_account(scheme: str) -> str:
    """VAT/GST the marketplace collected at sale under a scheme (IOSS, UK_POS, AU_LVG…): owed to
    that tax authority, never the seller's money."""
    return f"tax:payable:{scheme}"


def escrow_account(order) -> str:
    return f"escrow:order:{order.pk}"


FX = "fx:exchange"


def seller_account(shop_id: int) -> str:
    return f"seller:{shop_id}"


def seller_in_transit_account(shop_id: int) -> str:
    return f"seller:{shop_id}:in-transit"


def seller_paid_out_account(shop_id: int) -> str:
    return f"seller:{shop_id}:paid-out"


def commission_rate() -> Decimal:
    """The platform's share of the goods (default 5%), from `EWTP_COMMISSION_RATE`."""
    return Decimal(str(getattr(settings, "EWTP_COMMISSION_RATE", "0.05")))


class LedgerKind(models.TextChoices):
    PAYMENT = "payment", _("Payment held in escrow")
    RELEASE = "release", _("Escrow released on delivery")
    REFUND = "refund", _("Refund")
    PAYOUT = "payout", _("Payout sent")
    PAYOUT_PAID = "payout_paid", _("Payout paid")
    PAYOUT_RETURNED = "payout_returned", _("Payout failed, money returned")


class LedgerTransaction(models.Model):
    """One movement of money. Buyers' money moves for an order (`order`); a payout moves a seller's
    money with no order (`payout`)."""

    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    order = models.ForeignKey(
        "marketplace.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("order"),
    )
    payout = models.ForeignKey(
        "marketplace.Payout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("payout"),
    )
    # A release that changed currency: units of `fx_to` per unit of `fx_from`, as used.
    fx_rate = models.DecimalField(_("exchange rate"), max_digits=24, decimal_places=10, null=True, blank=True)
    fx_from = models.CharField(_("from currency"), max_length=3, blank=True)
    fx_to = models.CharField(_("to currency"), max_length=3, blank=True)
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
            # A payout leaves the balance once, and is then paid or returned once — never both.
            models.UniqueConstraint(
                fields=["payout"],
                condition=models.Q(kind="payout"),
                name="ledger_payout_sent_once",
            ),
            models.UniqueConstraint(
                fields=["payout"],
                condition=models.Q(kind__in=["payout_paid", "payout_returned"]),
                name="ledger_payout_settled_once",
            ),
            models.CheckConstraint(
                condition=models.Q(order__isnull=False) | models.Q(payout__isnull=False),
                name="ledger_for_an_order_or_a_payout",
            ),
        ]

    def __str__(self) -> str:
        if self.order_id is None:
            return f"{self.kind} #{self.pk} (payout {self.payout_id})"
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

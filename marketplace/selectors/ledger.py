"""Reads of the escrow ledger: balances are sums of entries, never stored."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from ewtp.money import Money
from marketplace.models import LedgerEntry, Order
from marketplace.models.ledger import escrow_account


def account_balance(account: str, currency: str) -> Money:
    total = LedgerEntry.objects.filter(account=account, currency=currency).aggregate(total=Sum("amount"))[
        "total"
    ]
    return Money(total or Decimal(0), currency)


def ledger_totals_by_currency() -> dict[str, Decimal]:
    """The sum of every entry per currency: zero for each when the ledger balances."""
    rows = LedgerEntry.objects.values("currency").annotate(total=Sum("amount"))
    return {row["currency"]: row["total"] for row in rows}


def order_escrow_held(order: Order) -> Money:
    return account_balance(escrow_account(order), order.currency)

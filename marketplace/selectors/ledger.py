"""Reads of the escrow ledger: balances are sums of entries, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ewtp.money import Money
from marketplace.models import ConsignmentStatus, LedgerEntry, Order, OrderStatus, Shop
from marketplace.models.ledger import commission_rate, escrow_account, seller_account


def account_balance(account: str, currency: str) -> Money:
    total = LedgerEntry.objects.filter(account=account, currency=currency).aggregate(total=Sum("amount"))[
        "total"
    ]
    return Money(total or Decimal(0), currency)


def ledger_totals_by_currency() -> dict[str, Decimal]:
    """The sum of every entry per currency: zero for each when the ledger balances."""
    rows = LedgerEntry.objects.values("currency").annotate(total=Sum("amount"))
    return {row["currency"]: row["total"] for row in rows}


@dataclass(frozen=True)
class SellerBalance:
    currency: str
    released: Money  # the seller's earnings so far (delivered consignments, after commission)
    held: Money  # paid by buyers, waiting in escrow for delivery (after commission)


def seller_balances(shop: Shop) -> list[SellerBalance]:
    """Per currency: what is released to the seller and what is still held for their paid consignments."""
    released = {
        row["currency"]: row["total"]
        for row in LedgerEntry.objects.filter(account=seller_account(shop.pk))
        .values("currency")
        .annotate(total=Sum("amount"))
    }
    held_rows = (
        shop.consignments.filter(
            status__in=[
                ConsignmentStatus.READY_TO_SHIP,
                ConsignmentStatus.HANDED_OVER,
                ConsignmentStatus.IN_TRANSIT,
            ],
            order__status__in=[OrderStatus.PAID, OrderStatus.IN_FULFILMENT],
        )
        .values("currency")
        .annotate(total=Sum("goods_amount"))
    )
    rate = commission_rate()
    held = {row["currency"]: row["total"] * (1 - rate) for row in held_rows}
    return [
        SellerBalance(
            currency=currency,
            released=Money(released.get(currency, Decimal(0)), currency).quantized(),
            held=Money(held.get(currency, Decimal(0)), currency).quantized(),
        )
        for currency in sorted(set(released) | set(held))
    ]


def order_escrow_held(order: Order) -> Money:
    return account_balance(escrow_account(order), order.currency)

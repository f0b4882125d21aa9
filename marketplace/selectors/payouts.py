"""A seller's money in the shop's currency: the balance (available, held, in transit, paid out),
their payouts, and a statement per payout — all read from the ledger, never stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Sum

from ewtp.money import Money
from marketplace.models import (
    ConsignmentStatus,
    LedgerEntry,
    LedgerKind,
    LedgerTransaction,
    OrderStatus,
    Payout,
    Shop,
)
from marketplace.models.ledger import (
    FX,
    commission_rate,
    seller_account,
    seller_in_transit_account,
    seller_paid_out_account,
)
from marketplace.selectors.fx import rates_in_force

HELD_STATUSES = [ConsignmentStatus.READY_TO_SHIP, ConsignmentStatus.HANDED_OVER, ConsignmentStatus.IN_TRANSIT]


@dataclass(frozen=True)
class ShopBalance:
    currency: str  # the shop's
    available: Money  # released to the seller and not paid out: what a payout can take
    held: Money  # paid by buyers, in escrow until delivery (less commission), at today's rate
    in_transit: Money  # payouts sent and not yet confirmed
    paid_out: Money  # payouts the gateway confirmed
    rates_as_of: date | None = None  # the rates `held` was converted at
    unconverted: list[Money] = field(default_factory=list)  # released where no rate was known


def shop_balance(shop: Shop) -> ShopBalance:
    """Two queries: the seller's accounts, and the escrow still held for their paid consignments."""
    currency = shop.currency
    accounts = {
        seller_account(shop.pk): "available",
        seller_in_transit_account(shop.pk): "in_transit",
        seller_paid_out_account(shop.pk): "paid_out",
    }
    sums = {name: Decimal(0) for name in accounts.values()}
    unconverted = []
    rows = (
        LedgerEntry.objects.filter(account__in=accounts)
        .values_list("account", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for account, entry_currency, total in rows:
        if entry_currency == currency:
            sums[accounts[account]] += total
        elif total:
            unconverted.append(Money(total, entry_currency).quantized())
    rates = rates_in_force()
    held_rows = (
        shop.consignments.filter(
            status__in=HELD_STATUSES, order__status__in=[OrderStatus.PAID, OrderStatus.IN_FULFILMENT]
        )
        .values_list("currency")
        .annotate(total=Sum("goods_amount"))
        .order_by()
    )
    held = Money(Decimal(0), currency)
    for held_currency, total in held_rows:
        share = Money(total * (1 - commission_rate()), held_currency).quantized()
        converted = rates.convert(share, currency)
        if converted is None:
            unconverted.append(share)
        else:
            held = held + converted
    return ShopBalance(
        currency=currency,
        available=Money(sums["available"], currency).quantized(),
        held=held.quantized(),
        in_transit=Money(sums["in_transit"], currency).quantized(),
        paid_out=Money(sums["paid_out"], currency).quantized(),
        rates_as_of=rates.as_of,
        unconverted=unconverted,
    )


def payouts_for_shop(shop: Shop):
    return Payout.objects.filter(shop=shop).select_related("method").order_by("-created_at", "-id")


@dataclass(frozen=True)
class StatementLine:
    at: datetime
    kind: str  # a LedgerKind
    label: str  # the order number, or the payout's reference
    amount: Money  # in the shop's currency: + into the balance, − out of it
    source: Money | None = None  # a release in another currency: what the buyer's money was
    rate: Decimal | None = None  # … and the rate it was changed at


@dataclass(frozen=True)
class PayoutStatement:
    payout: Payout
    opening: Money  # the balance after the previous payout left it
    lines: list[StatementLine]
    closing: Money  # the balance after this payout left it


def payout_statement(payout: Payout) -> PayoutStatement:
    """What this payout paid: every movement of the seller's balance since the previous payout left
    it — releases (with the buyer's currency and the rate), returned payouts — up to this one."""
    account, currency = seller_account(payout.shop_id), payout.currency
    sends = LedgerTransaction.objects.filter(kind=LedgerKind.PAYOUT).values_list("pk", flat=True)
    sent = sends.filter(payout=payout).first() or 0
    previous = sends.filter(payout__shop_id=payout.shop_id, pk__lt=sent).order_by("-pk").first() or 0
    entries = LedgerEntry.objects.filter(account=account, currency=currency)
    opening = entries.filter(transaction_id__lte=previous).aggregate(total=Sum("amount"))["total"]
    period = list(
        entries.filter(transaction_id__gt=previous, transaction_id__lte=sent)
        .select_related("transaction__order", "transaction__payout")
        .order_by("transaction_id", "pk")
    )
    exchanged = [entry.transaction_id for entry in period if entry.transaction.fx_rate]
    fx_in = LedgerEntry.objects.filter(transaction_id__in=exchanged, account=FX, amount__gt=0)
    sources = {
        txn_id: Money(amount, entry_currency)
        for txn_id, amount, entry_currency in fx_in.values_list("transaction_id", "amount", "currency")
    }
    opening = opening or Decimal(0)
    lines = []
    for entry in period:
        txn = entry.transaction
        lines.append(
            StatementLine(
                at=txn.created_at,
                kind=txn.kind,
                label=txn.order.number if txn.order_id else txn.payout.reference,
                amount=Money(entry.amount, currency),
                source=sources.get(txn.pk),
                rate=txn.fx_rate,
            )
        )
    closing = opening + sum((line.amount.amount for line in lines), Decimal(0))
    return PayoutStatement(
        payout=payout,
        opening=Money(opening, currency).quantized(),
        lines=lines,
        closing=Money(closing, currency).quantized(),
    )

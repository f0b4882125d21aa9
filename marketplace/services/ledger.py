"""Writes to the escrow ledger: a buyer's payment held, released to the seller on delivery, or refunded.

Each function writes one balanced `LedgerTransaction` (entries sum to zero per currency) and is
safe to call twice: database constraints allow one payment and one refund per order and one
release per consignment, so a retried job cannot move money twice.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ewtp.money import Money, quantize
from marketplace.models import Consignment, LedgerEntry, LedgerKind, LedgerTransaction, Order
from marketplace.models.ledger import (
    CARRIER,
    COMMISSION,
    CUSTOMS,
    GATEWAY,
    commission_rate,
    escrow_account,
    seller_account,
)


class UnbalancedTransaction(ValueError):
    pass


def _check_balanced(kind: LedgerKind, order: Order, entries: list[tuple[str, Money]]) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _account, money in entries:
        totals[money.currency] += money.amount
    if any(total != 0 for total in totals.values()):
        raise UnbalancedTransaction(f"{kind} for order {order.pk} does not balance: {dict(totals)}")


def _post(
    *,
    kind: LedgerKind,
    order: Order,
    consignment: Consignment | None,
    memo: str,
    entries: list[tuple[str, Money]],
) -> LedgerTransaction | None:
    """Write one balanced transaction; None when this movement was already written."""
    _check_balanced(kind, order, entries)
    try:
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(kind=kind, order=order, consignment=consignment, memo=memo)
            LedgerEntry.objects.bulk_create(
                LedgerEntry(transaction=txn, account=account, amount=money.amount, currency=money.currency)
                for account, money in entries
                if money.amount != 0
            )
    except IntegrityError:
        return None  # the same movement is already on the ledger
    return txn


def ledger_record_payment(*, order: Order) -> LedgerTransaction | None:
    """The buyer's card paid the order total: hold it in the order's escrow."""
    total = order.total
    return _post(
        kind=LedgerKind.PAYMENT,
        order=order,
        consignment=None,
        memo=order.number,
        entries=[(GATEWAY, Money(-total.amount, total.currency)), (escrow_account(order), total)],
    )


def _release_entries(consignment: Consignment) -> list[tuple[str, Money]]:
    """Goods to the seller less the platform's commission, shipping to the carrier, duty and tax to
    customs — all out of the order's escrow."""
    order = consignment.order
    goods, shipping = consignment.money("goods"), consignment.money("shipping")
    duty_tax = consignment.money("duty") + consignment.money("tax")
    commission = Money(quantize(goods.amount * commission_rate(), goods.currency), goods.currency)
    total = consignment.money("total")
    return [
        (escrow_account(order), Money(-total.amount, total.currency)),
        (seller_account(consignment.shop_id), goods - commission),
        (COMMISSION, commission),
        (CARRIER, shipping),
        (CUSTOMS, duty_tax),
    ]


def ledger_release(*, consignment: Consignment) -> LedgerTransaction | None:
    """A consignment was delivered: release what its order holds for it (`_release_entries`)."""
    order = consignment.order
    return _post(
        kind=LedgerKind.RELEASE,
        order=order,
        consignment=consignment,
        memo=f"{order.number} · {consignment.shop_id}",
        entries=_release_entries(consignment),
    )


def ledger_release_many(*, consignments: list[Consignment]) -> int:
    """Many consignments delivered at once (the simulation tick): their releases in two inserts. Each
    balances as `ledger_release`'s does; the one-release-per-consignment constraint still holds, so a
    repeat raises `IntegrityError` and the caller falls back to one at a time (which skips it)."""
    if not consignments:
        return 0
    postings = []
    for consignment in consignments:
        entries = _release_entries(consignment)
        _check_balanced(LedgerKind.RELEASE, consignment.order, entries)
        postings.append((consignment, entries))
    transactions = LedgerTransaction.objects.bulk_create(
        LedgerTransaction(
            kind=LedgerKind.RELEASE,
            order=consignment.order,
            consignment=consignment,
            memo=f"{consignment.order.number} · {consignment.shop_id}",
        )
        for consignment, _entries in postings
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=txn, account=account, amount=money.amount, currency=money.currency)
        for txn, (_consignment, entries) in zip(transactions, postings, strict=True)
        for account, money in entries
        if money.amount != 0
    )
    return len(transactions)


def ledger_refund(*, order: Order) -> LedgerTransaction | None:
    """Return what is still held for the order to the buyer's card (cancellation before hand-over)."""
    held_amount = LedgerEntry.objects.filter(
        account=escrow_account(order), currency=order.currency
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    held = Money(held_amount, order.currency)
    if held.amount <= 0:
        return None
    return _post(
        kind=LedgerKind.REFUND,
        order=order,
        consignment=None,
        memo=order.number,
        entries=[(escrow_account(order), Money(-held.amount, held.currency)), (GATEWAY, held)],
    )

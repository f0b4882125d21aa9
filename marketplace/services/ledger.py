"""Writes to the escrow ledger: a buyer's payment held, released to the seller on delivery (in the
shop's currency, through the FX account), or refunded; a seller's payout sent, paid or returned.

Each function writes one balanced `LedgerTransaction` (entries sum to zero per currency) and is
safe to call twice: database constraints allow one payment and one refund per order, one release
per consignment, and one send and one settlement per payout, so a retried job cannot move money
twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ewtp.money import Money, quantize
from marketplace.models import Consignment, LedgerEntry, LedgerKind, LedgerTransaction, Order, Payout, Shop
from marketplace.models.ledger import (
    CARRIER,
    COMMISSION,
    CUSTOMS,
    FX,
    GATEWAY,
    commission_rate,
    escrow_account,
    seller_account,
    seller_in_transit_account,
    seller_paid_out_account,
    tax_payable_account,
)
from marketplace.pricing.fx import Rates
from marketplace.selectors.fx import rates_in_force

logger = logging.getLogger(__name__)
RATE_PLACES = Decimal("0.0000000001")


class UnbalancedTransaction(ValueError):
    pass


def _check_balanced(kind: LedgerKind, what: str, entries: list[tuple[str, Money]]) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _account, money in entries:
        totals[money.currency] += money.amount
    if any(total != 0 for total in totals.values()):
        raise UnbalancedTransaction(f"{kind} for {what} does not balance: {dict(totals)}")


@dataclass(frozen=True)
class Exchange:
    """A release's change of currency: `rate` units of `to` per unit of `source`, as used."""

    source: str
    to: str
    rate: Decimal


def _post(
    *,
    kind: LedgerKind,
    order: Order | None = None,
    consignment: Consignment | None = None,
    payout: Payout | None = None,
    memo: str,
    entries: list[tuple[str, Money]],
    exchange: Exchange | None = None,
) -> LedgerTransaction | None:
    """Write one balanced transaction; None when this movement was already written."""
    _check_balanced(kind, f"order {order.pk}" if order else f"payout {payout.pk if payout else '?'}", entries)
    try:
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(
                kind=kind,
                order=order,
                consignment=consignment,
                payout=payout,
                memo=memo,
                **_fx_fields(exchange),
            )
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


def _fx_fields(exchange: Exchange | None) -> dict:
    if exchange is None:
        return {}
    return {"fx_rate": exchange.rate, "fx_from": exchange.source, "fx_to": exchange.to}


def _release_entries(
    consignment: Consignment, shop_currency: str, rates: Rates
) -> tuple[list[tuple[str, Money]], Exchange | None]:
    """Goods to the seller less the platform's commission, shipping to the carrier, duty and tax to
    customs — or, for VAT/GST the marketplace collected at sale under a scheme (the consignment's
    `vat_scheme`), to that scheme's tax-payable account — all out of the order's escrow. The seller's
    share is paid in the shop's currency:
    the FX account takes it in the buyer's currency and gives it out in the shop's at the rate in
    force (recorded). Without a rate for the pair it stays in the buyer's currency (logged)."""
    order = consignment.order
    goods, shipping = consignment.money("goods"), consignment.money("shipping")
    duty, tax = consignment.money("duty"), consignment.money("tax")
    commission = Money(quantize(goods.amount * commission_rate(), goods.currency), goods.currency)
    total = consignment.money("total")
    share = goods - commission
    entries = [
        (escrow_account(order), Money(-total.amount, total.currency)),
        (COMMISSION, commission),
        (CARRIER, shipping),
    ]
    if consignment.vat_scheme:
        entries += [(CUSTOMS, duty), (tax_payable_account(consignment.vat_scheme), tax)]
    else:
        entries.append((CUSTOMS, duty + tax))
    factor = rates.factor(share.currency, shop_currency)
    if share.currency == shop_currency or factor is None:
        if factor is None:
            logger.error("ledger: no rate %s→%s; consignment %s released in %s", share.currency,
                         shop_currency, consignment.pk, share.currency)  # fmt: skip
        return [*entries, (seller_account(consignment.shop_id), share)], None
    rate = factor.quantize(RATE_PLACES)
    paid = Money(quantize(share.amount * rate, shop_currency), shop_currency)
    return [
        *entries,
        (FX, share),
        (FX, Money(-paid.amount, shop_currency)),
        (seller_account(consignment.shop_id), paid),
    ], Exchange(share.currency, shop_currency, rate)


def ledger_release(*, consignment: Consignment) -> LedgerTransaction | None:
    """A consignment was delivered: release what its order holds for it (`_release_entries`)."""
    order = consignment.order
    shop_currency = Shop.objects.filter(pk=consignment.shop_id).values_list("currency", flat=True).get()
    entries, exchange = _release_entries(consignment, shop_currency, rates_in_force())
    return _post(
        kind=LedgerKind.RELEASE,
        order=order,
        consignment=consignment,
        memo=f"{order.number} · {consignment.shop_id}",
        entries=entries,
        exchange=exchange,
    )


def ledger_release_many(*, consignments: list[Consignment]) -> int:
    """Many consignments delivered at once (the simulation tick): their releases in two inserts. Each
    balances as `ledger_release`'s does; the one-release-per-consignment constraint still holds, so a
    repeat raises `IntegrityError` and the caller falls back to one at a time (which skips it)."""
    if not consignments:
        return 0
    rates = rates_in_force()
    currencies = dict(
        Shop.objects.filter(pk__in={c.shop_id for c in consignments}).values_list("pk", "currency")
    )
    postings = []
    for consignment in consignments:
        entries, exchange = _release_entries(consignment, currencies[consignment.shop_id], rates)
        _check_balanced(LedgerKind.RELEASE, f"order {consignment.order_id}", entries)
        postings.append((consignment, entries, exchange))
    transactions = LedgerTransaction.objects.bulk_create(
        LedgerTransaction(
            kind=LedgerKind.RELEASE,
            order=consignment.order,
            consignment=consignment,
            memo=f"{consignment.order.number} · {consignment.shop_id}",
            **_fx_fields(exchange),
        )
        for consignment, _entries, exchange in postings
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=txn, account=account, amount=money.amount, currency=money.currency)
        for txn, (_consignment, entries, _exchange) in zip(transactions, postings, strict=True)
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


def ledger_payout_send(*, payout: Payout) -> LedgerTransaction | None:
    """A payout leaves the seller's balance for the payouts in transit (in the caller's transaction,
    under the shop's lock, after checking the balance covers it)."""
    money = Money(payout.amount, payout.currency)
    return _post(
        kind=LedgerKind.PAYOUT,
        payout=payout,
        memo=payout.reference,
        entries=[
            (seller_account(payout.shop_id), Money(-money.amount, money.currency)),
            (seller_in_transit_account(payout.shop_id), money),
        ],
    )


def ledger_payout_settle(*, payout: Payout, paid: bool) -> LedgerTransaction | None:
    """The gateway answered: in transit → paid out, or (failed) back to the seller's balance. A
    payout settles once (a constraint): a second answer writes nothing and returns None."""
    money = Money(payout.amount, payout.currency)
    to = seller_paid_out_account(payout.shop_id) if paid else seller_account(payout.shop_id)
    return _post(
        kind=LedgerKind.PAYOUT_PAID if paid else LedgerKind.PAYOUT_RETURNED,
        payout=payout,
        memo=payout.reference,
        entries=[
            (seller_in_transit_account(payout.shop_id), Money(-money.amount, money.currency)),
            (to, money),
        ],
    )

"""An order's life after placing: payment windows, cancellation, hand-over, delivery and the escrow ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from ewtp.exceptions import InvalidTransition, PermissionDenied
from ewtp.money import Money, quantize
from marketplace.models import Listing, OrderEvent, OrderStatus
from marketplace.models.ledger import escrow_account, seller_account
from marketplace.selectors.checkout import CheckoutItem
from marketplace.selectors.fx import rates_in_force
from marketplace.selectors.ledger import account_balance, ledger_totals_by_currency
from marketplace.selectors.payouts import shop_balance
from marketplace.services.fulfilment import consignment_hand_over, consignment_mark_delivered
from marketplace.services.orders import order_cancel, orders_expire_due
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import CARD_OK, ship_to

pytestmark = pytest.mark.django_db


def place(buyer, *items, country="BE", currency="EUR"):
    return order_place(
        buyer=buyer,
        items=[CheckoutItem(listing=listing, quantity=quantity) for listing, quantity in items],
        ship_to=ShipTo(**ship_to(country)),
        currency=currency,
        preference="cheapest",
    )


def paid(buyer, *items):
    order = place(buyer, *items)
    order_pay(order=order, card_number=CARD_OK, actor=buyer)
    order.refresh_from_db()
    return order


def test_an_unpaid_order_expires_after_its_window_and_releases_stock(scarf, buyer_be):
    order = place(buyer_be, (scarf, 3))
    assert order.expires_at - order.placed_at == timedelta(minutes=settings.EWTP_ORDER_PAYMENT_MINUTES)
    assert orders_expire_due(now=timezone.now()) == 0  # not due yet
    assert orders_expire_due(now=order.expires_at + timedelta(seconds=1)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert Listing.objects.get(pk=scarf.pk).stock == 5
    assert {c.status for c in order.consignments.all()} == {"cancelled"}
    assert list(
        OrderEvent.objects.filter(order=order, consignment=None).values_list("to_status", flat=True)
    ) == [
        "pending_payment",
        "expired",
    ]
    with pytest.raises(InvalidTransition):
        order_pay(order=order, card_number=CARD_OK, actor=buyer_be)


def test_a_paid_order_never_expires(scarf, buyer_be):
    order = paid(buyer_be, (scarf, 1))
    assert orders_expire_due(now=order.expires_at + timedelta(days=1)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_cancelling_a_paid_order_refunds_the_escrow_to_the_card(scarf, batik, buyer_be):
    order = paid(buyer_be, (scarf, 1), (batik, 2))
    assert account_balance(escrow_account(order), "EUR") == order.total
    order_cancel(order=order, actor=buyer_be)
    assert account_balance(escrow_account(order), "EUR").amount == 0
    assert account_balance("gateway", "EUR").amount == 0  # paid in, paid back
    assert order.payments.get().status == "refunded"
    assert Listing.objects.get(pk=scarf.pk).stock == 5 and Listing.objects.get(pk=batik.pk).stock == 10


def test_nobody_but_the_buyer_cancels(scarf, buyer_be, other_buyer):
    order = place(buyer_be, (scarf, 1))
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=other_buyer)


def test_no_cancelling_once_a_parcel_is_handed_over(scarf, buyer_be):
    order = paid(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    consignment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_FULFILMENT
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, actor=buyer_be)


def test_only_the_shop_hands_over_its_consignment(scarf, batik, buyer_be):
    order = paid(buyer_be, (scarf, 1))
    with pytest.raises(PermissionDenied):
        consignment_hand_over(consignment=order.consignments.get(), actor=batik.shop.owner)


def test_delivery_releases_the_sellers_share_exactly_once_and_completes_the_order(scarf, batik, buyer_be):
    order = paid(buyer_be, (scarf, 1), (batik, 1))
    scarf_part = order.consignments.get(shop=scarf.shop)
    batik_part = order.consignments.get(shop=batik.shop)
    for part in (scarf_part, batik_part):
        consignment_hand_over(consignment=part, actor=part.shop.owner)
    consignment_mark_delivered(consignment=scarf_part)
    goods = scarf_part.money("goods")
    commission = Money(goods.amount * Decimal("0.05"), "EUR").quantized()
    # The buyer paid in euros; the Hangzhou shop is paid in yuan, at the rate the release recorded.
    release = scarf_part.ledger_transactions.get()
    assert (release.fx_from, release.fx_to) == ("EUR", "CNY")
    assert release.fx_rate == rates_in_force().factor("EUR", "CNY").quantize(Decimal("0.0000000001"))
    in_yuan = Money(quantize((goods - commission).amount * release.fx_rate, "CNY"), "CNY")
    assert account_balance(seller_account(scarf.shop.pk), "CNY") == in_yuan
    assert account_balance(seller_account(scarf.shop.pk), "EUR").amount == 0
    balance = shop_balance(scarf.shop)
    assert balance.currency == "CNY" and balance.available == in_yuan and balance.held.amount == 0
    with pytest.raises(InvalidTransition):
        consignment_mark_delivered(consignment=scarf_part)  # a retried delivery moves no money
    assert account_balance(seller_account(scarf.shop.pk), "CNY") == in_yuan
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_FULFILMENT
    consignment_mark_delivered(consignment=batik_part)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert account_balance(escrow_account(order), "EUR").amount == 0
    assert all(total == 0 for total in ledger_totals_by_currency().values())


def test_the_ledger_release_is_unique_per_consignment_in_the_database(scarf, buyer_be):
    """Even a direct second call (a retried job) writes no second release."""
    from marketplace.services.ledger import ledger_release

    order = paid(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    consignment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    consignment_mark_delivered(consignment=consignment)
    consignment.refresh_from_db()
    assert ledger_release(consignment=consignment) is None
    assert consignment.ledger_transactions.count() == 1


def test_a_seller_sees_money_held_until_delivery(scarf, buyer_be):
    order = paid(buyer_be, (scarf, 2))
    balance = shop_balance(scarf.shop)
    goods = order.consignments.get().money("goods")
    share = Money(goods.amount * Decimal("0.95"), "EUR").quantized()
    assert balance.held == rates_in_force().convert(share, "CNY")  # in the shop's money, today's rate
    assert balance.available.amount == 0


def test_expiry_runs_as_a_beat_task():
    schedule = settings.CELERY_BEAT_SCHEDULE["expire-unpaid-orders"]
    assert schedule["task"] == "marketplace.expire_unpaid_orders" and schedule["schedule"] <= 60

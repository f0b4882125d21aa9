"""The escrow ledger always balances, whatever happens to orders (Hypothesis over random sequences)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ewtp.exceptions import DomainError
from marketplace.models import Listing, Order, OrderStatus
from marketplace.models.ledger import (
    CARRIER,
    COMMISSION,
    CUSTOMS,
    FX,
    GATEWAY,
    escrow_account,
    tax_payable_account,
)
from marketplace.selectors.checkout import CheckoutItem
from marketplace.selectors.ledger import account_balance, ledger_totals_by_currency
from marketplace.services.fulfilment import consignment_hand_over, consignment_mark_delivered
from marketplace.services.orders import order_cancel, orders_expire_due
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import CARD_DECLINED, CARD_OK, ship_to

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # Hypothesis over whole order lives

ACTIONS = ("pay", "pay_declined", "cancel", "hand_over", "deliver", "expire")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2)), min_size=1, max_size=14))
def test_the_ledger_balances_after_any_sequence_of_pay_cancel_deliver_expire(scarf, batik, buyer_be, steps):
    # Examples share the test's transaction: top up stock and measure every account as a change.
    Listing.objects.filter(pk__in=[scarf.pk, batik.pk]).update(stock=1000)
    # The sellers' shares leave the euros through the FX account (paid to them in CNY and MYR).
    accounts = [
        GATEWAY,
        COMMISSION,
        CARRIER,
        CUSTOMS,
        tax_payable_account("IOSS"),  # Belgium's VAT, collected at sale: owed, not the sellers'
        FX,
        f"seller:{scarf.shop.pk}",
        f"seller:{batik.shop.pk}",
    ]
    before = {account: account_balance(account, "EUR").amount for account in accounts}

    def change(account: str) -> Decimal:
        return account_balance(account, "EUR").amount - before[account]

    orders = [
        order_place(
            buyer=buyer_be,
            items=[CheckoutItem(scarf, 1), CheckoutItem(batik, 1)] if n != 1 else [CheckoutItem(batik, 2)],
            ship_to=ShipTo(**ship_to()),
            currency="EUR",
            preference="cheapest",
        )
        for n in range(3)
    ]
    for action, index in steps:
        order = Order.objects.get(pk=orders[index].pk)
        try:
            if action == "pay":
                order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
            elif action == "pay_declined":
                order_pay(order=order, card_number=CARD_DECLINED, actor=buyer_be)
            elif action == "cancel":
                order_cancel(order=order, actor=buyer_be)
            elif action == "hand_over":
                for part in order.consignments.all():
                    consignment_hand_over(consignment=part, actor=part.shop.owner)
            elif action == "deliver":
                for part in order.consignments.all():
                    consignment_mark_delivered(consignment=part)
            elif action == "expire":
                orders_expire_due(now=order.expires_at)
        except DomainError:
            pass  # an illegal move is refused; the ledger must not notice
        assert all(total == 0 for total in ledger_totals_by_currency().values())

    received = -change(GATEWAY)  # paid in minus refunded
    delivered_out = Decimal(0)
    for placed in orders:
        order = Order.objects.get(pk=placed.pk)
        held = account_balance(escrow_account(order), "EUR").amount
        assert held >= 0
        if order.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.EXPIRED, OrderStatus.CANCELLED):
            assert held == 0  # never paid, or refunded in full
        delivered = [c for c in order.consignments.all() if c.status == "delivered"]
        if order.status == OrderStatus.COMPLETED:
            assert held == 0
        released = sum((c.total_amount for c in delivered), Decimal(0))
        if order.paid_at is not None and order.status != OrderStatus.CANCELLED:
            assert held + released == order.total_amount
        delivered_out += released
    paid_out = sum((change(account) for account in accounts[1:]), Decimal(0))
    assert paid_out == delivered_out  # sellers, commission, carrier and customs got what was delivered
    assert received == delivered_out + sum(
        account_balance(escrow_account(Order.objects.get(pk=o.pk)), "EUR").amount for o in orders
    )

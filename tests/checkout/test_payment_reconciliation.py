"""Payments a crash left half-done are reconciled with the gateway: a charge that went through
completes the payment exactly once (ledger, routing job, e-mail), one that did not frees the order
to be paid again or expire. (The same fault through a real gunicorn: tests/faults/.)"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ewtp.exceptions import InvalidTransition
from ewtp.models import OutboxJob
from marketplace.models import LedgerTransaction, Listing, OrderStatus, PaymentAttempt, SandboxCharge
from marketplace.services import payments
from marketplace.services.orders import order_cancel, orders_expire_due
from marketplace.services.payments import (
    PaymentDeclined,
    SandboxGateway,
    _attempt_finish,
    _attempt_start,
    order_pay,
    payment_reconcile,
    payments_reconcile,
)
from tests.checkout.helpers import CARD_OK
from tests.checkout.test_lifecycle import place
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db

CARD = "4242424242424242"


def interrupted(order, *, charged: bool) -> PaymentAttempt:
    """What a process killed mid-payment leaves: the pending attempt committed, the charge made
    (or not) under its reference, and nothing after that."""
    attempt = _attempt_start(order=order, provider=SandboxGateway(), card=CARD)
    if charged:
        SandboxGateway().charge(amount=order.total, card_number=CARD, reference=attempt.charge_reference)
    return attempt


def later() -> timezone.datetime:
    return timezone.now() + payments.reconcile_after() + timedelta(seconds=1)


def test_each_attempt_charges_under_its_own_reference(scarf, buyer_be):
    """Every attempt of an order shared `order.number`: a lookup could not tell them apart."""
    order = place(buyer_be, (scarf, 1))
    with pytest.raises(PaymentDeclined):
        order_pay(order=order, card_number="4000 0000 0000 0002", actor=buyer_be)
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    declined, succeeded = PaymentAttempt.objects.filter(order=order).order_by("pk")
    charges = {c.reference: c for c in SandboxCharge.objects.all()}
    assert set(charges) == {f"pa_{declined.pk}", f"pa_{succeeded.pk}"}
    assert not charges[f"pa_{declined.pk}"].succeeded and charges[f"pa_{succeeded.pk}"].succeeded
    assert succeeded.reference == charges[f"pa_{succeeded.pk}"].charge_id


def test_an_interrupted_payment_strands_nothing_once_reconciled(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    attempt = interrupted(order, charged=True)
    # Stuck, as before: paying again and cancelling are refused while it is pending…
    with pytest.raises(InvalidTransition, match="already being paid"):
        order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, actor=buyer_be)
    # …until the reconciler asks the gateway, after the delay and not before.
    assert payments_reconcile() == {}
    assert payments_reconcile(now=later()) == {"succeeded": 1}
    order.refresh_from_db()
    attempt.refresh_from_db()
    assert order.status == OrderStatus.PAID and attempt.status == "succeeded"
    assert LedgerTransaction.objects.filter(order=order, kind="payment").count() == 1
    jobs = list(OutboxJob.objects.values_list("task", flat=True))
    assert sorted(jobs) == ["logistics.route_shipment", "marketplace.send_order_email"]
    # Exactly once: again, or the request path finishing late, changes nothing.
    assert payments_reconcile(now=later()) == {}
    assert payment_reconcile(attempt=attempt) == "done"
    late = SandboxGateway().lookup(f"pa_{attempt.pk}")
    assert not _attempt_finish(attempt=attempt, result=late, actor=None)
    assert LedgerTransaction.objects.filter(order=order, kind="payment").count() == 1
    assert OutboxJob.objects.count() == 2


def test_a_payment_interrupted_before_the_charge_frees_the_order(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    attempt = interrupted(order, charged=False)
    assert payments_reconcile(now=later()) == {"failed": 1}
    attempt.refresh_from_db()
    assert attempt.status == "failed" and "No payment was taken" in attempt.message
    assert not LedgerTransaction.objects.filter(order=order).exists()
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)  # payable again
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_reconciled_failure_lets_the_order_expire_and_release_its_stock(scarf, buyer_be):
    order = place(buyer_be, (scarf, 2))
    interrupted(order, charged=False)
    past_window = order.expires_at + timedelta(seconds=1)
    assert orders_expire_due(now=past_window) == 0  # a payment is in flight
    payments_reconcile(now=later())
    assert orders_expire_due(now=past_window) == 1
    assert Listing.objects.get(pk=scarf.pk).stock == 5


def test_an_unreachable_gateway_leaves_the_attempt_for_the_next_round(scarf, buyer_be, monkeypatch):
    order = place(buyer_be, (scarf, 1))
    interrupted(order, charged=True)

    def down(self, reference):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(SandboxGateway, "lookup", down)
    assert payments_reconcile(now=later()) == {"unreachable": 1}
    monkeypatch.undo()
    assert payments_reconcile(now=later()) == {"succeeded": 1}


@pytest.mark.django_db(transaction=True)
def test_the_request_and_the_reconciler_finishing_at_once_complete_it_once(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    attempt = interrupted(order, charged=True)
    result = SandboxGateway().lookup(attempt.charge_reference)
    barrier = threading.Barrier(2)
    finished: list[bool] = []

    def finish(run) -> None:
        try:
            barrier.wait()
            finished.append(run())
        finally:
            connection.close()

    def request_path() -> bool:
        return _attempt_finish(attempt=attempt, result=result, actor=None)

    def reconciler() -> bool:
        return payment_reconcile(attempt=attempt) == "succeeded"

    threads = [threading.Thread(target=finish, args=(run,)) for run in (request_path, reconciler)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(finished) == [False, True]
    assert LedgerTransaction.objects.filter(order=order, kind="payment").count() == 1
    assert OutboxJob.objects.filter(task="logistics.route_shipment").count() == 1


def test_paying_after_the_window_expires_the_order_then_and_charges_nothing(scarf, buyer_be):
    order = place(buyer_be, (scarf, 2))
    type(order).objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    order.refresh_from_db()
    with pytest.raises(InvalidTransition, match="not paid in time"):
        order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert Listing.objects.get(pk=scarf.pk).stock == 5
    assert not SandboxCharge.objects.exists() and not PaymentAttempt.objects.exists()


def test_payment_windows_run_on_wall_clock_time_whatever_the_simulation_clock(scarf, buyer_be, settings):
    """The demo's fast clock (600×, days ahead) never expires an order a buyer just placed."""
    from logistics.clock import simulation_clock_set

    settings.EWTP_SIM_SPEED = 600
    simulation_clock_set(simulated_at=timezone.now() + timedelta(days=30))
    order = place(buyer_be, (scarf, 1))
    assert order.expires_at - timezone.now() > timedelta(minutes=settings.EWTP_ORDER_PAYMENT_MINUTES - 1)
    assert orders_expire_due() == 0
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)


def test_expiry_is_not_starved_by_orders_with_a_payment_in_flight(scarf, buyer_be):
    """Expiry took the first 200 due orders and skipped those with a pending payment: 200 stuck
    orders stopped it for good."""
    Listing.objects.filter(pk=scarf.pk).update(stock=300)
    stuck = [place(buyer_be, (scarf, 1)) for _ in range(201)]
    for order in stuck:
        interrupted(order, charged=True)
    normal = place(buyer_be, (scarf, 1))
    orders = type(normal).objects
    orders.filter(pk__in=[o.pk for o in stuck]).update(expires_at=timezone.now() - timedelta(minutes=2))
    orders.filter(pk=normal.pk).update(expires_at=timezone.now() - timedelta(minutes=1))  # due after them
    assert orders_expire_due() == 1
    normal.refresh_from_db()
    assert normal.status == OrderStatus.EXPIRED


def test_operators_reconcile_a_stuck_payment_now_from_the_admin(client, scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    interrupted(order, charged=True)
    client.force_login(UserFactory(username="op", role="operator", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:marketplace_order_changelist"),
        {"action": "reconcile_payments", "_selected_action": [order.pk]},
        follow=True,
    )
    assert f"{order.number}: the charge went through; the order is paid." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

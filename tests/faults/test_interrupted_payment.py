"""A gunicorn worker SIGKILLed in the middle of a payment (as a gunicorn timeout would): between the
charge and its record, or before the charge. The order is never stranded: the reconciler asks the
gateway and completes the payment exactly once, or frees the order to be paid again."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ewtp.models import OutboxJob
from marketplace.models import LedgerTransaction, OrderStatus, PaymentAttempt, SandboxCharge
from marketplace.services.payments import payments_reconcile, reconcile_after
from tests.checkout.helpers import CARD_OK
from tests.checkout.test_lifecycle import place
from tests.faults.conftest import admin_session, running_gunicorn, wait_until, waiting_on_a_lock

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def pay_in_background(server, token: str, order_id: int) -> threading.Thread:
    """POST the payment from another thread: it is going to be cut off."""

    def pay() -> None:
        with server.client(token) as client, contextlib.suppress(httpx.HTTPError):  # the worker dies under it
            client.post(f"/api/v1/orders/{order_id}/pay/", json={"card_number": CARD_OK})

    thread = threading.Thread(target=pay)
    thread.start()
    return thread


def after_the_reconcile_delay():
    return timezone.now() + reconcile_after() + timedelta(seconds=1)


def test_a_worker_killed_between_the_charge_and_its_record(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    token = Token.objects.create(user=buyer_be).key
    with running_gunicorn() as server, admin_session() as operator:
        # The order's consignments are locked (as in psql): the payment charges, then waits.
        operator.execute("SELECT id FROM marketplace_consignment WHERE order_id = %s FOR UPDATE", [order.pk])
        request = pay_in_background(server, token, order.pk)
        wait_until(lambda: SandboxCharge.objects.exists() and waiting_on_a_lock())
        os.kill(server.worker(), signal.SIGKILL)  # the request dies between the charge and its record
        request.join(60)
        operator.rollback()

        attempt = PaymentAttempt.objects.get(order=order)
        assert attempt.status == "pending"
        assert SandboxCharge.objects.get(reference=f"pa_{attempt.pk}").succeeded  # the money was taken
        order.refresh_from_db()
        assert order.status == OrderStatus.PENDING_PAYMENT
        with server.client(token) as client:  # stuck, until reconciled
            again = client.post(f"/api/v1/orders/{order.pk}/pay/", json={"card_number": CARD_OK})
            assert again.status_code == 409 and "already being paid" in again.json()["detail"]
            assert client.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 409

        assert payments_reconcile(now=after_the_reconcile_delay()) == {"succeeded": 1}
        assert payments_reconcile(now=after_the_reconcile_delay()) == {}  # once
        with server.client(token) as client:
            shown = client.get(f"/api/v1/orders/{order.pk}/").json()
    assert shown["status"] == "paid"
    assert LedgerTransaction.objects.filter(order=order, kind="payment").count() == 1
    assert sorted(OutboxJob.objects.values_list("task", flat=True)) == [
        "logistics.route_shipment",
        "marketplace.send_order_email",
    ]


def test_a_worker_killed_before_the_charge_frees_the_order(scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    token = Token.objects.create(user=buyer_be).key
    with running_gunicorn() as server, admin_session() as operator:
        # The gateway's books are locked: the attempt is recorded, the charge waits.
        operator.execute("LOCK TABLE marketplace_sandboxcharge IN ACCESS EXCLUSIVE MODE")
        request = pay_in_background(server, token, order.pk)
        wait_until(lambda: PaymentAttempt.objects.exists() and waiting_on_a_lock())
        os.kill(server.worker(), signal.SIGKILL)
        request.join(60)
        operator.rollback()

        assert PaymentAttempt.objects.get(order=order).status == "pending"
        assert not SandboxCharge.objects.exists()
        assert payments_reconcile(now=after_the_reconcile_delay()) == {"failed": 1}
        with server.client(token) as client:
            paid = client.post(f"/api/v1/orders/{order.pk}/pay/", json={"card_number": CARD_OK})
    assert paid.status_code == 200, paid.text
    statuses = PaymentAttempt.objects.filter(order=order).order_by("pk").values_list("status", flat=True)
    assert list(statuses) == ["failed", "succeeded"]
    assert LedgerTransaction.objects.filter(order=order, kind="payment").count() == 1

"""A Celery worker SIGKILLed in the middle of a payout: after the gateway sent the money and before
the payout was recorded as paid. The payout stays pending, the sweeper finds the transfer under the
payout's reference and records it: the seller is paid once, and the ledger balances."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import LedgerKind, Payout, PayoutStatus, SandboxPayoutTransfer
from marketplace.selectors.ledger import ledger_totals_by_currency
from marketplace.selectors.payouts import shop_balance
from marketplace.services.payout_methods import payout_method_add
from marketplace.services.payouts import payout_request, payout_send, payouts_sweep, retry_after
from tests.celery_worker import running_relay, running_worker
from tests.checkout.test_payouts import ALIPAY, delivered
from tests.faults.conftest import admin_session, wait_until, waiting_on_a_lock

pytestmark = [pytest.mark.faults, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_between_the_transfer_and_its_record_pays_once(scarf, buyer_be):
    delivered(buyer_be, (scarf, 2))
    shop = scarf.shop
    payout_method_add(shop=shop, data={"kind": "mobile_money", "phone": ALIPAY})
    available = shop_balance(shop).available
    with running_worker(relay=False) as worker:  # up and answering before any job reaches it
        payout = payout_request(shop=shop)  # committed, its job in the outbox: no relay publishes it yet
        with admin_session() as operator:
            # The shop's row is locked (as in psql): the worker sends the money, then waits to record it.
            operator.execute("SELECT id FROM marketplace_shop WHERE id = %s FOR UPDATE", [shop.pk])
            with running_relay():
                wait_until(lambda: SandboxPayoutTransfer.objects.exists() and waiting_on_a_lock(), timeout=90)
                os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool die mid-payout
                worker.wait(timeout=30)
            operator.rollback()

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PENDING  # nothing recorded …
    assert SandboxPayoutTransfer.objects.get(reference=payout.reference).succeeded  # … but the money went

    later = timezone.now() + retry_after() + timedelta(seconds=1)
    assert payouts_sweep(now=later) == {"finished": 1, "unavailable": 0}
    assert payout_send(payout_id=payout.pk) is None  # the redelivered job, whenever it comes: nothing
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID
    assert SandboxPayoutTransfer.objects.count() == 1  # sent once
    assert list(payout.ledger_transactions.values_list("kind", flat=True)) == [
        LedgerKind.PAYOUT,
        LedgerKind.PAYOUT_PAID,
    ]
    balance = shop_balance(shop)
    assert balance.paid_out == available and balance.available.amount == 0 and balance.in_transit.amount == 0
    assert all(total == 0 for total in ledger_totals_by_currency().values())
    assert Payout.objects.count() == 1

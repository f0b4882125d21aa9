"""A gunicorn worker SIGKILLed while it places an order (waiting for the listing's row lock, as
under a rush): its transaction — the key's claim, the stock, the order — is rolled back by the
database, so nothing is written and no stock taken; a retry with the same Idempotency-Key places
exactly one order, and a replay shows it."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import httpx
import pytest
from rest_framework.authtoken.models import Token

from marketplace.models import IdempotencyKey, Listing, Order
from tests.checkout.helpers import order_body
from tests.faults.conftest import admin_session, running_gunicorn, wait_until, waiting_on_a_lock

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

KEY = "order-retry-0001"


def test_a_worker_killed_mid_order_writes_nothing_and_one_retry_places_it_once(scarf, buyer_be):
    token = Token.objects.create(user=buyer_be).key
    body = order_body((scarf, 2))
    headers = {"Idempotency-Key": KEY}
    with running_gunicorn() as server, admin_session() as rush:
        rush.execute("SELECT id FROM marketplace_listing WHERE id = %s FOR UPDATE", [scarf.pk])

        def place() -> None:
            with server.client(token) as client, contextlib.suppress(httpx.HTTPError):
                client.post("/api/v1/orders/", json=body, headers=headers)

        request = threading.Thread(target=place)
        request.start()
        wait_until(waiting_on_a_lock)  # mid-order, holding its claim on the key
        os.kill(server.worker(), signal.SIGKILL)
        request.join(60)
        rush.rollback()

        wait_until(lambda: not waiting_on_a_lock())  # the dead request's transaction ended
        assert not Order.objects.exists() and not IdempotencyKey.objects.exists()
        assert Listing.objects.get(pk=scarf.pk).stock == 5
        with server.client(token) as client:
            placed = client.post("/api/v1/orders/", json=body, headers=headers)
            replayed = client.post("/api/v1/orders/", json=body, headers=headers)
    assert placed.status_code == 201, placed.text
    assert "Idempotent-Replayed" not in placed.headers
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["id"] == placed.json()["id"]
    assert Order.objects.count() == 1
    assert Listing.objects.get(pk=scarf.pk).stock == 3

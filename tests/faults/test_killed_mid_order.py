"""A gunicorn worker SIGKILLed while it places an order (waiting for the listing's row lock, as
under a rush). What it was doing is either finished by the database (the order and the answer to its
Idempotency-Key commit together) or rolled back (nothing written, no stock taken, the key's claim
held while it may still be alive, then taken over): either way a retry with the key ends with
exactly one order and the stock taken once."""

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

from marketplace.models import IdempotencyKey, Listing, Order
from marketplace.services.idempotency import CLAIM_TIMEOUT
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

        wait_until(lambda: not waiting_on_a_lock())  # the dead request's statement ended, one way or other
        with server.client(token) as client:
            if Order.objects.exists():  # finished: the order and its key's answer committed together
                placed = client.post("/api/v1/orders/", json=body, headers=headers)
                assert placed.headers["Idempotent-Replayed"] == "true"
            else:  # rolled back: nothing taken, the claim held until it is clearly dead
                assert Listing.objects.get(pk=scarf.pk).stock == 5
                held = client.post("/api/v1/orders/", json=body, headers=headers)
                assert held.status_code == 409 and held.json()["code"] == "idempotency_key_in_use"
                long_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
                IdempotencyKey.objects.filter(key=KEY).update(created_at=long_ago)
                placed = client.post("/api/v1/orders/", json=body, headers=headers)
            replayed = client.post("/api/v1/orders/", json=body, headers=headers)
    assert placed.status_code == 201, placed.text
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["id"] == placed.json()["id"]
    assert Order.objects.count() == 1
    assert Listing.objects.get(pk=scarf.pk).stock == 3

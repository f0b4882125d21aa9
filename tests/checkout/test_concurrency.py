"""Concurrency against the real Postgres: stock never oversells, a retried request never double-orders."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from marketplace.models import Listing, Order
from tests.checkout.helpers import order_body
from tests.marketplace.api_helpers import auth
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(count: int, work) -> list:
    barrier = threading.Barrier(count)

    def run(index: int):
        try:
            barrier.wait(timeout=30)
            return work(index)
        finally:
            connections.close_all()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_buyers_racing_for_the_last_five_units_get_exactly_five_orders(scarf):
    """Guards the placing statement's row locks and stock check (and the stock >= 0 constraint
    behind them)."""
    buyers = [UserFactory(username=f"racer{n}", country="BE") for n in range(20)]

    def order(index: int) -> int:
        client = auth(APIClient(), buyers[index])
        return client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").status_code

    codes = _in_threads(20, order)
    assert sorted(codes) == [201] * 5 + [409] * 15
    assert Order.objects.count() == 5
    assert Listing.objects.get(pk=scarf.pk).stock == 0


def test_the_same_idempotency_key_sent_ten_times_at_once_places_one_order(scarf, buyer_be):
    """Guards the key claimed first in the placing transaction (`order_place_once`): the twins wait
    for the first and replay its order — every one answers 201 with that order."""

    def order(_index: int) -> tuple[int, int | None]:
        client = auth(APIClient(), buyer_be)
        response = client.post(
            "/api/v1/orders/", order_body((scarf, 1)), format="json", HTTP_IDEMPOTENCY_KEY="same-key-for-all"
        )
        return response.status_code, response.json().get("id")

    results = _in_threads(10, order)
    created = {order_id for code, order_id in results if code == 201}
    assert len(created) == 1
    assert {code for code, _ in results} == {201}
    assert Order.objects.count() == 1
    assert Listing.objects.get(pk=scarf.pk).stock == 4


def test_stock_cannot_go_below_zero_even_by_a_raw_update(scarf):
    """The database refuses what the code would never do."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.filter(pk=scarf.pk).update(stock=-1)
    assert connection.is_usable()

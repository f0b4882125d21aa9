"""Shipment tests: paid orders on the real network (the checkout fixtures), their own Redis queue."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings

from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import CARD_OK, ship_to


def pay(buyer, *items, country: str = "BE", preference: str = "cheapest"):
    order = order_place(
        buyer=buyer,
        items=[CheckoutItem(listing=listing, quantity=quantity) for listing, quantity in items],
        ship_to=ShipTo(**ship_to(country)),
        currency="EUR",
        preference=preference,
    )
    order_pay(order=order, card_number=CARD_OK, actor=buyer)
    order.refresh_from_db()
    return order


def routing_queue_length() -> int:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen("routing")


@pytest.fixture
def empty_routing_queue():
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("routing", "default")
    yield broker
    broker.delete("routing", "default")

"""Checkout tests run on the real network, the reference exchange rates and import rules."""

from decimal import Decimal

import pytest

from logistics.demo.network import seed_network
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from tests.marketplace.factories import ListingFactory, ShopFactory, UserFactory

CARD_OK = "4242 4242 4242 4242"
CARD_DECLINED = "4000 0000 0000 0002"


@pytest.fixture
def trade_data(db):
    """The e-hub network, exchange rates and import rules, seeded as `seed_demo` seeds them."""
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()


@pytest.fixture
def shop_cn(trade_data):
    return ShopFactory(
        name="Hangzhou Silk", slug="hangzhou-silk", country="CN", currency="CNY", owner__country="CN"
    )


@pytest.fixture
def shop_my(trade_data):
    return ShopFactory(name="Batik KL", slug="batik-kl", country="MY", currency="MYR", owner__country="MY")


@pytest.fixture
def scarf(shop_cn):
    return ListingFactory(
        shop=shop_cn, title="Silk scarf", price_amount=Decimal("150.00"), stock=5, weight_kg=Decimal("0.2")
    )


@pytest.fixture
def batik(shop_my):
    return ListingFactory(
        shop=shop_my, title="Batik shirt", price_amount=Decimal("80.00"), stock=10, weight_kg=Decimal("0.3")
    )


@pytest.fixture
def buyer_be(db):
    return UserFactory(username="lotte", country="BE", email="lotte@example.org")


@pytest.fixture
def other_buyer(db):
    return UserFactory(username="juma", country="KE", email="juma@example.org")


def ship_to(country: str = "BE") -> dict:
    return {
        "name": "Lotte Peeters",
        "line1": "Rue Léopold 1",
        "city": "Liège",
        "postal_code": "4000",
        "country": country,
        "phone": "+32 4 123 45 67",
    }


def order_body(*items, country: str = "BE", currency: str = "EUR", preference: str = "cheapest") -> dict:
    return {
        "items": [{"product": listing.pk, "quantity": quantity} for listing, quantity in items],
        "ship_to": ship_to(country),
        "currency": currency,
        "preference": preference,
    }

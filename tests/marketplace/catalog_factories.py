"""factory_boy factories and fixtures for the catalog tests (issue 3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
import pytest

from marketplace import ports
from marketplace.models import ExchangeRate
from tests.marketplace import factories as base

# Round numbers so expected conversions can be worked out by hand.
TEST_RATES = {"USD": "1", "KES": "130", "RWF": "1400", "MYR": "4", "EUR": "0.8", "CNY": "7"}


class UserFactory(base.UserFactory):
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")


class ShopFactory(base.ShopFactory):
    owner = factory.SubFactory(base.SellerFactory, country="MY")
    country = "MY"


CategoryFactory = base.CategoryFactory


class ListingFactory(base.ListingFactory):
    """The catalog tests' listings: plain titles, no description, round prices."""

    title = factory.Sequence(lambda n: f"Item {n}")
    description = ""
    category = factory.SubFactory(CategoryFactory)
    price_amount = Decimal("10.00")
    stock = 5
    weight_kg = Decimal("0.500")


def make_rates(rates: dict[str, str] = TEST_RATES, valid_from: date = date(2025, 1, 1)) -> None:
    for currency, units in rates.items():
        ExchangeRate.objects.create(
            currency=currency, units_per_usd=Decimal(units), valid_from=valid_from, source="test"
        )


class FakeShipping:
    """Stands in for the logistics app behind `marketplace.ports` (its published interface)."""

    def __init__(self, routes: dict[str, set[str]], estimate: ports.ShippingQuote | None = None):
        self.routes = routes
        self._estimate = estimate

    def served_countries(self) -> frozenset[str]:
        return frozenset(self.routes)

    def origin_countries_shipping_to(self, destination_country: str) -> frozenset[str]:
        return frozenset(self.routes.get(destination_country, set()))

    def quote(
        self, *, origin_country, destination_country, weight_kg, dimensions_cm=None, preference="cheapest"
    ):
        if origin_country not in self.routes.get(destination_country, set()):
            return None
        return self._estimate


@pytest.fixture
def rates(db):
    make_rates()


def use_shipping(provider: FakeShipping) -> FakeShipping:
    """Register a fake provider for this test; `_no_shipping_provider` restores the previous one."""
    ports.register_shipping(provider)
    return provider


@pytest.fixture(autouse=True)
def _no_shipping_provider():
    """Catalog tests start without logistics wired in, whatever other apps registered."""
    previous = ports.shipping()
    ports.register_shipping(None)
    yield
    ports.register_shipping(previous)

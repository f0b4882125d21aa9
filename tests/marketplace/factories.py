"""factory_boy factories of the marketplace, and the catalog tests' round rates and shipping stand-in."""

from datetime import date
from decimal import Decimal

import factory

from ewtp import versions
from marketplace import ports
from marketplace.models import Category, ExchangeRate, Listing, Role, Shop, User

PASSWORD = "s3cret-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.BUYER
    country = "KE"
    password = factory.django.Password(PASSWORD)


class SellerFactory(UserFactory):
    role = Role.SELLER
    country = "MY"


class CatalogRowFactory(factory.django.DjangoModelFactory):
    """Writes rows directly, standing in for the services: moves the versions they would move
    (at once — a test's transaction never commits)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        versions.bump(versions.CATALOG, versions.STOCK)
        return instance


class ShopFactory(CatalogRowFactory):
    class Meta:
        model = Shop

    owner = factory.SubFactory(SellerFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    country = factory.LazyAttribute(lambda s: s.owner.country)
    currency = "MYR"


class CategoryFactory(CatalogRowFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())


class ListingFactory(CatalogRowFactory):
    class Meta:
        model = Listing

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        listing = model_class(*args, **kwargs)
        listing.fold_search_fields()  # as the listing services do before they save
        listing.save()
        versions.bump(versions.CATALOG, versions.STOCK)
        return listing

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"Batik shirt {n}")
    description = "Hand-drawn batik, cotton."
    category = factory.SubFactory(CategoryFactory, slug="textiles", name="Textiles")
    price_amount = Decimal("45.00")
    currency = factory.LazyAttribute(lambda item: item.shop.currency)
    stock = 10
    weight_kg = Decimal("0.300")
    hs_code = "610910"
    origin_country = factory.LazyAttribute(lambda item: item.shop.country)


# --- The catalog tests: round rates and plain listings, a stand-in for logistics ---

# Round numbers so expected conversions can be worked out by hand.
TEST_RATES = {"USD": "1", "KES": "130", "RWF": "1400", "MYR": "4", "EUR": "0.8", "CNY": "7"}


class CatalogUserFactory(UserFactory):
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")


class CatalogShopFactory(ShopFactory):
    owner = factory.SubFactory(SellerFactory, country="MY")
    country = "MY"


class CatalogListingFactory(ListingFactory):
    """The catalog tests' listings: plain titles, no description, round prices."""

    title = factory.Sequence(lambda n: f"Item {n}")
    description = ""
    category = factory.SubFactory(CategoryFactory)
    price_amount = Decimal("10.00")
    stock = 5
    weight_kg = Decimal("0.500")


RATES_FROM = date(2025, 1, 1)


def make_rates(rates: dict[str, str] = TEST_RATES, valid_from: date = RATES_FROM) -> None:
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

    def hub_cities(self) -> tuple[tuple[str, str], ...]:
        return ()

    def quote(
        self, *, origin_country, destination_country, weight_kg, dimensions_cm=None, preference="cheapest"
    ):
        if origin_country not in self.routes.get(destination_country, set()):
            return None
        return self._estimate


def use_shipping(provider: FakeShipping) -> FakeShipping:
    """Register a stand-in provider; the `no_shipping_provider` fixture restores the real one."""
    ports.register_shipping(provider)
    return provider

from decimal import Decimal

import factory

from ewtp import versions
from marketplace.models import Category, Listing, Role, Shop, User

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

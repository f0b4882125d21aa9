import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace import ports
from tests.marketplace.factories import CategoryFactory, ListingFactory, ShopFactory, UserFactory, make_rates


def png_upload(
    name: str = "photo.png", size: tuple[int, int] = (64, 48), fmt: str = "PNG"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    content_type = "image/png" if fmt == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def category(db):
    return CategoryFactory(slug="textiles", name="Textiles")


@pytest.fixture
def shop_a(db):
    return ShopFactory(name="Batik KL", slug="batik-kl", currency="MYR", owner__country="MY")


@pytest.fixture
def shop_b(db):
    return ShopFactory(name="Kigali Weavers", slug="kigali-weavers", currency="RWF", owner__country="RW")


@pytest.fixture
def seller_a(shop_a):
    return shop_a.owner


@pytest.fixture
def seller_b(shop_b):
    return shop_b.owner


@pytest.fixture
def buyer(db):
    return UserFactory(username="amina", country="KE")


@pytest.fixture
def listing_b(shop_b, category):
    return ListingFactory(shop=shop_b, category=category, title="Peace basket", price_amount=12000)


@pytest.fixture
def rates(db):
    """The round test rates (TEST_RATES): conversions can be worked out by hand."""
    make_rates()


@pytest.fixture(autouse=True)
def no_shipping_provider():
    """Marketplace tests start without logistics wired in (`use_shipping` registers a stand-in);
    tests of the two together live in tests/test_catalog_with_network.py and tests/checkout/."""
    previous = ports.shipping()
    ports.register_shipping(None)
    yield
    ports.register_shipping(previous)

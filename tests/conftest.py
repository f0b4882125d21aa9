from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from logistics.demo.network import seed_network
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from tests.marketplace.factories import ListingFactory, ShopFactory, UserFactory


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (its own Redis db, not the broker's)."""
    from django.core.cache import cache

    from marketplace.context_processors import served_countries_forget
    from marketplace.selectors.story import featured_shops_forget

    cache.clear()
    served_countries_forget()
    featured_shops_forget()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A page rendered in another language leaves that language active in the thread (the locale
    middleware does not switch back): each test starts, as a worker does, in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def broker_unreachable():
    """Point this process's Celery app at a closed port: every publish meets a real connection error
    (a worker subprocess keeps the real broker). Kombu caches connections in two pools; both are
    dropped so the next publish connects to the new URL, and again on the way back."""
    from ewtp.celery import app

    real = app.conf.broker_url

    def switch(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    switch("redis://127.0.0.1:1/1")
    try:
        yield lambda: switch(real)  # call it to bring the broker back
    finally:
        switch(real)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


# --- Trade: the real network, exchange rates and import rules, and two shops (checkout, parcels) ---


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

"""The catalog and the real e-hub network together, through `marketplace.ports` as wired at start-up."""

import pytest

from logistics.demo.network import seed_network
from logistics.models import Hub
from logistics.services.network import hub_resume, hub_suspend
from marketplace import ports
from marketplace.demo.rates import seed_exchange_rates
from tests.marketplace.factories import CategoryFactory, ListingFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    seed_exchange_rates(lambda message: None)
    seed_network(lambda message: None)


@pytest.fixture
def silk_scarf(network):
    shop = ShopFactory(currency="CNY", owner__country="CN", country="CN", slug="hangzhou-silk")
    return ListingFactory(shop=shop, title="Silk scarf", category=CategoryFactory(slug="textiles"))


def test_logistics_is_wired_into_the_marketplace_port():
    from logistics.integration.shipping import NetworkShipping

    assert isinstance(ports.shipping(), NetworkShipping)


def test_product_page_shows_delivery_estimate_and_shipping_from_the_network(client, silk_scarf):
    client.force_login(UserFactory(country="RW", display_currency="USD"))
    page = client.get(silk_scarf.get_absolute_url()).content.decode()
    # One price story: the landed cost to Rwanda with its delivery date, or the date alone.
    assert "delivered to Rwanda, duty and tax included" in page or "Delivery to Rwanda by" in page
    assert "Goods and shipping" not in page


def test_ships_to_filter_follows_the_network_and_a_suspended_hub(
    client, silk_scarf, django_capture_on_commit_callbacks
):
    """Guards `hub_set_status`'s network version bump: `ships_to` resolves through the planner."""
    operator = UserFactory(username="op", role="operator", is_staff=True)
    shop_br = ShopFactory(currency="BRL", owner__country="BR", country="BR", slug="sao-paulo")
    ListingFactory(shop=shop_br, title="Havaianas", category=silk_scarf.category)
    page = client.get("/?ships_to=KE").content.decode()
    assert "Silk scarf" in page
    # Kenya is reached from China through Addis Ababa or Dubai; suspend every hub that serves
    # China and nothing Chinese ships to Kenya any more.
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=Hub.objects.get(code="HGH"), actor=operator, reason="typhoon")
        hub_suspend(hub=Hub.objects.get(code="SZX"), actor=operator, reason="typhoon")
    page = client.get("/?ships_to=KE").content.decode()
    assert "Silk scarf" not in page
    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=Hub.objects.get(code="HGH"), actor=operator)
    assert "Silk scarf" in client.get("/?ships_to=KE").content.decode()


def test_one_click_ships_to_my_country(client, silk_scarf):
    shop_br = ShopFactory(currency="BRL", owner__country="BR", country="BR", slug="sao-paulo")
    ListingFactory(shop=shop_br, title="Havaianas", category=silk_scarf.category)
    client.force_login(UserFactory(country="RW"))
    page = client.get("/").content.decode()
    assert "Only goods that ship to my country (Rwanda)" in page
    assert 'href="?ships_to=RW"' in page
    filtered = client.get("/?ships_to=RW").content.decode()
    assert "Silk scarf" in filtered
    assert "Show goods for every destination" in filtered

"""A buyer's whole journey in real Chromium, on a 360 px phone and on a desktop, JavaScript off:
Deliver to Belgium, goods from two shops in the cart, log in (the cart survives), the landed cost
in EUR, a declined sandbox card, then the good one, the confirmation and "My orders"; and the
seller finds the consignment on their home page.

Real Chromium (Debian's, driven by Playwright through `executable_path`), against the live server.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from logistics.demo.network import seed_network
from logistics.services.routing import shipment_route
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from marketplace.models import Order, OrderStatus
from tests.checkout.helpers import CARD_DECLINED, CARD_OK
from tests.marketplace.factories import PASSWORD, ListingFactory, ShopFactory, UserFactory

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goods(transactional_db):
    """The network, rates and import rules as the demo seeds them; a scarf from China, a shirt from
    Malaysia; a buyer in Belgium (the same data as tests/checkout/conftest.py)."""
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    shop_cn = ShopFactory(name="Hangzhou Silk", country="CN", currency="CNY", owner__country="CN")
    shop_my = ShopFactory(name="Batik KL", country="MY", currency="MYR", owner__country="MY")
    scarf = ListingFactory(shop=shop_cn, title="Silk scarf", price_amount=Decimal("150.00"), stock=5)
    batik = ListingFactory(shop=shop_my, title="Batik shirt", price_amount=Decimal("80.00"), stock=10)
    buyer = UserFactory(username="lotte", country="BE")
    return scarf, batik, buyer


def submit(page, selector: str) -> None:
    """Click a button or link that loads the next page and wait for it (no JavaScript here)."""
    with page.expect_navigation():
        page.click(selector)


def fits(page, viewport: dict) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def log_in(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit(page, "main button[type=submit]:has-text('Log in')")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_buyer_in_belgium_orders_from_two_shops_and_pays_in_the_sandbox(
    live_server, browser, screenshots, screen, goods
):
    scarf, batik, buyer_be = goods
    viewport = PHONE if screen == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-MX")
    page = context.new_page()
    url = live_server.url

    # An anonymous visitor whose browser says en-MX: the network does not deliver there, so the page
    # asks where to deliver (a question, never an error on a first visit).
    page.goto(f"{url}/")
    assert "Where should we deliver?" in page.content() and "does not deliver" not in page.content()
    submit(page, ".deliver-to-link")  # the one "Deliver to … · currency" control in the header
    page.check("input[name=country][value=BE]")
    submit(page, "main button[type=submit]")
    assert page.locator(".deliver-to-value").inner_text().startswith("Belgium")
    assert "does not deliver to" not in page.content()
    assert fits(page, viewport)
    # The filters open without JavaScript (a disclosure on a phone, a sidebar on a desktop).
    if screen == "phone":
        assert not page.locator(".filter-panel form").is_visible()
        page.click(".filter-panel > summary")
    assert page.locator(".filter-panel form").is_visible()

    # Goods from two shops, each with its landed-cost estimate in euros.
    page.goto(f"{url}{scarf.get_absolute_url()}")
    assert "Estimated landed cost to Belgium" in page.content() and "€" in page.content()
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-product.png", full_page=True)
    page.fill("#id_quantity", "2")
    submit(page, "button:has-text('Add to cart')")
    page.goto(f"{url}{batik.get_absolute_url()}")
    submit(page, "button:has-text('Add to cart')")
    assert page.url.endswith("/cart/")
    content = page.content()
    assert "Parcel from Hangzhou Silk (China)" in content and "Parcel from Batik KL (Malaysia)" in content
    assert page.locator(".cart-link .badge").inner_text() == "3"
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-cart.png", full_page=True)

    # Checking out asks for a login; the cart survives it.
    submit(page, "a.button:has-text('Check out')")
    assert "/accounts/login/" in page.url
    log_in(page, "lotte")
    assert page.url.endswith("/checkout/")
    content = page.content()
    assert content.count('class="card consignment"') == 2
    assert "Order total" in content and "€" in content and "Rates of" in content
    assert page.locator("#id_country").input_value() == "BE"
    assert page.locator("#id_currency").input_value() == "EUR"
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-checkout.png", full_page=True)
    page.fill("#id_name", "Lotte Peeters")
    page.fill("#id_line1", "Rue Léopold 1")
    page.fill("#id_city", "Liège")
    page.fill("#id_postal_code", "4000")
    page.fill("#id_phone", "+32 4 123 45 67")
    submit(page, "button:has-text('Place order')")
    assert page.url.endswith("/pay/")
    order = Order.objects.get(buyer=buyer_be)
    assert order.currency == "EUR" and order.consignments.count() == 2

    # The sandbox, clearly labelled; a declined card leaves the order unpaid.
    assert "SANDBOX" in page.content() and "4242 4242 4242 4242" in page.content()
    assert fits(page, viewport)
    page.fill("#id_card_number", CARD_DECLINED)
    submit(page, "main button[type=submit]")
    assert page.locator(".errorlist").inner_text() == "Your card was declined. Try another card."
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    page.fill("#id_card_number", CARD_OK)
    submit(page, "main button[type=submit]")
    assert page.url.endswith(f"/orders/{order.number}/confirmation/")
    assert "your order is paid" in page.content()
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-confirmation.png", full_page=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID

    submit(page, "main a:has-text('My orders')")
    assert order.number in page.content() and "Paid" in page.content()
    assert page.locator(".cart-link .badge").inner_text() == "0"
    assert fits(page, viewport)
    submit(page, f"main a:has-text('{order.number}')")
    assert "History" in page.content() and "Duties and taxes paid" in page.content()
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-order.png", full_page=True)
    context.close()

    # The seller of one parcel finds it first thing on their home page, with its drop-off hub once
    # the routing job (run here in-process) has planned the route.
    for consignment in order.consignments.all():
        shipment_route(shipment_id=consignment.shipment.pk)
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/seller/")
    log_in(page, scarf.shop.owner.username)
    assert page.url.endswith("/seller/")
    content = page.content()
    assert "1 parcel to ship" in content and order.number in content and "Silk scarf" in content
    assert "Batik shirt" not in content and "Drop off at: Hangzhou" in content
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"checkout-{screen}-seller.png", full_page=True)
    submit(page, "button:has-text('Mark handed over')")
    assert "Nothing to ship right now." in page.content()
    context.close()

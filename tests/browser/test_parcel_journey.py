"""A parcel's journey in real Chromium, on a phone and on a desktop, JavaScript off: the seller sees
the drop-off hub and hands the parcel over from their page, the buyer's public tracking page shows
it moving through the hubs until "Delivered", and the seller's home shows the released escrow.

The routing job and the simulation's ticks run in-process here (`shipment_route`,
`shipments_advance(now=…)` on a fast simulated clock); tests/logistics/shipments/ runs them on a
real worker.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from logistics.demo.network import seed_network
from logistics.models import Hub, Shipment, ShipmentStatus
from logistics.services.routing import shipment_route
from logistics.services.simulation import shipments_advance
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from marketplace.models import ConsignmentStatus
from marketplace.models.ledger import seller_account
from marketplace.selectors.ledger import account_balance
from marketplace.templatetags.catalog import money
from tests.browser.test_checkout_journey import fits, log_in, submit
from tests.checkout.helpers import released_to_shop
from tests.logistics.shipments.conftest import pay
from tests.marketplace.factories import ListingFactory, ShopFactory, UserFactory

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid_order(transactional_db, settings):
    """A scarf from Hangzhou paid by a buyer in Kenya (a route with a transit hub), routed by the
    routing job as the worker would."""
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0  # the journey's length does not depend on a draw
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    shop = ShopFactory(name="Hangzhou Silk", country="CN", currency="CNY", owner__country="CN")
    scarf = ListingFactory(shop=shop, title="Silk scarf", price_amount=Decimal("150.00"), stock=5)
    buyer = UserFactory(username="wanjiru", country="KE")
    order = pay(buyer, (scarf, 1), country="KE")
    consignment = order.consignments.get()
    assert shipment_route(shipment_id=consignment.shipment.pk) == "routed"
    return order, consignment


def text(page) -> str:
    return page.inner_text("main")


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_seller_hands_over_and_the_buyer_tracks_the_parcel_to_delivered(
    live_server, browser, screenshots, screen, paid_order
):
    order, consignment = paid_order
    viewport = SCREENS[screen]
    url = live_server.url
    shipment = Shipment.objects.get(consignment=consignment)
    legs = list(shipment.legs.select_related("to_hub").order_by("sequence"))
    drop_off = legs[0].to_hub
    transit = [leg.to_hub for leg in legs[1:-1]]  # every hub the parcel passes after the drop-off

    # The seller sees the drop-off hub and the route, and hands the parcel over from the page.
    seller = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-US")
    page = seller.new_page()
    page.goto(f"{url}/accounts/login/?next=/seller/")
    log_in(page, consignment.shop.owner.username)
    assert page.url.endswith("/seller/")
    assert f"Drop off at: {drop_off.city} e-hub ({drop_off.code})" in text(page)
    assert shipment.tracking_number in text(page)
    assert fits(page, viewport)
    submit(page, "button:has-text('Mark handed over')")
    assert "handed over to the courier" in text(page) and shipment.tracking_number in text(page)
    assert "Nothing to ship right now." in text(page)
    page.screenshot(path=screenshots / f"parcel-{screen}-handed-over.png", full_page=True)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT

    # Anyone with the number follows it: no login, the hubs appear as the simulation moves it.
    buyer = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-US")
    tracking = buyer.new_page()
    tracking.goto(f"{url}/track/{shipment.tracking_number}/")
    assert "Picked up" in text(tracking) and "Delivered" not in text(tracking)
    assert fits(tracking, viewport)

    reached: list[str] = []
    now = shipment.handed_over_at
    for _ in range(200):  # two simulated hours a tick
        now += timedelta(hours=2)
        if not shipments_advance(now=now):
            continue
        shipment.refresh_from_db()
        latest = shipment.events.order_by("occurred_at", "id").last()
        tracking.reload()
        shown = text(tracking)
        assert latest.description in shown
        if latest.substatus in ("hub_arrival", "destination_ehub") and latest.location_code not in reached:
            reached.append(latest.location_code)
            hub = Hub.objects.get(code=latest.location_code)
            newest = tracking.locator("li", has_text=latest.description).first.inner_text()
            assert hub.code in newest or hub.city in newest  # the newest event names the hub
        if shipment.status == ShipmentStatus.DELIVERED:
            break
    assert shipment.status == ShipmentStatus.DELIVERED
    assert reached == [drop_off.code, *[hub.code for hub in transit]]  # through every hub, in order
    assert len(reached) >= 3  # Hangzhou, a transit hub, Nairobi
    shown = text(tracking)
    assert "Delivered" in shown
    assert "wanjiru" not in shown and order.ship_to_line1 not in shown and order.ship_to_phone not in shown
    assert fits(tracking, viewport)
    tracking.screenshot(path=screenshots / f"parcel-{screen}-delivered.png", full_page=True)
    buyer.close()

    # Delivery released the escrow once: the goods less the commission, on the seller's home.
    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.DELIVERED
    released = account_balance(seller_account(consignment.shop_id), "CNY")  # the shop's money
    assert released == released_to_shop(consignment) and released.amount > 0
    page.goto(f"{url}/seller/")
    with translation.override("en"):
        amount = money(released)
    assert amount in page.locator(".shop-balance").inner_text()
    assert fits(page, viewport)
    page.screenshot(path=screenshots / f"parcel-{screen}-released.png", full_page=True)
    seller.close()

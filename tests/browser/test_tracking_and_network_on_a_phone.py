"""The public tracking page and the Network page in real Chromium, on a 360 px phone and a 1280 px
desktop: nothing scrolls sideways (the map scales, tables become cards), the route is highlighted
on the map, and the summary a buyer reads at a glance is there.

Real Chromium (Debian's, driven by Playwright through `executable_path`), against the live server.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import redis
from django.conf import settings

from logistics.demo.network import seed_network
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from tests.logistics.shipments.conftest import pay
from tests.marketplace.factories import ListingFactory, ShopFactory, UserFactory

SCREENS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trade(transactional_db):
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    yield
    # pay() published routing jobs on commit (no worker here): leave the broker as we found it.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("routing", "default")


@pytest.fixture
def in_transit(trade, settings):
    """A parcel from Hangzhou to a buyer in Belgium, two days after hand-over."""
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shop = ShopFactory(name="Hangzhou Silk", country="CN", currency="CNY", owner__country="CN")
    scarf = ListingFactory(shop=shop, title="Silk scarf", price_amount=Decimal("150.00"), stock=5)
    buyer = UserFactory(username="lotte", country="BE", email="lotte@example.org")
    order = pay(buyer, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    shipment = shipment_hand_over(consignment=consignment, actor=shop.owner)
    shipments_advance(now=shipment.handed_over_at + timedelta(days=2))
    return order, shipment


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    viewport = SCREENS[request.param]
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.viewport = viewport
    yield page
    context.close()


def fits(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport["width"]


def map_scales(page) -> bool:
    """The map is as wide as its card, not cut off and not wider than the screen."""
    box = page.locator("svg.network-map").bounding_box()
    return box is not None and 0 < box["width"] <= page.viewport["width"] and box["height"] > 0


def highlighted_hubs(page) -> list[str]:
    return sorted(
        page.eval_on_selector_all("svg.network-map g.hub.on-route", "gs => gs.map(g => g.dataset.code)")
    )


def test_tracking_page_fits_the_screen_with_the_route_on_the_map(
    live_server, screen, in_transit, screenshots
):
    order, shipment = in_transit
    screen.goto(f"{live_server.url}/track/{shipment.tracking_number}/")
    assert fits(screen)
    assert map_scales(screen)
    route = [leg.to_hub for leg in shipment.legs.order_by("sequence") if leg.kind != "last_mile"]
    assert highlighted_hubs(screen) == sorted(hub.code for hub in route)
    assert screen.locator("svg.network-map path.lane.on-route").count() == len(route) - 1
    summary = screen.locator(".tracking-summary")
    assert "Arrives" in summary.inner_text() and "In transit" in summary.inner_text()
    assert screen.locator(".route-cities").inner_text() == " → ".join(hub.city for hub in route)
    done = shipment.legs.filter(actual_arrival__isnull=False).count()
    assert screen.locator("progress.leg-progress").get_attribute("value") == str(done)
    # The legs table is a table on a desktop and one card per leg on a phone.
    first_cell = screen.locator("table.route tbody td").first
    label = first_cell.evaluate("td => getComputedStyle(td, '::before').content")
    if screen.viewport["width"] < 600:
        assert label == '"Leg: "' and not screen.locator("table.route thead").is_visible()
    else:
        assert label in ("none", "normal") and screen.locator("table.route thead").is_visible()
    text = screen.content()
    for personal in (order.ship_to_name, order.ship_to_line1, order.ship_to_phone, "lotte@example.org"):
        assert personal not in text
    screen.screenshot(path=str(screenshots / f"tracking-{screen.viewport['width']}.png"), full_page=True)


def test_network_page_quote_card_fits_the_screen_with_the_route_on_the_map(
    live_server, screen, trade, screenshots
):
    screen.goto(f"{live_server.url}/network/")
    assert fits(screen) and map_scales(screen)
    assert highlighted_hubs(screen) == []
    screen.select_option("#id_origin_country", "CN")
    screen.select_option("#id_destination_country", "RW")
    screen.fill("#id_weight_kg", "2")
    screen.select_option("#id_preference", "cheapest")
    with screen.expect_navigation():
        screen.click("form.quote-form button[type=submit]")
    assert fits(screen) and map_scales(screen)
    assert highlighted_hubs(screen) == ["ADD", "KGL", "SZX"]
    best = screen.locator(".route-card").first
    assert best.locator(".route-cities").inner_text() == "Shenzhen → Addis Ababa → Kigali"
    assert "Arrives" in best.inner_text()
    # Legs folded away until asked for.
    legs = best.locator("details.legs table")
    assert not legs.is_visible()
    best.locator("details.legs summary").click()
    assert legs.is_visible()
    assert fits(screen)
    # In a card that narrow (a phone, or a grid column on a desktop) each leg is a small card too.
    first_cell = legs.locator("tbody td").first
    assert first_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Leg: "'
    assert not legs.locator("thead").is_visible()
    screen.screenshot(path=str(screenshots / f"network-{screen.viewport['width']}.png"), full_page=True)

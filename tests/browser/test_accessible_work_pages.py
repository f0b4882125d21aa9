"""Accessibility stays at zero (issue 19) on the pages people work in: the seller's home, the
listing editor and payouts (issue 20), and the operators' hub dashboard — axe-core finds no
serious or critical violation on a 360×740 phone or a desktop."""

from __future__ import annotations

import pytest

from logistics.demo.network import seed_network
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from tests.browser.axe import axe_violations
from tests.marketplace.factories import PASSWORD, ListingFactory, ShopFactory, UserFactory

SCREENS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    shop = ShopFactory(name="Hangzhou Silk", country="CN", currency="CNY", owner__country="CN")
    listing = ListingFactory(shop=shop, title="Silk scarf")
    operator = UserFactory(username="operator-a11y", role="operator", is_staff=True, is_superuser=True)
    return shop.owner, listing, operator


def log_in(page, url: str, username: str, next_url: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_seller_pages_and_the_hub_dashboard_have_no_serious_axe_violation(
    live_server, browser, people, screen
):
    seller, listing, operator = people
    pages = {
        "seller home": "/seller/",
        "listing editor": f"/seller/listings/{listing.pk}/edit/",
        "new listing": "/seller/listings/new/",
        "payouts": "/seller/payouts/",
        "badges": "/seller/badges/",
    }
    context = browser.new_context(viewport=SCREENS[screen], locale="en-GB", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, seller.username, "/seller/")
    found = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.url.endswith(path), (name, page.url)
        found[name] = axe_violations(page)
    context.close()

    context = browser.new_context(viewport=SCREENS[screen], locale="en-GB", bypass_csp=True)
    page = context.new_page()
    dashboard = "/admin/logistics/hub/dashboard/"
    page.goto(f"{live_server.url}/admin/login/?next={dashboard}")
    page.fill("#id_username", operator.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith(dashboard), page.url
    found["hub dashboard"] = axe_violations(page)
    context.close()
    assert {name: issues for name, issues in found.items() if issues} == {}

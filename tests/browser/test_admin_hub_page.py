"""The hub edit page in a real Chromium at 1280×800: it fits the screen (no sideways scrolling) and
"countries served" is a picker the operator filters by typing, not a 250-row list."""

from __future__ import annotations

import pytest

from logistics.demo.network import seed_network
from logistics.models import Hub
from tests.marketplace.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """
() => [...document.querySelectorAll('body *')]
  .map((el) => [el.getBoundingClientRect().right, el.tagName + '#' + el.id + '.' + el.className])
  .filter(([right]) => right > 1280).sort((a, b) => b[0] - a[0]).slice(0, 15)
"""


@pytest.fixture
def operator_page(browser, live_server):
    seed_network(lambda message: None)
    operator = UserFactory(is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", operator.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    yield page
    context.close()


def test_hub_edit_page_fits_1280_pixels(live_server, operator_page, screenshots):
    page = operator_page
    hub = Hub.objects.get(code="KUL")  # the hub with the most lanes
    page.goto(f"{live_server.url}/admin/logistics/hub/{hub.pk}/change/")
    page.wait_for_load_state("load")
    page.screenshot(path=str(screenshots / "admin-hub-change-1280.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, page.evaluate(WIDEST)


def test_hub_countries_served_is_a_picker_filtered_by_typing(live_server, operator_page):
    page = operator_page
    hub = Hub.objects.get(code="NBO")  # serves KE UG TZ SS
    assert "ER" not in [country.code for country in hub.serves_countries]
    page.goto(f"{live_server.url}/admin/logistics/hub/{hub.pk}/change/")
    page.wait_for_selector("#id_serves_countries_input")  # the admin's picker script ran
    available = page.locator("#id_serves_countries_from option")
    assert available.count() > 200
    page.locator("#id_serves_countries_input").press_sequentially("eritr")
    assert page.locator("#id_serves_countries_from option").all_inner_texts() == ["Eritrea"]
    page.select_option("#id_serves_countries_from", label="Eritrea")
    page.click("#id_serves_countries_add")
    assert "Eritrea" in page.locator("#id_serves_countries_to option").all_inner_texts()
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    hub.refresh_from_db()
    assert "ER" in [country.code for country in hub.serves_countries]
    assert "KE" in [country.code for country in hub.serves_countries]  # the others kept


def test_hub_dashboard_fits_1280_pixels_within_the_content_security_policy(
    live_server, operator_page, screenshots
):
    page = operator_page
    violations = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and violations.append(message)
    )
    page.goto(f"{live_server.url}/admin/")
    with page.expect_navigation():
        page.click("text=Hub load dashboard")
    page.wait_for_load_state("load")
    page.screenshot(path=str(screenshots / "admin-hub-dashboard-1280.png"), full_page=True)
    assert page.locator("tr[data-hub]").count() == Hub.objects.count()
    assert page.locator("svg.network-map g.hub.load-unknown, svg.network-map g.hub.load-normal").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, page.evaluate(WIDEST)
    assert violations == []

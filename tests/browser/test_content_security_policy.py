"""The Content-Security-Policy in a real Chromium (Debian's, via Playwright's executable_path):
the home page, a product page and the API docs load with JavaScript on and break no rule."""

from __future__ import annotations

import pytest

from logistics.demo.network import seed_network
from logistics.models import Hub
from tests.marketplace.factories import PASSWORD, ListingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True, locale="en-GB")
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def violations(page) -> list[str]:
    recorded = page.evaluate("window.__cspViolations")
    return recorded + [text for text in page.console_errors if "Content Security Policy" in text]


def test_site_pages_break_no_content_security_policy_rule(live_server, page):
    listing = ListingFactory()
    for path in ("/", listing.get_absolute_url(), "/network/", "/accounts/login/"):
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 200, path
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        page.wait_for_load_state("load")
        assert violations(page) == [], path


def test_api_docs_render_in_chromium_within_their_policy(live_server, page):
    answer = page.goto(f"{live_server.url}/api/docs/")
    assert answer.status == 200
    page.wait_for_selector(".opblock", timeout=20_000)  # Swagger UI ran and drew the operations
    assert page.locator(".opblock").count() > 5
    assert violations(page) == []


def test_admin_pages_break_no_rule_for_an_operator(live_server, page):
    seed_network(lambda message: None)
    operator = UserFactory(is_staff=True, is_superuser=True)
    hub = Hub.objects.get(code="KUL")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", operator.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    for path in (
        "/admin/",
        "/admin/logistics/hub/",
        "/admin/logistics/hub/map/",
        f"/admin/logistics/hub/{hub.pk}/change/",
        "/admin/marketplace/listing/add/",
    ):
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 200, path
        page.wait_for_load_state("load")
        assert violations(page) == [], path

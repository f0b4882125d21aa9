"""Weight (issue 19): on a phone, cold (a new browser, nothing cached), the home page and a product
page cost under 150 KB with everything the first screen loads — HTML, CSS, images — on the demo's
catalogue; the long listing page asks for the images below the first screen only as they come
near (`loading="lazy"`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from marketplace.models import Listing

PHONE = {"width": 360, "height": 740}
BUDGET = 150_000  # bytes over the wire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_catalogue(transactional_db, settings):
    settings.EWTP_SIM_SPEED = 1  # the catalogue only: no parcels in flight
    settings.EWTP_DEMO_ACCOUNTS = True  # the demo shops and their goods
    call_command("seed_demo", stdout=io.StringIO())


def weigh(browser, url: str) -> tuple[int, list[str]]:
    """Bytes transferred (headers and encoded bodies) until the network is idle, and the URLs."""
    context = browser.new_context(
        viewport=PHONE, locale="en-US", extra_http_headers={"Accept-Encoding": "gzip"}
    )
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")  # lazy images in the first screen included
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    urls = [request.url for request in requests]
    context.close()
    return total, urls


def test_home_and_product_pages_weigh_under_150_kb_on_a_phone(live_server, browser, demo_catalogue):
    home, urls = weigh(browser, f"{live_server.url}/")
    assert home < BUDGET, (home, urls)
    images = [url for url in urls if "/media/" in url]
    assert images, ("the first screen shows product pictures", urls)
    assert len(images) < 24, "images below the first screen wait until they come near"  # 24 a page

    listing = Listing.objects.filter(is_active=True, images__isnull=False).order_by("pk").first()
    product, urls = weigh(browser, f"{live_server.url}{listing.get_absolute_url()}")
    assert product < BUDGET, (product, urls)

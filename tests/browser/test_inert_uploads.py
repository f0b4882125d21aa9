"""Issue 8 in a real browser: a seller uploads a GIF named `poly.html` whose comment holds a script;
visiting the stored file's URL must not run it. Before the fix the file was stored as `poly.html`,
served from our own origin as text/html, and Chromium ran the script.

Real Chromium (Debian's, driven by Playwright through `executable_path`; no browser is
downloaded), with JavaScript on, against the live test server."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from PIL import Image

from marketplace.models import Listing
from tests.marketplace.factories import PASSWORD, CategoryFactory, ShopFactory

SCRIPT = b"<script>document.title='pwned';window.pwned=1</script>"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_through_the_site(monkeypatch):
    """The test server would answer `/media/` itself with Django's plain `serve` (its private
    `_MediaFilesHandler`), in front of the URLconf; let the site's own `serve_media` answer, as
    it does in production."""
    from django.test.testcases import _MediaFilesHandler

    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def polyglot_gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10), 3).save(buffer, format="GIF", comment=SCRIPT)
    return buffer.getvalue()


def script_ran(page) -> bool:
    return page.evaluate("window.pwned === 1") or page.title() == "pwned"


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_the_detector_sees_the_script_run_when_the_polyglot_is_a_page(page):
    """Control: the same bytes opened as HTML do run the script, so the checks below can fail."""
    page.set_content(polyglot_gif().decode("latin-1"))
    assert script_ran(page)


def test_a_polyglot_uploaded_by_a_seller_runs_no_script_when_its_url_is_visited(live_server, page, tmp_path):
    CategoryFactory(slug="textiles", name="Textiles")
    shop = ShopFactory(name="Batik KL", currency="MYR", owner__username="siti", owner__country="MY")
    poly = tmp_path / "poly.html"
    poly.write_bytes(polyglot_gif())

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", shop.owner.username)
    page.fill("#id_password", PASSWORD)
    submit(page, "main button[type=submit]:has-text('Log in')")
    page.goto(f"{live_server.url}/seller/listings/new/")
    page.fill("#id_title", "Batik silk scarf")
    page.select_option("#id_category", label="Textiles")
    page.fill("#id_price_amount", "45.9")
    page.fill("#id_stock", "12")
    page.fill("#id_weight_kg", "0.2")
    page.fill("#id_hs_code", "621410")
    page.set_input_files("#id_images", str(poly))
    submit(page, "button[type=submit]:has-text('Save')")
    assert page.url.endswith("/seller/listings/"), page.content()[:2000]

    image = Listing.objects.get(title="Batik silk scarf").images.get()
    for url in (image.image.url, image.thumbnail.url):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200
        assert not script_ran(page), url
        assert response.headers["content-type"].startswith("image/")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert page.evaluate("document.contentType").startswith("image/")
    assert image.image.name.endswith(".png") and "poly" not in image.image.name


def test_a_legacy_html_file_in_media_runs_no_script(live_server, page):
    """A `poly.html` stored before uploads were renamed is not served at all."""
    folder = settings.MEDIA_ROOT / "listings" / "1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "poly.html").write_bytes(polyglot_gif())
    response = page.goto(f"{live_server.url}/media/listings/1/poly.html")
    assert response.status == 404
    assert not script_ran(page)

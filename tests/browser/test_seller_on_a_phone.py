"""A seller on a narrow phone with JavaScript off: the pages must work as plain HTML forms.

Real Chromium (Debian's, driven by Playwright through `executable_path`; no browser is
downloaded), against the live test server.
"""

from __future__ import annotations

import pytest
from PIL import Image

from marketplace.models import Listing
from tests.marketplace.factories import CategoryFactory

PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def submit(page, selector: str) -> None:
    """Click a button that posts a form and wait for the page it leads to (no JavaScript here)."""
    with page.expect_navigation():
        page.click(selector)


def fits_the_screen(page) -> bool:
    """Nothing wider than the phone: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_seller_signs_up_and_lists_goods_with_a_photo_on_a_phone_without_javascript(
    live_server, phone, tmp_path
):
    CategoryFactory(slug="textiles", name="Textiles")
    photo = tmp_path / "scarf.jpg"
    Image.new("RGB", (800, 600), (122, 46, 88)).save(photo, format="JPEG")

    phone.goto(f"{live_server.url}/accounts/signup/")
    assert fits_the_screen(phone)
    phone.fill("#id_username", "siti")
    phone.fill("#id_email", "siti@example.org")
    phone.fill("#id_password1", "a-long-pass-2026")
    phone.fill("#id_password2", "a-long-pass-2026")
    phone.check("input[name=role][value=seller]")
    phone.select_option("#id_country", "MY")
    phone.fill("#id_shop_name", "Siti Batik")
    phone.select_option("#id_currency", "MYR")
    submit(phone, "button[type=submit]:has-text('Sign up')")

    assert phone.url.endswith("/seller/listings/")
    assert "You have not listed anything yet." in phone.content()
    assert fits_the_screen(phone)

    submit(phone, "text=List new goods")
    assert fits_the_screen(phone)
    phone.fill("#id_title", "Batik silk scarf")
    phone.fill("#id_description", "Hand-drawn batik on silk.")
    phone.select_option("#id_category", label="Textiles")
    phone.fill("#id_price_amount", "45.9")
    phone.fill("#id_stock", "12")
    phone.fill("#id_weight_kg", "0.2")
    phone.fill("#id_hs_code", "621410")
    phone.set_input_files("#id_images", str(photo))
    submit(phone, "button[type=submit]:has-text('Save')")

    assert phone.url.endswith("/seller/listings/")
    assert "“Batik silk scarf” is listed." in phone.content()
    assert fits_the_screen(phone)
    listing = Listing.objects.get(title="Batik silk scarf")
    assert listing.currency == "MYR" and listing.images.count() == 1

    # A bad price comes back as a form error next to the field, nothing written.
    submit(phone, "text=List new goods")
    phone.fill("#id_title", "Kaftan")
    phone.select_option("#id_category", label="Textiles")
    phone.fill("#id_price_amount", "-3")
    phone.fill("#id_stock", "1")
    phone.fill("#id_weight_kg", "0.2")
    phone.fill("#id_hs_code", "621410")
    submit(phone, "button[type=submit]:has-text('Save')")
    assert phone.locator(".errorlist").first.is_visible()
    assert not Listing.objects.filter(title="Kaftan").exists()

    # The public catalog shows it to buyers, thumbnail and all, on the same small screen.
    phone.goto(f"{live_server.url}/?search=batik")
    assert "Batik silk scarf" in phone.content()
    assert phone.locator("img.thumb").first.is_visible()
    assert fits_the_screen(phone)


def test_catalog_network_and_product_pages_fit_a_phone(live_server, phone):
    from tests.marketplace.factories import ListingFactory

    listing = ListingFactory(title="Kiondo basket")
    for path in ("/", "/network/", listing.get_absolute_url(), "/accounts/login/"):
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert fits_the_screen(phone), path

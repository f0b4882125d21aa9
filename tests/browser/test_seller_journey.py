"""A new seller in Hangzhou, on a phone, in real Chromium with JavaScript off (issue 20): signs up
as a seller (the shop's currency preset from the country), finds the HS code with the helper,
lists a scarf with a photo, hands the paid parcel over, sees the released money in yuan and has it
paid out to an Alipay wallet through the sandbox.

The buyer's order, the routing job, the delivery and the payout job run in-process (the services
the workers call); tests/faults/test_killed_payout.py runs the payout on a real worker.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from PIL import Image

from logistics.demo.network import seed_network
from logistics.services.routing import shipment_route
from marketplace.demo.customs import seed_customs
from marketplace.demo.rates import seed_exchange_rates
from marketplace.models import Listing, Payout, PayoutStatus, Shop
from marketplace.selectors.ledger import ledger_totals_by_currency
from marketplace.selectors.payouts import shop_balance
from marketplace.services.fulfilment import consignment_mark_delivered
from marketplace.services.payouts import payout_send
from marketplace.templatetags.catalog import money
from tests.browser.test_checkout_journey import fits, submit
from tests.logistics.shipments.conftest import pay
from tests.marketplace.factories import CategoryFactory, UserFactory

PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trade(transactional_db, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    seed_network(lambda _m: None)
    seed_exchange_rates()
    seed_customs()
    return CategoryFactory(slug="textiles", name="Textiles")


def photo(tmp_path) -> str:
    path = tmp_path / "scarf.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 30, 60)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def main_text(page) -> str:
    return page.inner_text("main")


def test_a_seller_signs_up_lists_hands_over_and_is_paid_to_a_wallet_on_a_phone(
    live_server, browser, screenshots, trade, tmp_path
):
    url = live_server.url
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-US")
    page = context.new_page()

    # Sign up: seller first, then the shop; the currency follows the country.
    page.goto(f"{url}/accounts/signup/")
    page.check("input[name=role][value=seller]")
    page.fill("#id_username", "meili")
    page.fill("#id_email", "meili@example.cn")
    page.select_option("#id_country", "CN")
    page.fill("#id_password1", "Silk-road-2026!")
    page.fill("#id_password2", "Silk-road-2026!")
    page.fill("#id_shop_name", "Meili Silk Studio")
    assert fits(page, PHONE)
    submit(page, "main button[type=submit]")
    shop = Shop.objects.get(owner__username="meili")
    assert shop.currency == "CNY" and str(shop.country) == "CN"
    page.screenshot(path=screenshots / "seller-1-signed-up.png", full_page=True)

    # The HS-code helper: words in, a subheading out, straight into a new listing.
    page.goto(f"{url}/seller/hs-codes/?q=silk+scarf")
    assert "6214" in main_text(page)
    submit(page, "a:has-text('Use this code')")
    hs_code = page.input_value("#id_hs_code")
    assert re.fullmatch(r"6214\d\d", hs_code), hs_code
    page.fill("#id_title", "Hand-rolled silk scarf")
    page.fill("#id_description", "Mulberry silk, hand-rolled edges, dyed in Hangzhou.")
    page.select_option("#id_category", str(trade.pk))
    page.fill("#id_price_amount", "150")
    page.fill("#id_stock", "5")
    page.fill("#id_weight_kg", "0.2")
    page.fill("#id_length_cm", "30")
    page.fill("#id_width_cm", "20")
    page.fill("#id_height_cm", "3")
    page.set_input_files("#id_images", photo(tmp_path))
    page.check("#id_is_active")
    assert fits(page, PHONE)
    submit(page, "main form button[type=submit]:has-text('Save')")
    listing = Listing.objects.get(title="Hand-rolled silk scarf")
    assert listing.is_active and listing.images.count() == 1 and listing.hs_code == hs_code
    page.screenshot(path=screenshots / "seller-2-listed.png", full_page=True)

    # A buyer in Kenya orders and pays; the routing job plans the route; the seller hands it over.
    buyer = UserFactory(username="wanjiru", country="KE")
    order = pay(buyer, (listing, 2), country="KE")
    consignment = order.consignments.get()
    assert shipment_route(shipment_id=consignment.shipment.pk) == "routed"
    page.goto(f"{url}/seller/")
    assert "1 parcel to ship" in main_text(page) and "Hand over by" in main_text(page)
    assert fits(page, PHONE)
    page.screenshot(path=screenshots / "seller-3-to-hand-over.png", full_page=True)
    submit(page, "button:has-text('Mark handed over')")
    assert "Nothing to ship right now." in main_text(page)

    # Delivered: the escrow is released to the seller in yuan, at the rate recorded.
    consignment.refresh_from_db()
    consignment_mark_delivered(consignment=consignment)
    balance = shop_balance(shop)
    assert balance.currency == "CNY" and balance.available.amount > 0
    page.goto(f"{url}/seller/")
    with translation.override("en"):
        available = money(balance.available)
    assert "Your money in CNY" in main_text(page)
    assert available in page.inner_text(".shop-balance")
    page.screenshot(path=screenshots / "seller-4-balance-in-yuan.png", full_page=True)

    # Paid out to an Alipay wallet: a wrong number first, then the right one, then "Pay me".
    page.goto(f"{url}/seller/payouts/")
    page.check("input[name=method-kind][value=mobile_money]")
    page.fill("#id_method-phone", "12345")
    submit(page, "button:has-text('Save payout method')")
    assert "country code" in main_text(page)
    page.check("input[name=method-kind][value=mobile_money]")
    page.fill("#id_method-phone", "+86 138 0013 8000")
    submit(page, "button:has-text('Save payout method')")
    assert "Alipay" in main_text(page)
    assert fits(page, PHONE)
    submit(page, "button:has-text('Pay me to')")
    assert "is on its way to Alipay" in main_text(page)
    payout = Payout.objects.get()
    assert payout.amount == balance.available.amount and payout.currency == "CNY"
    assert payout_send(payout_id=payout.pk) == PayoutStatus.PAID  # what the worker's job does
    page.reload()
    assert "Paid" in page.inner_text("table")
    page.screenshot(path=screenshots / "seller-5-paid-out.png", full_page=True)
    after = shop_balance(shop)
    assert after.available.amount == 0 and after.paid_out == balance.available
    assert all(total == Decimal(0) for total in ledger_totals_by_currency().values())

    # The statement names the order, what the buyer paid in their currency and the rate.
    submit(page, "a:has-text('Statement')")
    statement = main_text(page)
    assert order.number in statement and "€" in statement  # the buyer paid in euros
    assert re.search(r"\b\d+\.\d{4,}\b", statement)  # the rate the release was changed at
    assert fits(page, PHONE)
    context.close()

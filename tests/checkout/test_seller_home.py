"""The seller's home (issue 20): what to hand over and by when, what is running out, sales this
week and month, and the money — all in the shop's own currency, one route line per parcel."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from logistics.services.routing import shipment_route
from marketplace.models import Consignment
from marketplace.selectors.seller_home import shop_sales
from marketplace.services.payments import order_pay
from tests.checkout.helpers import CARD_OK
from tests.checkout.test_pages import place
from tests.marketplace.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_a_parcel_to_hand_over_says_by_when_and_its_route_once(client, scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    consignment = Consignment.objects.get(order=order)
    shipment_route(shipment_id=consignment.shipment.pk)
    legs = list(consignment.shipment.legs.order_by("sequence"))
    client.force_login(scarf.shop.owner)
    page = client.get("/seller/").content.decode()
    assert "Hand over by" in page
    when = timezone.localtime(legs[0].planned_departure)
    assert when.strftime("%H:%M") in page and str(when.day) in page
    # One route: the planned parcel's cities, not the quote's hub codes beside them.
    assert page.count("Route:") == 1
    assert not re.search(r"\b[A-Z]{3} → [A-Z]{3}\b", page), "the quote's codes next to the planned route"


def test_sales_this_week_and_month_at_the_shops_own_prices(client, scarf, buyer_be):
    order = place(buyer_be, (scarf, 2))  # the buyer pays in euros; the shop priced in yuan
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    unpaid = place(buyer_be, (scarf, 1))  # not paid: not a sale
    assert unpaid.paid_at is None
    sales = shop_sales(scarf.shop)
    assert sales.week.currency == sales.month.currency == "CNY"
    assert sales.week.amount == sales.month.amount == Decimal("300.00")  # 2 × 150 CNY
    assert sales.week_orders == sales.month_orders == 1
    next_month = timezone.now() + timedelta(days=40)
    assert shop_sales(scarf.shop, now=next_month).month.amount == 0
    client.force_login(scarf.shop.owner)
    page = client.get("/seller/").content.decode()
    assert "This week" in page and "CN¥300.00" in page


def test_listings_running_out_are_flagged(client, scarf):
    ListingFactory(shop=scarf.shop, title="Last teapot", stock=1)
    ListingFactory(shop=scarf.shop, title="Sold-out fan", stock=0)
    ListingFactory(shop=scarf.shop, title="Plenty of cups", stock=50)
    client.force_login(scarf.shop.owner)
    page = client.get("/seller/").content.decode()
    assert "Running out" in page and "Last teapot" in page and "1 left" in page
    assert "Sold-out fan" in page and "sold out" in page
    assert "Plenty of cups" not in page


def test_the_money_is_in_the_shops_currency_with_a_way_to_payouts(client, scarf):
    client.force_login(scarf.shop.owner)
    page = client.get("/seller/").content.decode()
    assert "Your money in CNY" in page and "Available to pay out" in page and "/seller/payouts/" in page

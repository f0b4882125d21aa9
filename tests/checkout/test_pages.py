"""The buyer's and the seller's pages of checkout: deliver-to, product buy box, cart, checkout,
payment, my orders, order detail and cancelling, the seller's home and consignments."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.services.routing import shipment_route
from marketplace.models import Cart, CartItem, Consignment, Order, OrderStatus
from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import CARD_DECLINED, CARD_OK, ship_to
from tests.marketplace.factories import PASSWORD, ListingFactory

pytestmark = pytest.mark.django_db


def place(buyer, *items, currency="EUR"):
    return order_place(
        buyer=buyer,
        items=[CheckoutItem(listing=listing, quantity=quantity) for listing, quantity in items],
        ship_to=ShipTo(**ship_to(str(buyer.country) or "BE")),
        currency=currency,
        preference="cheapest",
    )


def count_queries(client, url: str) -> int:
    connection.queries_log.clear()  # seeding the network filled the log: capture from empty
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def checkout_post(client, **overrides) -> dict:
    page = client.get("/checkout/").content.decode()
    data = {
        **ship_to(),
        "preference": "balanced",  # as the page first quoted it
        "currency": "EUR",
        "token": hidden(page, "token"),
        "quoted": hidden(page, "quoted"),
        "action": "place",
    }
    data.update(overrides)
    return data


# --- Deliver to -------------------------------------------------------------------------------------


def test_deliver_to_of_an_anonymous_visitor_is_kept_in_the_session(client, trade_data):
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="es-MX").content.decode()
    # The browser's guess is not served: the page asks where to deliver, it does not scold.
    assert "Where should we deliver?" in page and "does not deliver to" not in page
    assert 'class="deliver-to-link" href="/deliver-to/?next=/cart/"' in page  # one control
    assert 'value="BE"> 🇧🇪 Belgium' in client.get("/deliver-to/").content.decode()  # served ones

    response = client.post("/deliver-to/", {"country": "BE", "next": "/cart/"})
    assert response.status_code == 302 and response["Location"] == "/cart/"
    assert client.session["deliver_to"] == "BE"
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<strong class="deliver-to-value">Belgium · EUR</strong>' in page
    assert "does not deliver to" not in page


def test_one_control_sets_the_country_and_the_currency(client, trade_data):
    response = client.post("/deliver-to/", {"country": "KE", "currency": "KES", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert '<strong class="deliver-to-value">Kenya · KES</strong>' in page
    # A currency alone may change; a made-up one is refused with a message, nothing changes.
    client.post("/deliver-to/", {"currency": "EUR", "next": "/"})
    assert "Kenya · EUR" in client.get("/").content.decode()
    response = client.post("/deliver-to/", {"currency": "XXQ", "next": "/"}, follow=True)
    assert "Choose a currency from the list." in response.content.decode()
    assert "Kenya · EUR" in response.content.decode()


def test_a_chosen_country_the_network_does_not_serve_is_named(client, trade_data):
    client.post("/deliver-to/", {"country": "MX"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "does not deliver to Mexico yet" in page
    assert "Where should we deliver?" not in page


def test_deliver_to_of_a_buyer_is_stored_on_their_profile(client, trade_data, buyer_be):
    client.force_login(buyer_be)
    client.post("/deliver-to/", {"country": "MY", "next": "https://evil.example/"})
    buyer_be.refresh_from_db()
    assert buyer_be.country == "MY"
    assert "deliver_to" not in client.session
    assert client.post("/deliver-to/", {"country": "ZZ"})["Location"] == "/deliver-to/?next="
    buyer_be.refresh_from_db()
    assert buyer_be.country == "MY"


def test_the_catalog_ships_to_filter_follows_an_anonymous_visitors_deliver_to(client, trade_data):
    client.post("/deliver-to/", {"country": "RW"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Only goods that ship to my country (Rwanda)" in page


def test_deliver_to_page_lists_the_served_countries(client, trade_data):
    page = client.get("/deliver-to/").content.decode()
    assert 'name="country" value="BE"' in page and "Countries the e-hub network delivers to" in page
    assert 'value="MX"' not in page


# --- Product page ----------------------------------------------------------------------------------


def test_product_page_has_add_to_cart_and_an_estimated_landed_cost_in_the_buyers_currency(
    client, scarf, buyer_be
):
    client.force_login(buyer_be)
    page = client.get(scarf.get_absolute_url()).content.decode()
    assert "Add to cart" in page
    assert "Estimated landed cost to Belgium" in page
    assert "delivered to Belgium, duty and tax included · delivery by " in page  # a name, not "BE"
    assert "goods + shipping + duty + tax" in page
    assert "€" in page and "Rates of" in page


def test_product_page_explains_when_the_deliver_to_country_is_not_served(client, scarf):
    client.post("/deliver-to/", {"country": "MX"})
    page = client.get(scarf.get_absolute_url()).content.decode()
    assert "The e-hub network does not deliver to Mexico yet." in page


# --- Cart -------------------------------------------------------------------------------------------


def test_cart_groups_lines_by_shop_changes_and_removes_with_clear_stock_messages(client, scarf, batik):
    assert "Your cart is empty." in client.get("/cart/").content.decode()
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "2"})
    client.post(f"/cart/add/{batik.pk}/", {"quantity": "1"})
    page = client.get("/cart/").content.decode()
    assert "Parcel from Hangzhou Silk (China)" in page and "Parcel from Batik KL (Malaysia)" in page
    assert re.search(r'class="cart-link">Cart <span class="badge"[^>]*>3</span>', page)

    response = client.post(f"/cart/items/{scarf.pk}/", {"quantity": "9", "action": "update"}, follow=True)
    assert "Only 5 of “Silk scarf” left." in response.content.decode()
    assert CartItem.objects.get(listing=scarf).quantity == 2

    response = client.post(f"/cart/add/{scarf.pk}/", {"quantity": "4"}, follow=True)
    assert "Only 5 of “Silk scarf” left." in response.content.decode()

    client.post(f"/cart/items/{scarf.pk}/", {"quantity": "3", "action": "update"})
    assert CartItem.objects.get(listing=scarf).quantity == 3
    client.post(f"/cart/items/{scarf.pk}/", {"action": "remove"})
    assert not CartItem.objects.filter(listing=scarf).exists()

    # Stock sold elsewhere after it went in the cart: the line says so and checkout waits.
    batik.stock = 0
    batik.save()
    page = client.get("/cart/").content.decode()
    assert "“Batik shirt” is out of stock: remove it to check out." in page


def test_cart_page_query_count_does_not_grow_with_lines(client, scarf, batik, django_assert_max_num_queries):
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    client.get("/cart/")  # warms the rates cache and consumes the "added" message
    one_line = count_queries(client, "/cart/")
    for _ in range(6):
        client.post(f"/cart/add/{ListingFactory(shop=batik.shop).pk}/", {"quantity": "1"})
        client.post(f"/cart/add/{ListingFactory(shop=scarf.shop).pk}/", {"quantity": "1"})
    client.get("/cart/")  # shows (and so consumes) the "added" messages, a session write
    with django_assert_max_num_queries(one_line):
        page = client.get("/cart/").content.decode()
    assert page.count('<li class="cart-line') == 13


def test_an_anonymous_cart_becomes_the_buyers_on_login_merged_with_theirs(client, scarf, batik, buyer_be):
    theirs = Cart.objects.create(user=buyer_be)
    CartItem.objects.create(cart=theirs, listing=batik, quantity=1)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "2"})
    client.post(f"/cart/add/{batik.pk}/", {"quantity": "1"})
    anonymous_cart = client.session["cart_id"]

    response = client.post("/accounts/login/", {"username": "lotte", "password": PASSWORD})
    assert response.status_code == 302
    items = dict(CartItem.objects.filter(cart__user=buyer_be).values_list("listing__title", "quantity"))
    assert items == {"Silk scarf": 2, "Batik shirt": 2}
    assert not Cart.objects.filter(pk=anonymous_cart).exists()
    assert "cart_id" not in client.session
    assert re.search(r'Cart <span class="badge"[^>]*>4</span>', client.get("/cart/").content.decode())


# --- Checkout --------------------------------------------------------------------------------------


def test_checkout_sends_anonymous_visitors_to_log_in_first(client, scarf):
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    response = client.get("/checkout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/checkout/"


def test_checkout_shows_the_landed_cost_per_consignment_in_the_buyers_currency(
    client, scarf, batik, buyer_be
):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    client.post(f"/cart/add/{batik.pk}/", {"quantity": "2"})
    page = client.get("/checkout/").content.decode()
    assert page.count('class="card consignment"') == 2
    assert "Parcel from Hangzhou Silk (China)" in page and "Parcel from Batik KL (Malaysia)" in page
    for label in ("Goods", "Shipping", "Import duty", "Import tax", "Order total", "delivery by"):
        assert label in page
    assert "€" in page and "Rates of" in page and "1 USD = " in page
    assert '<option value="BE" selected>Belgium</option>' in page  # the deliver-to country
    assert '<option value="EUR" selected>EUR</option>' in page


def test_checkout_refuses_an_unserved_country_with_a_form_error(client, scarf, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    response = client.post("/checkout/", checkout_post(client, country="MX"))
    assert response.status_code == 200
    assert "The e-hub network does not deliver to Mexico yet." in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("country", ["FR", "EC", "LA"])
def test_checkout_page_for_an_unserved_deliver_to_says_so_and_offers_the_picker(
    client, scarf, buyer_be, country
):
    """Was a 500: the first GET's unbound form cannot carry an error."""
    buyer_be.country = country
    buyer_be.save(update_fields=["country"])
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    response = client.get("/checkout/")
    page = response.content.decode()
    assert response.status_code == 200
    problem = re.search(r'<p class="message notice" role="status">([^<]+)</p>', page).group(1)
    # EC: no hub; FR: no import rule; LA: no exchange rate for the kip
    reason = {"EC": "does not deliver to", "FR": "cannot be worked out", "LA": "no exchange rate"}
    assert reason[country] in problem
    assert 'href="/deliver-to/?next=/checkout/"' in page  # the picker
    assert '<option value="BE">Belgium</option>' in page  # the form offers served countries too
    assert 'class="place-order"' not in page


def test_update_the_price_reprices_without_nagging_about_the_address(client, scarf, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    response = client.post(
        "/checkout/", {"country": "BE", "currency": "GBP", "preference": "fastest", "action": "quote"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." not in page
    assert "£" in page and '<option value="GBP" selected>GBP</option>' in page


def test_checkout_offers_the_address_of_the_last_order(client, scarf, buyer_be):
    place(buyer_be, (scarf, 1))
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    page = client.get("/checkout/").content.decode()
    assert 'value="Rue Léopold 1"' in page and 'value="Liège"' in page


def test_checkout_double_submit_places_one_order(client, scarf, batik, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "2"})
    client.post(f"/cart/add/{batik.pk}/", {"quantity": "1"})
    data = checkout_post(client)
    first = client.post("/checkout/", data)
    second = client.post("/checkout/", data)
    order = Order.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/orders/{order.number}/pay/"
    assert order.consignments.count() == 2 and order.currency == "EUR"
    scarf.refresh_from_db()
    assert scarf.stock == 3  # reserved once
    assert not CartItem.objects.filter(cart__user=buyer_be).exists()


def test_checkout_does_not_place_an_order_whose_price_the_buyer_has_not_seen(client, scarf, buyer_be):
    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    response = client.post("/checkout/", checkout_post(client, currency="GBP"))
    assert response.status_code == 200
    assert "The price changed with your choices" in response.content.decode()
    assert not Order.objects.exists()


# --- Paying, my orders, order detail and cancelling ------------------------------------------------


def test_a_declined_card_leaves_the_order_unpaid_and_the_buyer_can_retry(client, scarf, buyer_be):
    order = place(buyer_be, (scarf, 1))
    client.force_login(buyer_be)
    page = client.get(f"/orders/{order.number}/pay/").content.decode()
    assert "SANDBOX" in page and "4242 4242 4242 4242" in page and "4000 0000 0000 0002" in page

    response = client.post(f"/orders/{order.number}/pay/", {"card_number": CARD_DECLINED})
    assert response.status_code == 402
    assert "Your card was declined. Try another card." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    response = client.post(f"/orders/{order.number}/pay/", {"card_number": CARD_OK})
    assert response["Location"] == f"/orders/{order.number}/confirmation/"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    page = client.get(response["Location"]).content.decode()
    assert "your order is paid" in page and order.number in page


def test_my_orders_lists_only_mine_in_a_fixed_number_of_queries(
    client, scarf, batik, buyer_be, other_buyer, django_assert_max_num_queries
):
    client.force_login(buyer_be)
    assert "You have not ordered anything yet." in client.get("/orders/").content.decode()
    place(buyer_be, (scarf, 1), (batik, 1))
    theirs = place(other_buyer, (batik, 1), currency="KES")
    one = count_queries(client, "/orders/")
    for _ in range(4):
        place(buyer_be, (scarf, 1), (batik, 1))
    with django_assert_max_num_queries(one):
        page = client.get("/orders/").content.decode()
    assert page.count('class="card"') == 5
    assert theirs.number not in page


def test_a_buyer_cannot_see_pay_or_cancel_another_buyers_order(client, scarf, buyer_be, other_buyer):
    order = place(other_buyer, (scarf, 1), currency="KES")
    client.force_login(buyer_be)
    for path in ("", "pay/", "confirmation/", "cancel/"):
        assert client.get(f"/orders/{order.number}/{path}").status_code == 404, path
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_order_detail_shows_breakdown_history_and_cancels_after_confirmation(client, scarf, buyer_be):
    order = place(buyer_be, (scarf, 2))
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    client.force_login(buyer_be)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Parcel from Hangzhou Silk (China)" in page and "Ready to ship" in page
    assert "History" in page and "Awaiting payment" in page and "Paid" in page
    assert "Cancel order" in page

    confirm = client.get(f"/orders/{order.number}/cancel/").content.decode()
    assert "Yes, cancel the order" in confirm and "is refunded" in confirm
    response = client.post(f"/orders/{order.number}/cancel/", follow=True)
    assert f"Order {order.number} is cancelled." in response.content.decode()
    order.refresh_from_db()
    scarf.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and scarf.stock == 5
    assert "Cancel order" not in client.get(f"/orders/{order.number}/").content.decode()


# --- Seller -----------------------------------------------------------------------------------------


def test_seller_home_leads_with_parcels_to_ship_and_hands_one_over(client, scarf, batik, buyer_be):
    order = place(buyer_be, (scarf, 1), (batik, 1))
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    client.force_login(scarf.shop.owner)
    page = client.get("/seller/").content.decode()
    assert "1 parcel to ship" in page and order.number in page
    assert "Silk scarf" in page and "Batik shirt" not in page  # never another shop's lines
    assert "Held until delivery" in page and "Goods: CN¥150.00" in page  # the shop's money (issue 20)

    assert "Route being planned" in page and "Mark handed over" not in page
    mine = Consignment.objects.get(order=order, shop=scarf.shop)
    shipment_route(shipment_id=mine.shipment.pk)  # what the routing worker does
    page = client.get("/seller/").content.decode()
    assert mine.shipment.tracking_number in page and "Drop off at" in page
    response = client.post(f"/seller/consignments/{mine.pk}/hand-over/", follow=True)
    assert "handed over to the courier" in response.content.decode()
    assert mine.shipment.tracking_number in response.content.decode()
    mine.refresh_from_db()
    order.refresh_from_db()
    assert mine.status == "handed_over" and order.status == OrderStatus.IN_FULFILMENT
    assert "Nothing to ship right now." in client.get("/seller/").content.decode()


def test_a_seller_never_sees_another_shops_consignment(client, scarf, batik, buyer_be):
    order = place(buyer_be, (scarf, 1), (batik, 1))
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    theirs = Consignment.objects.get(order=order, shop=batik.shop)
    client.force_login(scarf.shop.owner)
    assert client.get(f"/seller/consignments/{theirs.pk}/").status_code == 404
    assert client.post(f"/seller/consignments/{theirs.pk}/hand-over/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "ready_to_ship"
    page = client.get("/seller/consignments/").content.decode()
    assert "Silk scarf" in page and "Batik shirt" not in page
    client.force_login(buyer_be)
    assert client.get("/seller/").status_code == 403


def test_seller_consignments_list_in_a_fixed_number_of_queries(
    client, scarf, batik, buyer_be, django_assert_max_num_queries
):
    order = place(buyer_be, (scarf, 1), (batik, 1))
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    client.force_login(scarf.shop.owner)
    one = count_queries(client, "/seller/consignments/")
    for _ in range(3):
        more = place(buyer_be, (scarf, 1))
        order_pay(order=more, card_number=CARD_OK, actor=buyer_be)
    with django_assert_max_num_queries(one):
        page = client.get("/seller/consignments/").content.decode()
    assert page.count("consignment-row") == 4
    detail = client.get(f"/seller/consignments/{Consignment.objects.filter(shop=scarf.shop).first().pk}/")
    assert detail.status_code == 200 and "Route being planned" in detail.content.decode()


def test_buyer_pages_need_a_login(client):
    for path in ("/orders/", "/orders/O-ABC/", "/seller/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path

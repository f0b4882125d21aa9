"""A seller's edit never puts back stock that buyers reserved meanwhile: the listing form and the
admin carry the stock they showed, the API takes the product's ETag in `If-Match`, and every stock
writer locks the row (an edit waits for a reservation in flight, then keeps what it left)."""

from __future__ import annotations

import re
import threading

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from marketplace.models import Listing
from marketplace.services.listings import StaleStock, listing_update
from tests.checkout.test_lifecycle import place
from tests.marketplace.api_helpers import auth
from tests.marketplace.factories import UserFactory

pytestmark = pytest.mark.django_db


def edit_form(client, listing) -> dict:
    """The seller's edit page, as their browser would post it back."""
    page = client.get(reverse("seller-listing-edit", args=[listing.pk])).content.decode()
    data = {}
    for name in ("title", "description", "price_amount", "stock", "stock_seen", "weight_kg", "hs_code"):
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
            rf'<textarea name="{name}"[^>]*>([^<]*)</textarea>', page
        )
        data[name] = found.group(1) if found else ""
    data.update(category=listing.category_id, origin_country="CN", is_active="on")
    return data


def stock(listing) -> int:
    return Listing.objects.values_list("stock", flat=True).get(pk=listing.pk)


def test_a_title_fix_keeps_the_stock_buyers_reserved_while_the_form_was_open(client, scarf, buyer_be):
    client.force_login(scarf.shop.owner)
    data = edit_form(client, scarf)
    assert (data["stock"], data["stock_seen"]) == ("5", "5")
    place(buyer_be, (scarf, 3))  # reserved while the seller types
    url = reverse("seller-listing-edit", args=[scarf.pk])
    response = client.post(url, {**data, "title": "Silk scarf, red"})
    assert response.status_code == 302
    assert stock(scarf) == 2  # not 5 again: that was the oversell
    assert Listing.objects.get(pk=scarf.pk).title == "Silk scarf, red"


def test_a_stale_change_of_stock_is_refused_with_the_stock_as_it_is_now(client, scarf, buyer_be):
    client.force_login(scarf.shop.owner)
    data = edit_form(client, scarf)
    place(buyer_be, (scarf, 3))
    url = reverse("seller-listing-edit", args=[scarf.pk])
    response = client.post(url, {**data, "stock": "8"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "While you were editing, orders changed the stock: 2 left now." in page
    assert stock(scarf) == 2
    again = {**data, "stock": "8", "stock_seen": re.search(r'name="stock_seen" value="(\d+)"', page).group(1)}
    assert again["stock_seen"] == "2" and 'name="stock" value="2"' in page
    assert client.post(url, again).status_code == 302
    assert stock(scarf) == 8


def test_the_admin_keeps_reservations_and_refuses_a_stale_stock(client, scarf, buyer_be):
    client.force_login(UserFactory(username="op", role="operator", is_staff=True, is_superuser=True))
    url = reverse("admin:marketplace_listing_change", args=[scarf.pk])
    assert 'name="stock_seen" value="5"' in client.get(url).content.decode()
    data = {
        "shop": scarf.shop_id,
        "title": "Silk scarf",
        "description": "",
        "category": scarf.category_id,
        "price_amount": "150.00",
        "stock": "5",
        "stock_seen": "5",
        "weight_kg": "0.2",
        "hs_code": scarf.hs_code,
        "origin_country": "CN",
        "is_active": "on",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    place(buyer_be, (scarf, 3))
    assert client.post(url, {**data, "title": "Silk scarf (red)"}).status_code == 302
    assert stock(scarf) == 2
    response = client.post(url, {**data, "stock": "9"})
    assert response.status_code == 200 and "orders changed the stock: 2 left now" in response.content.decode()
    assert stock(scarf) == 2


def test_the_api_refuses_a_stale_stock_by_etag_and_sets_it_as_given_without_one(api_client, scarf, buyer_be):
    auth(api_client, scarf.shop.owner)
    url = f"/api/v1/products/{scarf.pk}/"
    read = api_client.get(url)
    etag = read["ETag"]
    assert etag.startswith('"5.')
    place(buyer_be, (scarf, 3))
    stale = api_client.patch(url, {"stock": 8}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_stock"
    assert stock(scarf) == 2
    kept = api_client.patch(url, {"title": "Silk scarf, red", "stock": 5}, format="json", HTTP_IF_MATCH=etag)
    assert kept.status_code == 200 and kept.json()["stock"] == 2  # stock as read: left alone
    fresh = kept["ETag"]
    assert fresh.startswith('"2.') and fresh != etag
    assert api_client.patch(url, {"stock": 8}, format="json", HTTP_IF_MATCH=fresh).json()["stock"] == 8
    assert api_client.patch(url, {"stock": 3}, format="json").json()["stock"] == 3  # no If-Match: as given
    bad = api_client.patch(url, {"stock": 4}, format="json", HTTP_IF_MATCH="whatever")
    assert bad.status_code == 412 and stock(scarf) == 3


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_a_reservation_waits_for_it_and_keeps_what_it_left(scarf):
    """Another session reserves 3 of 5 and holds its row lock; the seller's save (a title fix, the
    stock as they saw it) waits for that commit, then keeps 2 — it never writes back its 5."""
    db = connection.settings_dict
    seller = scarf.shop.owner
    done: list = []
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"]
    ) as reservation:
        reservation.execute("UPDATE marketplace_listing SET stock = stock - 3 WHERE id = %s", [scarf.pk])

        def edit() -> None:
            try:
                listing_update(listing=scarf, actor=seller, title="Silk scarf, red", stock=5, stock_seen=5)
                done.append("saved")
            except StaleStock as exc:
                done.append(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=edit)
        thread.start()
        thread.join(2)  # it may not finish while the reservation holds the row, however fast the machine
        assert done == []
        reservation.commit()
    thread.join(60)
    assert done == ["saved"]
    assert stock(scarf) == 2

"""Tracking numbers in the order and seller APIs, and the seller's own shipments
(`GET /api/v1/seller/shipments/`): scoped to the caller's shops, filterable, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.models import Shipment
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import ship_to
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db

SHIPMENTS = "/api/v1/seller/shipments/"


def routed_shipment(order) -> Shipment:
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    return shipment


def test_seller_shipments_url_is_named():
    assert reverse("api-seller-shipments") == SHIPMENTS


def test_orders_api_carries_each_consignments_tracking_number_once_paid(
    api_client, scarf, batik, buyer_be, django_assert_max_num_queries
):
    unpaid = order_place(
        buyer=buyer_be,
        items=[CheckoutItem(listing=scarf, quantity=1)],
        ship_to=ShipTo(**ship_to("BE")),
        currency="EUR",
        preference="cheapest",
    )
    paid = pay(buyer_be, (scarf, 1), (batik, 1))
    numbers = {c.pk: c.shipment.tracking_number for c in paid.consignments.all()}
    api_client.force_authenticate(buyer_be)

    detail = api_client.get(f"/api/v1/orders/{paid.pk}/").json()
    assert {c["id"]: c["tracking_number"] for c in detail["consignments"]} == numbers
    not_yet = api_client.get(f"/api/v1/orders/{unpaid.pk}/").json()["consignments"]
    assert [c["tracking_number"] for c in not_yet] == [None]
    listed = {o["number"]: o for o in api_client.get("/api/v1/orders/").json()["results"]}
    assert {c["id"]: c["tracking_number"] for c in listed[paid.number]["consignments"]} == numbers
    assert listed[unpaid.number]["consignments"][0]["tracking_number"] is None

    with django_assert_max_num_queries(10) as few:
        api_client.get("/api/v1/orders/")
    for _ in range(3):
        pay(buyer_be, (scarf, 1), (batik, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):  # no query per consignment
        assert len(api_client.get("/api/v1/orders/").json()["results"]) == 5


def test_seller_consignments_carry_the_tracking_number(
    api_client, scarf, batik, buyer_be, django_assert_max_num_queries
):
    order = pay(buyer_be, (scarf, 1), (batik, 1))
    mine = order.consignments.get(shop=scarf.shop)
    api_client.force_authenticate(scarf.shop.owner)
    with django_assert_max_num_queries(10) as few:
        results = api_client.get("/api/v1/seller/consignments/").json()["results"]
    assert [(c["id"], c["tracking_number"]) for c in results] == [(mine.pk, mine.shipment.tracking_number)]
    for _ in range(3):
        pay(buyer_be, (scarf, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        results = api_client.get("/api/v1/seller/consignments/").json()["results"]
    assert len(results) == 4 and all(c["tracking_number"] for c in results)


def test_seller_shipments_list_the_callers_shops_parcels_only(api_client, scarf, batik, buyer_be):
    order = pay(buyer_be, (scarf, 1), (batik, 1))
    scarf_shipment = order.consignments.get(shop=scarf.shop).shipment
    batik_shipment = order.consignments.get(shop=batik.shop).shipment
    shipment_route(shipment_id=scarf_shipment.pk)
    scarf_shipment = shipment_hand_over(consignment=scarf_shipment.consignment, actor=scarf.shop.owner)
    scarf_shipment.refresh_from_db()

    api_client.force_authenticate(scarf.shop.owner)
    body = api_client.get(SHIPMENTS).json()
    assert body["count"] == 1 and body["next"] is None
    [item] = body["results"]
    assert batik_shipment.tracking_number not in str(body)  # another shop's parcel never shows
    legs = list(scarf_shipment.legs.select_related("to_hub").order_by("sequence"))
    assert item == {
        "tracking_number": scarf_shipment.tracking_number,
        "status": "in_transit",
        "consignment": scarf_shipment.consignment_id,
        "order": order.number,
        "drop_off_hub": {"code": legs[0].to_hub.code, "city": legs[0].to_hub.city},
        "route": [{"code": leg.to_hub.code, "city": leg.to_hub.city} for leg in legs if leg.to_hub],
        "promised_delivery": item["promised_delivery"],
        "eta": item["eta"],
        "late": False,
        "exception_reason": "",
        "exception_detail": "",
        "handed_over_at": item["handed_over_at"],
        "delivered_at": None,
    }
    assert item["promised_delivery"] and item["eta"] and item["handed_over_at"]
    assert len(item["route"]) >= 2 and item["route"][-1]["code"] == "LGG"

    api_client.force_authenticate(batik.shop.owner)
    [other] = api_client.get(SHIPMENTS).json()["results"]
    assert other["tracking_number"] == batik_shipment.tracking_number
    assert other["status"] == "created" and other["drop_off_hub"] is None and other["route"] == []


def test_seller_shipments_filter_by_status_and_paginate(api_client, scarf, buyer_be):
    routed = routed_shipment(pay(buyer_be, (scarf, 1)))
    waiting = [pay(buyer_be, (scarf, 1)).consignments.get().shipment for _ in range(2)]
    api_client.force_authenticate(scarf.shop.owner)
    only_routed = api_client.get(SHIPMENTS, {"status": "routed"}).json()
    assert [s["tracking_number"] for s in only_routed["results"]] == [routed.tracking_number]
    created = api_client.get(SHIPMENTS, {"status": "created"}).json()["results"]
    assert {s["tracking_number"] for s in created} == {s.tracking_number for s in waiting}
    assert api_client.get(SHIPMENTS, {"status": "lost"}).status_code == 400
    page = api_client.get(SHIPMENTS, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    # newest first
    assert page["results"][0]["tracking_number"] == waiting[-1].tracking_number


def test_seller_shipments_need_a_seller(api_client, scarf, buyer_be, other_buyer):
    pay(buyer_be, (scarf, 1))
    assert api_client.get(SHIPMENTS).status_code in (401, 403)
    api_client.force_authenticate(buyer_be)
    assert api_client.get(SHIPMENTS).status_code == 403  # the buyer of the parcel is no seller
    api_client.force_authenticate(other_buyer)
    assert api_client.get(SHIPMENTS).status_code == 403


def test_seller_shipments_query_count_does_not_grow(
    api_client, scarf, buyer_be, django_assert_max_num_queries
):
    routed_shipment(pay(buyer_be, (scarf, 1)))
    api_client.force_authenticate(scarf.shop.owner)
    with django_assert_max_num_queries(4) as few:
        assert len(api_client.get(SHIPMENTS).json()["results"]) == 1
    for _ in range(4):
        routed_shipment(pay(buyer_be, (scarf, 1)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        results = api_client.get(SHIPMENTS).json()["results"]
    assert len(results) == 5 and all(r["route"] for r in results)


def test_a_second_hand_over_says_it_was_already_handed_over(api_client, scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    api_client.force_authenticate(scarf.shop.owner)
    url = f"/api/v1/seller/consignments/{consignment.pk}/hand-over/"
    assert api_client.post(url).status_code == 200
    again = api_client.post(url)
    assert again.status_code == 409
    assert again.json()["detail"] == "This parcel was already handed over to the courier."

"""Placing, reading, paying and cancelling orders over the API (real Postgres, real network and rules)."""

from decimal import Decimal

import pytest
from django.core import mail

from marketplace.models import Consignment, IdempotencyKey, Listing, Order, OrderEvent, PaymentAttempt
from tests.checkout.helpers import CARD_DECLINED, CARD_OK, order_body
from tests.marketplace.api_helpers import auth

pytestmark = pytest.mark.django_db


def test_quote_splits_the_cart_into_one_consignment_per_shop_in_the_buyers_currency(api_client, scarf, batik):
    response = api_client.post("/api/v1/checkout/quote/", order_body((scarf, 1), (batik, 2)), format="json")
    assert response.status_code == 200, response.json()
    quote = response.json()
    assert quote["currency"] == "EUR" and quote["destination"] == "BE" and quote["incoterm"] == "DDP"
    assert [c["shop"]["slug"] for c in quote["consignments"]] == ["hangzhou-silk", "batik-kl"]
    for consignment in quote["consignments"]:
        parts = [Decimal(consignment[p]) for p in ("goods", "shipping", "duty", "tax")]
        assert Decimal(consignment["total"]) == sum(parts)
        assert consignment["route"][-1] == "LGG"
        assert consignment["estimated_delivery"] and consignment["explanation"]
        assert consignment["shipping_quote"]["id"]
    assert Decimal(quote["total"]) == sum(Decimal(c["total"]) for c in quote["consignments"])
    assert set(quote["rates"]) >= {"EUR", "CNY", "MYR", "USD"}


def test_placing_an_order_snapshots_the_quote_and_reserves_stock(api_client, scarf, batik, buyer_be):
    auth(api_client, buyer_be)
    quote = api_client.post(
        "/api/v1/checkout/quote/", order_body((scarf, 2), (batik, 1)), format="json"
    ).json()
    response = api_client.post("/api/v1/orders/", order_body((scarf, 2), (batik, 1)), format="json")
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["status"] == "pending_payment" and order["number"].startswith("O-")
    assert order["total"] == quote["total"] and order["currency"] == "EUR"
    assert {c["status"] for c in order["consignments"]} == {"awaiting_payment"}
    first = order["consignments"][0]
    assert set(first) >= {
        "id",
        "shop",
        "status",
        "lines",
        "goods",
        "shipping",
        "duty",
        "tax",
        "total",
        "estimated_delivery",
    }
    assert Listing.objects.get(pk=scarf.pk).stock == 3 and Listing.objects.get(pk=batik.pk).stock == 9
    assert OrderEvent.objects.filter(order_id=order["id"], consignment=None).count() == 1


def test_paying_with_the_sandbox_card_holds_the_money_and_lets_shops_ship(api_client, scarf, buyer_be):
    auth(api_client, buyer_be)
    order = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").json()
    response = api_client.post(f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json")
    assert response.status_code == 200, response.json()
    paid = response.json()
    assert paid["status"] == "paid" and paid["duties_and_taxes_paid"] is True
    assert {c["status"] for c in paid["consignments"]} == {"ready_to_ship"}
    assert {c["duties_paid"] for c in paid["consignments"]} == {True}
    assert PaymentAttempt.objects.get(order_id=order["id"]).status == "succeeded"
    again = api_client.post(f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json")
    assert again.status_code == 409


def test_a_declined_card_leaves_the_order_unpaid_and_payable(api_client, scarf, buyer_be):
    auth(api_client, buyer_be)
    order = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").json()
    declined = api_client.post(
        f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_DECLINED}, format="json"
    )
    assert declined.status_code == 402
    assert "declined" in declined.json()["detail"]
    assert Order.objects.get(pk=order["id"]).status == "pending_payment"
    ok = api_client.post(f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "paid"
    assert list(PaymentAttempt.objects.filter(order_id=order["id"]).values_list("status", flat=True)) == [
        "declined",
        "succeeded",
    ]


def test_cancel_before_hand_over_returns_stock(api_client, scarf, buyer_be):
    auth(api_client, buyer_be)
    order = api_client.post("/api/v1/orders/", order_body((scarf, 2)), format="json").json()
    api_client.post(f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json")
    mail.outbox.clear()
    response = api_client.post(f"/api/v1/orders/{order['id']}/cancel/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Listing.objects.get(pk=scarf.pk).stock == 5
    assert {c["status"] for c in response.json()["consignments"]} == {"cancelled"}
    assert api_client.post(f"/api/v1/orders/{order['id']}/cancel/", format="json").status_code == 409


def test_a_buyer_cannot_see_or_touch_another_buyers_order(api_client, scarf, buyer_be, other_buyer):
    auth(api_client, buyer_be)
    order = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").json()
    auth(api_client, other_buyer)
    assert api_client.get(f"/api/v1/orders/{order['id']}/").status_code == 404
    assert (
        api_client.post(
            f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json"
        ).status_code
        == 404
    )
    assert api_client.post(f"/api/v1/orders/{order['id']}/cancel/").status_code == 404
    assert api_client.get("/api/v1/orders/").json()["results"] == []


def test_orders_need_a_login(api_client, scarf):
    assert api_client.get("/api/v1/orders/").status_code == 401
    assert api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").status_code == 401


def test_a_seller_sees_only_their_own_paid_consignments(api_client, scarf, batik, buyer_be):
    auth(api_client, buyer_be)
    order = api_client.post("/api/v1/orders/", order_body((scarf, 1), (batik, 1)), format="json").json()
    auth(api_client, scarf.shop.owner)
    assert api_client.get("/api/v1/seller/consignments/").json()["results"] == []  # not paid yet
    auth(api_client, buyer_be)
    api_client.post(f"/api/v1/orders/{order['id']}/pay/", {"card_number": CARD_OK}, format="json")
    auth(api_client, scarf.shop.owner)
    results = api_client.get("/api/v1/seller/consignments/").json()["results"]
    assert [c["shop"]["slug"] for c in results] == ["hangzhou-silk"]
    assert [line["title"] for line in results[0]["lines"]] == ["Silk scarf"]
    assert results[0]["order"]["number"] == order["number"]
    auth(api_client, buyer_be)
    assert api_client.get("/api/v1/seller/consignments/").status_code == 403


@pytest.mark.parametrize(
    ("mutate", "status", "field"),
    [
        (lambda b: b["items"][0].update(quantity=0), 400, "items"),
        (lambda b: b["items"][0].update(quantity=-1), 400, "items"),
        (lambda b: b["items"][0].update(quantity=10**9), 400, "items"),
        (lambda b: b["items"][0].update(quantity=1.5), 400, "items"),
        (lambda b: b["items"][0].update(quantity="two"), 400, "items"),
        (lambda b: b["items"][0].update(product=999999), 400, "items"),
        (lambda b: b.pop("ship_to"), 400, "ship_to"),
        (lambda b: b["ship_to"].pop("line1"), 400, "ship_to"),
        (lambda b: b["ship_to"].update(country="XX"), 400, "ship_to"),
        (lambda b: b.update(currency="XYZ"), 400, "currency"),
        (lambda b: b.update(currency="eur"), 400, "currency"),
        (lambda b: b.update(preference="teleport"), 400, "preference"),
        (lambda b: b.update(items=[]), 400, "items"),
        (lambda b: b["items"][0].update(quantity=6), 409, "items"),
    ],
)
def test_bad_order_input_is_a_clear_4xx_and_writes_nothing(
    api_client, scarf, buyer_be, mutate, status, field
):
    auth(api_client, buyer_be)
    body = order_body((scarf, 1))
    mutate(body)
    response = api_client.post("/api/v1/orders/", body, format="json")
    assert response.status_code == status, response.json()
    assert field in response.json()
    assert Order.objects.count() == 0 and Consignment.objects.count() == 0
    assert Listing.objects.get(pk=scarf.pk).stock == 5


def test_a_product_of_an_inactive_shop_cannot_be_ordered(api_client, scarf, buyer_be):
    scarf.shop.is_active = False
    scarf.shop.save(update_fields=["is_active"])
    auth(api_client, buyer_be)
    response = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json")
    assert response.status_code == 400 and "unavailable" in response.json()["detail"]
    assert Order.objects.count() == 0


def test_a_destination_no_hub_serves_is_refused_naming_the_reason(api_client, scarf, buyer_be):
    auth(api_client, buyer_be)
    response = api_client.post(
        "/api/v1/orders/", order_body((scarf, 1), country="MX", currency="USD"), format="json"
    )
    assert response.status_code == 400
    assert "does not deliver to Mexico" in response.json()["detail"]
    assert Order.objects.count() == 0


def test_idempotent_replay_returns_the_same_order(api_client, scarf, buyer_be):
    auth(api_client, buyer_be)
    body = order_body((scarf, 1))
    first = api_client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="order-key-0001")
    second = api_client.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="order-key-0001")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1 and Listing.objects.get(pk=scarf.pk).stock == 4
    other = api_client.post(
        "/api/v1/orders/", order_body((scarf, 2)), format="json", HTTP_IDEMPOTENCY_KEY="order-key-0001"
    )
    assert other.status_code == 422
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", ["short", "x" * 256, "has space here", "ünïcode-key"])
def test_a_malformed_idempotency_key_is_a_400_and_writes_nothing(api_client, scarf, buyer_be, key):
    auth(api_client, buyer_be)
    response = api_client.post(
        "/api/v1/orders/", order_body((scarf, 1)), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert Order.objects.count() == 0 and IdempotencyKey.objects.count() == 0


def test_every_amount_of_an_order_has_its_currencys_exponent(api_client, scarf, buyer_be):
    """unit_price was "150.000" (a DecimalField of 3 places) where the quote said "150.00"."""
    auth(api_client, buyer_be)
    placed = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json").json()
    shown = api_client.get(f"/api/v1/orders/{placed['id']}/").json()
    for order in (placed, shown):
        line = order["consignments"][0]["lines"][0]
        assert line["unit_price"] == {"amount": "150.00", "currency": "CNY"}
        for name in ("goods", "shipping", "duty", "tax", "total"):
            assert len(order[name].split(".")[1]) == 2  # EUR


@pytest.mark.parametrize(("currency", "expected"), [("JPY", "40"), ("KES", "40.00"), ("KWD", "40.000")])
def test_line_amounts_follow_iso_4217(currency, expected):
    from marketplace.api.lines import LineSerializer
    from marketplace.api.orders import line_payload
    from marketplace.models import OrderLine

    line = OrderLine(
        title="Fan",
        hs_code="8414",
        quantity=2,
        unit_price_amount=Decimal("40"),
        unit_price_currency=currency,
        line_total_amount=Decimal("80"),
        currency=currency,
    )
    data = LineSerializer(line_payload(line)).data
    assert data["unit_price"]["amount"] == expected

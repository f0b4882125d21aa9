"""Placing an order through the ORM (`marketplace.services.placing`): one transaction, a constant
number of plain statements whatever the number of lines, the stock checked and taken from the rows
locked, nothing written when a listing is short — and with an Idempotency-Key, the key claimed and
answered in that same transaction (`marketplace.services.idempotency`)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.api.orders import order_payload
from marketplace.models import Consignment, IdempotencyKey, Listing, Order, OrderEvent, OrderLine
from marketplace.selectors.checkout import CheckoutItem, InsufficientStock, checkout_quote
from marketplace.services.idempotency import order_place_once
from marketplace.services.placing import ShipTo, order_place
from tests.checkout.helpers import ship_to
from tests.marketplace.factories import ListingFactory

pytestmark = pytest.mark.django_db(transaction=True)

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured) -> list[str]:
    """The statements run, transaction control left out."""
    sqls = [" ".join(q["sql"].split()) for q in captured.captured_queries]
    return [sql for sql in sqls if not sql.upper().startswith(TRANSACTION_CONTROL)]


def place(buyer, items, quote=None):
    return order_place(
        buyer=buyer,
        items=items,
        ship_to=ShipTo(**ship_to("BE")),
        currency="EUR",
        preference="cheapest",
        quote=quote,
    )


@pytest.mark.parametrize("line_count", [1, 10])
def test_placing_takes_the_same_few_statements_for_1_and_10_lines(shop_cn, buyer_be, line_count):
    listings = [ListingFactory(shop=shop_cn, title=f"Scarf {n}", stock=5) for n in range(line_count)]
    items = [CheckoutItem(listing=listing, quantity=2) for listing in listings]
    quote = checkout_quote(items=items, destination="BE", currency="EUR", preference="cheapest")
    with CaptureQueriesContext(connection) as captured:
        order, replayed = order_place_once(
            user=buyer_be,
            key=f"lines-{line_count:04d}",
            scope="order_place",
            payload={"lines": line_count},
            place=lambda: place(buyer_be, items, quote),
        )
    run = statements(captured)
    # The key claimed; the listings locked; the stock taken; order, consignments, lines, events;
    # the key answered.
    assert len(run) == 8, "\n".join(run)
    assert run[1].startswith('SELECT "marketplace_listing"."id" AS "pk", "marketplace_listing"."stock"')
    assert run[1].endswith('FOR UPDATE OF "marketplace_listing"')
    assert run[2].startswith('UPDATE "marketplace_listing" SET "stock" = (CASE WHEN')  # one bulk_update
    assert run[-1].startswith('UPDATE "marketplace_idempotencykey" SET "order_id"')
    assert not replayed and OrderLine.objects.filter(consignment__order=order).count() == line_count
    assert set(Listing.objects.filter(shop=shop_cn).values_list("stock", flat=True)) == {3}


def test_every_row_holds_what_was_quoted(scarf, batik, buyer_be):
    items = [CheckoutItem(listing=scarf, quantity=2), CheckoutItem(listing=batik, quantity=1)]
    order = place(buyer_be, items)
    consignments = {c.shop_id: c for c in Consignment.objects.filter(order=order)}
    assert set(consignments) == {scarf.shop_id, batik.shop_id}
    lines = {line.listing_id: line for line in OrderLine.objects.filter(consignment__order=order)}
    assert lines[scarf.pk].consignment_id == consignments[scarf.shop_id].pk
    assert (lines[scarf.pk].quantity, lines[scarf.pk].title) == (2, "Silk scarf")
    events = list(
        OrderEvent.objects.filter(order=order).order_by("pk").values_list("consignment_id", "to_status")
    )
    assert events[0] == (None, "pending_payment")
    assert sorted(events[1:]) == sorted((c.pk, "awaiting_payment") for c in consignments.values())
    shown = Order.objects.prefetch_related("consignments__lines", "consignments__shop").get(pk=order.pk)
    body = order_payload(shown)
    assert sum(len(c["lines"]) for c in body["consignments"]) == 2


def test_a_listing_short_or_gone_under_the_lock_refuses_the_whole_order(scarf, batik, buyer_be):
    """The shortfall is found under the row locks: nothing is taken, nothing written, and the
    refusal names the listing."""
    items = [CheckoutItem(listing=scarf, quantity=1), CheckoutItem(listing=batik, quantity=2)]
    quote = checkout_quote(items=items, destination="BE", currency="EUR", preference="cheapest")
    stock = dict(Listing.objects.filter(pk__in=[scarf.pk, batik.pk]).values_list("pk", "stock"))
    Listing.objects.filter(pk=batik.pk).update(stock=1)  # sold meanwhile, after the quote
    with pytest.raises(InsufficientStock, match=batik.title):
        place(buyer_be, items, quote)
    assert Listing.objects.get(pk=scarf.pk).stock == stock[scarf.pk]  # the scarf was not taken either
    assert not Order.objects.exists() and not OrderLine.objects.exists()

    Listing.objects.filter(pk=batik.pk).update(stock=stock[batik.pk])
    Listing.objects.filter(pk=scarf.pk).delete()  # gone since the quote
    with pytest.raises(InsufficientStock, match=scarf.title):
        place(buyer_be, items, quote)
    assert Listing.objects.get(pk=batik.pk).stock == stock[batik.pk]
    assert not Order.objects.exists()


def test_placing_with_a_key_answers_it_in_the_same_transaction_and_a_retry_shows_the_order_now(
    api_client, scarf, buyer_be
):
    """The key points at its order; a retry shows the order as it is now — here paid."""
    from marketplace.services.payments import order_pay
    from tests.checkout.helpers import CARD_OK, order_body

    api_client.force_authenticate(buyer_be)
    headers = {"HTTP_IDEMPOTENCY_KEY": "one-transaction-key-1"}
    first = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json", **headers)
    assert first.status_code == 201, first.content
    assert IdempotencyKey.objects.get(key="one-transaction-key-1").order_id == first.json()["id"]

    order = Order.objects.get(pk=first.json()["id"])
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    retry = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json", **headers)
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == order.pk and retry.json()["status"] == "paid"
    assert Order.objects.filter(buyer=buyer_be).count() == 1


def test_a_twin_request_waits_for_the_first_and_replays_its_order(scarf, buyer_be):
    """Two requests with one key at once: the second waits on the key's unique index (no sleep,
    no "in progress" state) until the first commits, then shows its order — one order in all."""
    items = [CheckoutItem(listing=scarf, quantity=1)]
    quote = checkout_quote(items=items, destination="BE", currency="EUR", preference="cheapest")
    inside, go_on = threading.Event(), threading.Event()
    results: dict = {}

    def first_place():
        inside.set()
        go_on.wait(60)  # holds its claim, uncommitted, while the twin arrives
        return place(buyer_be, items, quote)

    def run(name, make):
        try:
            results[name] = order_place_once(
                user=buyer_be, key="twin-key-0001", scope="t", payload=1, place=make
            )
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first", first_place))
    first.start()
    assert inside.wait(60)
    twin = threading.Thread(target=run, args=("twin", lambda: place(buyer_be, items, quote)))
    twin.start()
    twin.join(1)  # it may not get past the key while the first holds it, however fast the machine
    assert "twin" not in results
    go_on.set()
    first.join(60)
    twin.join(60)
    (first_order, first_replayed), (twin_order, twin_replayed) = results["first"], results["twin"]
    assert (first_replayed, twin_replayed) == (False, True) and twin_order.pk == first_order.pk
    assert Order.objects.count() == 1 and Listing.objects.get(pk=scarf.pk).stock == 4


def test_a_failed_first_request_lets_its_twin_place_the_order(scarf, buyer_be):
    items = [CheckoutItem(listing=scarf, quantity=1)]

    def fails():
        raise InsufficientStock("gone")

    with pytest.raises(InsufficientStock):
        order_place_once(user=buyer_be, key="retry-key-0001", scope="t", payload=1, place=fails)
    assert not IdempotencyKey.objects.exists()  # rolled back with the work
    order, replayed = order_place_once(
        user=buyer_be, key="retry-key-0001", scope="t", payload=1, place=lambda: place(buyer_be, items)
    )
    assert not replayed and Order.objects.get() == order

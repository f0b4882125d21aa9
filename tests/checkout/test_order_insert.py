"""Placing an order writes the order, its consignments, lines and events in one statement on
PostgreSQL (`marketplace.services.orders._place_in_one_statement`): every column must hold what the
in-memory rows say, exactly as `Model.save()` would have written it, and the returned rows must
carry their keys and related objects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ewtp.db import insert_columns
from marketplace.api.orders import order_payload
from marketplace.models import Consignment, Order, OrderEvent, OrderLine
from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.orders import ShipTo, order_place
from tests.checkout.helpers import ship_to

pytestmark = pytest.mark.django_db(transaction=True)


def stored(row) -> dict:
    """Every concrete column of `row` as the database holds it, read back through the ORM."""
    fresh = type(row).objects.get(pk=row.pk)
    return {field.attname: getattr(fresh, field.attname) for field in type(row)._meta.concrete_fields}


def in_memory(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in type(row)._meta.concrete_fields}


def test_one_statement_writes_every_column_the_rows_hold(scarf, batik, buyer_be):
    with CaptureQueriesContext(connection) as captured:
        order = order_place(
            buyer=buyer_be,
            items=[CheckoutItem(listing=scarf, quantity=2), CheckoutItem(listing=batik, quantity=1)],
            ship_to=ShipTo(**ship_to("BE")),
            currency="EUR",
            preference="cheapest",
        )
    inserts = [q["sql"] for q in captured.captured_queries if "INSERT INTO" in q["sql"]]
    tables = [f"marketplace_{name}" for name in ("order", "consignment", "orderline", "orderevent")]
    assert len(inserts) == 1 and all(table in inserts[0] for table in tables)

    consignments = list(order.consignments.all())
    lines = [line for consignment in consignments for line in consignment.lines.all()]
    assert len(consignments) == 2 and len(lines) == 2
    for row in (order, *consignments, *lines):
        assert row.pk is not None and not row._state.adding
        assert stored(row) == in_memory(row), type(row).__name__
    # Each consignment and line came back under its own key: the shop's consignment, the listing's line.
    by_shop = {c.shop_id: c for c in consignments}
    assert Consignment.objects.get(pk=by_shop[scarf.shop_id].pk).shop_id == scarf.shop_id
    for line in lines:
        assert OrderLine.objects.get(pk=line.pk).listing_id == line.listing_id
        assert line.consignment_id == by_shop[line.listing.shop_id].pk

    events = list(
        OrderEvent.objects.filter(order=order).order_by("pk").values_list("consignment_id", "to_status")
    )
    assert events == [
        (None, "pending_payment"),
        *((by_shop[shop].pk, "awaiting_payment") for shop in by_shop),
    ]
    assert all(event.created_at is not None for event in OrderEvent.objects.filter(order=order))

    with CaptureQueriesContext(connection) as shown:  # related objects stay cached: no query to show it
        body = order_payload(order)
    assert shown.captured_queries == []
    assert body["id"] == order.pk
    assert {c["id"] for c in body["consignments"]} == {consignment.pk for consignment in consignments}
    assert Order.objects.get(pk=order.pk).number == order.number


def test_the_statement_lists_every_column_of_the_models():
    """A field added to a model is written without anyone remembering to: the columns come from
    the models' metadata, never a hand-kept list."""
    for model in (Order, Consignment, OrderLine, OrderEvent):
        columns = insert_columns(model)[0]
        assert columns == [
            connection.ops.quote_name(f.column) for f in model._meta.concrete_fields if not f.primary_key
        ]


def test_order_answers_are_formatted_exactly_as_drf_formats_them(scarf, batik, buyer_be):
    """`order_payload` formats through `ewtp.api.dict_representation`: the same answer DRF's
    `OrderSerializer.to_representation` gives, for an unpaid order, a paid one (tracking number,
    paid_at) and a cancelled one — compared on the payload dicts themselves."""
    from marketplace.api import orders as api
    from marketplace.selectors.orders import orders_for_buyer
    from marketplace.services.orders import order_cancel
    from tests.logistics.shipments.conftest import pay

    unpaid = order_place(
        buyer=buyer_be,
        items=[CheckoutItem(listing=scarf, quantity=1), CheckoutItem(listing=batik, quantity=3)],
        ship_to=ShipTo(**ship_to("BE")),
        currency="EUR",
        preference="fastest",
    )
    paid = pay(buyer_be, (scarf, 2))
    cancelled = order_cancel(order=pay(buyer_be, (batik, 1)), actor=buyer_be)
    raw = []
    original = api._order_out
    try:
        api._order_out = lambda: lambda data: raw.append(data) or data
        for order in (unpaid, *orders_for_buyer(buyer_be)):
            api.order_payload(order)
    finally:
        api._order_out = original
    assert {data["id"] for data in raw} == {unpaid.pk, paid.pk, cancelled.pk}
    assert any(c["tracking_number"] for data in raw for c in data["consignments"])
    assert any(data["paid_at"] is not None for data in raw) and any(data["rates_as_of"] for data in raw)
    for data in raw:
        assert api._order_out()(data) == api.ORDER_OUT.to_representation(data)


def test_placing_with_a_key_answers_it_in_the_same_statement_and_a_retry_shows_the_order_now(
    api_client, scarf, buyer_be
):
    """The API's Idempotency-Key is answered by the statement that places the order (no UPDATE
    of its own, no BEGIN/COMMIT): the key points at the order; a retry shows the order as it is
    now — here paid — with the first answer's status."""
    from marketplace.models import IdempotencyKey
    from marketplace.services.payments import order_pay
    from tests.checkout.helpers import CARD_OK, order_body

    api_client.force_authenticate(buyer_be)
    headers = {"HTTP_IDEMPOTENCY_KEY": "one-statement-key-1"}
    with CaptureQueriesContext(connection) as captured:
        first = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json", **headers)
    assert first.status_code == 201, first.content
    statements = [" ".join(q["sql"].split()) for q in captured.captured_queries]
    assert not any(sql.upper() in ("BEGIN", "COMMIT") or sql.startswith("SAVEPOINT") for sql in statements)
    assert not any(sql.startswith('UPDATE "marketplace_idempotencykey"') for sql in statements)
    assert any(sql.startswith("WITH") and 'answered AS ( UPDATE "marketplace_idempotencykey"' in sql
               for sql in statements)
    key = IdempotencyKey.objects.get(key="one-statement-key-1")
    assert (key.in_progress, key.response_status, key.order_id) == (False, 201, first.json()["id"])

    order = Order.objects.get(pk=first.json()["id"])
    order_pay(order=order, card_number=CARD_OK, actor=buyer_be)
    retry = api_client.post("/api/v1/orders/", order_body((scarf, 1)), format="json", **headers)
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == order.pk and retry.json()["status"] == "paid"
    assert Order.objects.filter(buyer=buyer_be).count() == 1


def test_a_listing_short_or_gone_under_the_lock_refuses_the_whole_order(scarf, batik, buyer_be):
    """The shortfall is found under the row locks and aborts the one statement: nothing is
    reserved, nothing written, and the refusal names the listing."""
    from marketplace.models import Listing
    from marketplace.selectors.checkout import InsufficientStock, checkout_quote

    items = [CheckoutItem(listing=scarf, quantity=1), CheckoutItem(listing=batik, quantity=2)]
    quote = checkout_quote(items=items, destination="BE", currency="EUR", preference="cheapest")
    stock = dict(Listing.objects.filter(pk__in=[scarf.pk, batik.pk]).values_list("pk", "stock"))
    Listing.objects.filter(pk=batik.pk).update(stock=1)  # sold meanwhile, after the quote
    with pytest.raises(InsufficientStock, match=batik.title):
        order_place(
            buyer=buyer_be, items=items, ship_to=ShipTo(**ship_to("BE")), currency="EUR",
            preference="cheapest", quote=quote,
        )
    assert Listing.objects.get(pk=scarf.pk).stock == stock[scarf.pk]  # the scarf was not taken either
    assert not Order.objects.exists() and not OrderLine.objects.exists()

    Listing.objects.filter(pk=batik.pk).update(stock=stock[batik.pk])
    Listing.objects.filter(pk=scarf.pk).delete()  # gone since the quote
    with pytest.raises(InsufficientStock, match=scarf.title):
        order_place(
            buyer=buyer_be, items=items, ship_to=ShipTo(**ship_to("BE")), currency="EUR",
            preference="cheapest", quote=quote,
        )
    assert Listing.objects.get(pk=batik.pk).stock == stock[batik.pk]
    assert not Order.objects.exists()

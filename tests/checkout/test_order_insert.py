"""Placing an order writes the order, its consignments, lines and events in one statement on
PostgreSQL (`marketplace.services.orders._insert_order`): every column must hold what the
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

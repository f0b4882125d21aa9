"""What integrators are told: the bodies of the marketplace's webhook events (plain JSON data)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import prefetch_related_objects

from marketplace.models import Consignment, Order, OrderLine, WebhookEvent
from marketplace.models.webhooks import Event


def _lines(lines: Iterable[OrderLine]) -> list[dict]:
    return [
        {
            "id": line.pk,
            "listing": line.listing_id,
            "title": line.title,
            "hs_code": line.hs_code,
            "quantity": line.quantity,
            "line_total": str(line.line_total_amount),
        }
        for line in lines
    ]


def order_paid_events(order: Order, consignments: Iterable[Consignment]) -> list[Event]:
    """`order.paid`, one per consignment: each shop is told of its own part of the order."""
    consignments = list(consignments)
    prefetch_related_objects(consignments, "lines")  # one query for every shop's lines
    events = []
    for consignment in consignments:
        events.append(
            Event(
                type=WebhookEvent.ORDER_PAID,
                shop_id=consignment.shop_id,
                occurred_at=order.paid_at,
                data={
                    "order": {
                        "id": order.pk,
                        "number": order.number,
                        "currency": order.currency,
                        "total": str(order.total_amount),
                        "ship_to_country": str(order.ship_to_country),
                        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
                    },
                    "consignment": {
                        "id": consignment.pk,
                        "shop": consignment.shop_id,
                        "status": consignment.status,
                        "currency": consignment.currency,
                        "goods": str(consignment.goods_amount),
                        "shipping": str(consignment.shipping_amount),
                        "duty": str(consignment.duty_amount),
                        "tax": str(consignment.tax_amount),
                        "total": str(consignment.total_amount),
                        "promised_delivery": consignment.promised_delivery.isoformat(),
                        "lines": _lines(consignment.lines.all()),
                    },
                },
            )
        )
    return events

"""One lock order for every path — the order, then its consignments, then their shipments — so
cancel and hand-over (or delivery) racing each other wait, never deadlock (that was a 500)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ewtp.exceptions import DomainError
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.models import ConsignmentStatus, OrderStatus
from marketplace.services.orders import order_cancel
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 12


def race(*works) -> list:
    """Run the works at once (a barrier lines them up); each one's result or exception."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index: int, work) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except Exception as exc:  # noqa: BLE001 — reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, work)) for i, work in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_cancel_racing_hand_over_ends_with_one_of_them_and_never_a_database_error(scarf, buyer_be):
    scarf.stock = ROUNDS
    scarf.save(update_fields=["stock"])
    outcomes = []
    for _ in range(ROUNDS):
        order = pay(buyer_be, (scarf, 1))
        consignment = order.consignments.get()
        shipment_route(shipment_id=consignment.shipment.pk)
        cancelled, handed = race(
            lambda order=order: order_cancel(order=order, actor=buyer_be),
            lambda c=consignment: shipment_hand_over(consignment=c, actor=scarf.shop.owner),
        )
        # Whichever came second is refused with a domain error (409), never a deadlock.
        for result in (cancelled, handed):
            assert not isinstance(result, Exception) or isinstance(result, DomainError), result
        order.refresh_from_db()
        consignment.refresh_from_db()
        if isinstance(cancelled, DomainError):
            assert not isinstance(handed, Exception)
            assert consignment.status == ConsignmentStatus.HANDED_OVER
            outcomes.append("handed over")
        else:
            assert isinstance(handed, DomainError)
            assert (order.status, consignment.status) == (OrderStatus.CANCELLED, ConsignmentStatus.CANCELLED)
            outcomes.append("cancelled")
    assert len(outcomes) == ROUNDS

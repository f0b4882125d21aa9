"""Routing jobs through a real Celery worker (a subprocess) on this test run's own Redis and database:
paid → routed once; a broker outage at payment; a worker killed with SIGKILL in the middle of jobs."""

from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ewtp.models import OutboxJob
from ewtp.outbox import RETRY_AFTER, outbox_relay
from logistics import tasks
from logistics.models import DepartureBooking, Shipment, ShipmentLeg, ShipmentStatus, TrackingEvent
from logistics.services.shipments import shipment_hand_over, shipments_sweep_unrouted
from logistics.tracking_numbers import is_valid
from marketplace.models import OrderStatus, PaymentAttempt
from tests.celery_worker import running_worker
from tests.logistics.shipments.conftest import pay, routing_queue_length

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def wait_until(predicate, timeout: float = 90, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def routed_count() -> int:
    return Shipment.objects.filter(status=ShipmentStatus.ROUTED).count()


def assert_routed_exactly_once(shipments: list[Shipment]) -> None:
    for shipment in shipments:
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.ROUTED, shipment.exception_detail
        sequences = list(shipment.legs.values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1)) and len(sequences) >= 3
        assert TrackingEvent.objects.filter(shipment=shipment, to_status="routed").count() == 1
    # Capacity booked once per line-haul leg: a killed job's bookings rolled back with it.
    booked = sum(DepartureBooking.objects.values_list("parcels", flat=True))
    assert booked == ShipmentLeg.objects.filter(kind="line_haul").count()


def test_route_shipment_job_routes_a_paid_order_once(scarf, buyer_be, empty_routing_queue):
    order = pay(buyer_be, (scarf, 1))
    shipment = Shipment.objects.get(consignment__order=order)
    assert is_valid(shipment.tracking_number)
    assert routing_queue_length() == 0  # in the outbox, committed with the payment
    assert outbox_relay() == 2  # the routing job, and the order's e-mails
    assert routing_queue_length() == 1  # on `routing`
    with running_worker(queues="routing"):
        assert wait_until(lambda: routed_count() == 1)
        # The same job again (redelivered, or sent by the sweeper) writes nothing.
        assert tasks.route_shipment.delay(shipment.pk).get(timeout=60) == "skipped:routed"
    assert_routed_exactly_once([shipment])


def test_an_order_paid_while_the_broker_is_down_is_routed_when_it_comes_back(
    scarf, buyer_be, empty_routing_queue, broker_unreachable, caplog
):
    order = pay(buyer_be, (scarf, 1))  # paying never touches the broker
    assert order.status == OrderStatus.PAID
    assert PaymentAttempt.objects.get(order=order).status == "succeeded"
    shipment = Shipment.objects.get(consignment__order=order)
    assert shipment.status == ShipmentStatus.CREATED
    assert OutboxJob.objects.count() == 2  # routing, e-mails: committed with the payment

    assert outbox_relay() == 0  # the broker refuses: the jobs wait
    assert "publishing" in caplog.text and OutboxJob.objects.count() == 2
    broker_unreachable()  # the broker is back
    assert routing_queue_length() == 0
    assert outbox_relay(now=timezone.now() + RETRY_AFTER) == 2
    assert routing_queue_length() == 1 and not OutboxJob.objects.exists()
    with running_worker(queues="routing", relay=False):
        assert wait_until(lambda: routed_count() == 1)
    assert_routed_exactly_once([shipment])


def test_the_sweeper_asks_again_for_a_route_a_worker_lost(scarf, buyer_be, empty_routing_queue):
    order = pay(buyer_be, (scarf, 1))
    shipment = Shipment.objects.get(consignment__order=order)
    OutboxJob.objects.all().delete()  # as if a worker took the job and died for good
    assert shipments_sweep_unrouted() == 0  # not overdue yet
    later = timezone.now() + timedelta(minutes=settings.EWTP_ROUTING_SWEEP_MINUTES + 1)
    assert shipments_sweep_unrouted(now=later) == 1
    assert shipments_sweep_unrouted(now=later) == 0  # not asked twice in one interval
    with running_worker(queues="routing"):
        assert wait_until(lambda: routed_count() == 1)
    assert_routed_exactly_once([shipment])


PARCELS = 8


@contextmanager
def bookings_locked():
    """Another session holds a lock on the departure bookings, so routing jobs stop in the middle of
    their second transaction (after `routing` is committed, before any leg or booking is)."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"]
    ) as session:
        session.execute("LOCK TABLE logistics_departurebooking IN SHARE ROW EXCLUSIVE MODE")
        yield
        session.rollback()


def test_a_worker_killed_mid_routing_loses_no_job_and_routes_each_shipment_once(
    scarf, buyer_be, empty_routing_queue
):
    scarf.stock = PARCELS
    scarf.save(update_fields=["stock"])
    shipments = [Shipment.objects.get(consignment__order=pay(buyer_be, (scarf, 1))) for _ in range(PARCELS)]
    outbox_relay()
    assert routing_queue_length() == PARCELS
    broker = empty_routing_queue
    # Messages a dead worker held go back to the queue after the visibility timeout (5 s here).
    env = {"EWTP_BROKER_VISIBILITY_TIMEOUT": "5"}
    with bookings_locked():
        with running_worker(queues="routing", pool="prefork", concurrency=2, **env) as worker:
            in_flight = Shipment.objects.filter(status=ShipmentStatus.ROUTING)
            assert wait_until(lambda: in_flight.count() == 2, timeout=120)  # both pool processes mid-job
            os.killpg(worker.pid, signal.SIGKILL)  # the parent and both pool processes, no goodbye
            worker.wait(timeout=10)
        assert routed_count() == 0
        assert broker.hlen("unacked") >= 2  # taken, never acknowledged
    with running_worker(queues="routing", pool="prefork", concurrency=2, **env):
        assert wait_until(lambda: routed_count() == PARCELS, timeout=120)
        time.sleep(1)  # any redelivered duplicate finishes, and must write nothing
    assert_routed_exactly_once(shipments)


def test_end_to_end_paid_routed_by_the_worker_handed_over_and_delivered_by_beat_ticks(
    scarf, buyer_be, empty_routing_queue
):
    """The worker routes the paid order, the seller hands it over, and `simulation_tick` jobs on a
    fast clock (a simulated day every real second) take it to the door; escrow is released once."""
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment = consignment.shipment
    with running_worker(EWTP_SIM_SPEED="86400", EWTP_CUSTOMS_HOLD_RATE="0"):
        assert wait_until(lambda: routed_count() == 1)
        shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)

        def delivered() -> bool:
            tasks.simulation_tick.delay().get(timeout=30)
            shipment.refresh_from_db()
            return shipment.status == ShipmentStatus.DELIVERED

        assert wait_until(delivered, timeout=120, interval=0.5)
    events = list(shipment.events.order_by("occurred_at", "id"))
    assert [e.status for e in events][:4] == ["info_received"] * 3 + ["picked_up"]
    assert events[-1].status == "delivered"
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    arrivals = [e.location_code for e in events if e.substatus in ("hub_arrival", "destination_ehub")]
    assert arrivals == [leg.to_hub.code for leg in shipment.legs.order_by("sequence") if leg.to_hub]
    consignment.refresh_from_db()
    order.refresh_from_db()
    assert (consignment.status, order.status) == ("delivered", OrderStatus.COMPLETED)
    assert consignment.ledger_transactions.count() == 1

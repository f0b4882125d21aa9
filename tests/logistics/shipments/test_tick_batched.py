"""The simulation tick works in batches: a few statements per batch whatever its size, one broken
shipment never stops the others, two ticks at once never write anything twice, and the parcel
e-mails hear of exactly the events inserted."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.models import Hub, HubSortDay, ShipmentStatus, TrackingEvent
from logistics.services import simulation, timelines
from logistics.services.parcel_emails import parcel_email_warranted
from logistics.services.simulation import shipments_advance
from marketplace.models import ConsignmentStatus
from marketplace.services.fulfilment import consignments_mark_in_transit
from tests.checkout.helpers import released_to_shop
from tests.logistics.shipments.simulation_helpers import in_flight, refreshed


def _first_departure(shipment):
    return shipment.legs.get(kind="line_haul", sequence=2).planned_departure


def _sim_events(shipment):
    return TrackingEvent.objects.filter(shipment=shipment, dedupe_key__contains=":sim:")


@pytest.mark.django_db
def test_shipments_advance_writes_a_batch_with_a_fixed_number_of_statements(scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, handed_over = in_flight(scarf, buyer_be, 6)
    origin = shipments[0].legs.get(sequence=1).to_hub
    arrived_sorted = handed_over + timedelta(days=1, hours=origin.handling_hours)  # no departure yet
    assert arrived_sorted < _first_departure(shipments[0])
    with CaptureQueriesContext(connection) as three:
        assert shipments_advance(now=arrived_sorted, batch=3) == 6  # two batches of three
    # Per batch: claim, legs, sort lock + counters + upsert, events, legs, shipments (+ savepoints).
    with CaptureQueriesContext(connection) as six:
        assert shipments_advance(now=arrived_sorted, batch=6) == 0  # nothing due any more
    per_batch = (len(three) - len(six)) / 2
    assert per_batch <= 14, [q["sql"][:80] for q in three.captured_queries]
    for shipment in refreshed(shipments):
        substatuses = list(
            _sim_events(shipment).order_by("occurred_at", "id").values_list("substatus", flat=True)
        )
        # The export declaration, and the pre-declaration lodged with the destination (issue 21).
        assert substatuses == ["hub_arrival", "sorted", "export_declared", "pre_declared"]
        assert shipment.simulation_step == 4 and shipment.next_event_at == _first_departure(shipment)
        first_mile = shipment.legs.get(sequence=1)
        assert first_mile.actual_arrival == handed_over + timedelta(days=1)
    assert HubSortDay.objects.get(hub=origin).parcels == 6


@pytest.mark.django_db
def test_a_broken_shipment_does_not_stop_the_batch(scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, handed_over = in_flight(scarf, buyer_be, 3)
    broken = shipments[1]
    departed = _first_departure(shipments[0]) + timedelta(hours=1)

    def in_transit(*, consignment_ids, actor=None):
        if broken.consignment_id in set(consignment_ids):
            raise RuntimeError("the marketplace is having a bad day")
        return consignments_mark_in_transit(consignment_ids=consignment_ids, actor=actor)

    with mock.patch.object(simulation, "consignments_mark_in_transit", side_effect=in_transit):
        assert shipments_advance(now=departed, batch=10) == 2
    for shipment in refreshed(shipments):
        shipment.consignment.refresh_from_db()
    ok = [shipments[0], shipments[2]]
    assert all(s.consignment.status == ConsignmentStatus.IN_TRANSIT for s in ok)
    assert all(_sim_events(s).filter(substatus="hub_departure").exists() for s in ok)
    # The broken one wrote nothing (its savepoint rolled back) and is retried by the next tick.
    assert broken.simulation_step == 0 and not _sim_events(broken).exists()
    assert broken.consignment.status == ConsignmentStatus.HANDED_OVER
    assert HubSortDay.objects.get(hub=broken.legs.get(sequence=1).to_hub).parcels == 2
    assert shipments_advance(now=departed) == 1
    broken.refresh_from_db()
    broken.consignment.refresh_from_db()
    assert broken.consignment.status == ConsignmentStatus.IN_TRANSIT
    assert list(_sim_events(broken).values_list("substatus", flat=True)) == list(
        _sim_events(shipments[0]).values_list("substatus", flat=True)
    )


@pytest.mark.django_db
def test_parcel_emails_hear_of_the_events_inserted_and_only_those(scarf, buyer_be, settings):
    """The tick hands `parcel_emails_schedule` the events it inserted that warrant an e-mail,
    picked in Python from what the insert returned (`warranted=True`: no query) — none twice."""
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, handed_over = in_flight(scarf, buyer_be, 2)
    now = handed_over + timedelta(days=30)  # delivered: events that warrant an e-mail among others
    with mock.patch.object(simulation, "parcel_emails_schedule") as emails:
        shipments_advance(now=now)
        shipments_advance(now=now)  # nothing due: nothing new
    written = list(TrackingEvent.objects.filter(dedupe_key__contains=":sim:"))
    warranted = sorted(e.pk for e in written if parcel_email_warranted(e.status, e.substatus))
    assert warranted and len(warranted) < len(written)
    told = [(sorted(call.args[0]), call.kwargs) for call in emails.call_args_list]
    assert told[0] == (warranted, {"warranted": True})
    assert all(ids == [] for ids, _kwargs in told[1:])


@pytest.mark.django_db
@pytest.mark.parametrize("bulk_sql", [True, False], ids=["postgres-arrays", "portable-orm"])
def test_shipments_advance_delivers_on_either_write_path(scarf, buyer_be, settings, bulk_sql):
    """The PostgreSQL statements and the portable ORM path (the SQLite demo) write the same thing."""
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, handed_over = in_flight(scarf, buyer_be, 2)
    Hub.objects.filter(pk=shipments[0].legs.get(kind="last_mile").from_hub_id).update(sort_capacity_per_day=1)
    now = handed_over
    with mock.patch("ewtp.db.json_rows_supported", return_value=bulk_sql):
        for _ in range(200):
            now += timedelta(hours=3)
            shipments_advance(now=now)
            if all(s.status == ShipmentStatus.DELIVERED for s in refreshed(shipments)):
                break
    for shipment in shipments:
        assert shipment.status == ShipmentStatus.DELIVERED
        events = list(_sim_events(shipment).order_by("occurred_at", "id"))
        assert events[-1].status == "delivered" and events[-1].to_status == ShipmentStatus.DELIVERED
        assert shipment.delivered_at == shipment.eta == events[-1].occurred_at
        assert all(leg.actual_departure and leg.actual_arrival for leg in shipment.legs.all())
        assert shipment.consignment.ledger_transactions.count() == 1
    delays = [s.legs.get(kind="line_haul", sequence=2).sort_delay for s in shipments]
    assert delays[0] == timedelta(0) < delays[1]  # one a day at the destination: the second waits


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_never_write_twice(scarf, buyer_be, settings, empty_routing_queue, caplog):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, handed_over = in_flight(scarf, buyer_be, 8)
    origin = shipments[0].legs.get(sequence=1).to_hub
    Hub.objects.filter(pk=origin.pk).update(sort_capacity_per_day=5)
    now = _first_departure(shipments[0]) + timedelta(hours=1)  # arrived, sorted (or not), departed
    # Both ticks start together and hold their first batch at the same moment.
    start, inside = threading.Barrier(2), threading.Barrier(2, timeout=3)
    first_batch = threading.local()
    advance = simulation._advance
    moved: list[int] = []

    def advance_together(*args, **kwargs):
        if not getattr(first_batch, "done", False):
            first_batch.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                inside.wait()
        return advance(*args, **kwargs)

    def tick():
        try:
            start.wait()
            moved.append(shipments_advance(now=now, batch=2))
        finally:
            connection.close()

    with mock.patch.object(simulation, "_advance", side_effect=advance_together):
        threads = [threading.Thread(target=tick) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(moved) == 8  # every shipment advanced once, by one tick or the other
    # …and neither tick met a parcel the other had moved (the marketplace would refuse it twice).
    assert not [record.getMessage() for record in caplog.records if record.name == simulation.__name__]
    assert list(HubSortDay.objects.filter(hub=origin).order_by("day").values_list("parcels", flat=True)) == [
        5,
        3,
    ]  # the capacity holds across both ticks, and no booking is lost
    in_transit = ConsignmentStatus.IN_TRANSIT
    for shipment in refreshed(shipments):
        keys = list(_sim_events(shipment).values_list("dedupe_key", flat=True))
        assert len(keys) == len(set(keys)) == shipment.simulation_step
        shipment.consignment.refresh_from_db()
        assert shipment.consignment.status == in_transit or shipment.legs.get(sequence=2).sort_delay


@pytest.mark.django_db
def test_parcels_leaving_on_one_departure_move_their_consignments_in_bulk(scarf, buyer_be, settings):
    """Guards `consignments_mark_in_transit` in the tick: a departure shared by many parcels costs a
    few statements for all their consignments, not a transaction each, and logs each move once."""
    from marketplace.models import OrderEvent

    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, _handed_over = in_flight(scarf, buyer_be, 8)
    departed = _first_departure(shipments[0]) + timedelta(minutes=1)
    shipments_advance(now=departed - timedelta(hours=2), batch=100)  # arrived and sorted
    with CaptureQueriesContext(connection) as departure:
        assert shipments_advance(now=departed, batch=100) == 8
    assert len(departure) <= 25, [q["sql"][:80] for q in departure.captured_queries]
    for shipment in refreshed(shipments):
        consignment = shipment.consignment
        consignment.refresh_from_db()
        assert consignment.status == ConsignmentStatus.IN_TRANSIT
        moves = OrderEvent.objects.filter(consignment=consignment, to_status=ConsignmentStatus.IN_TRANSIT)
        assert moves.count() == 1


@pytest.mark.django_db
def test_parcels_delivered_in_one_tick_release_each_escrow_once_in_a_few_statements(
    scarf, buyer_be, settings
):
    """Guards `consignments_mark_delivered` in the tick: every delivered consignment's escrow is
    released exactly once (the ledger balances, the seller gets goods less commission), each order
    completes, and a delivery tick costs a fixed number of statements, not a transaction a parcel."""

    from django.db.models import Sum

    from marketplace.models import LedgerEntry, LedgerKind, LedgerTransaction, OrderStatus
    from marketplace.models.ledger import seller_account

    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipments, _handed_over = in_flight(scarf, buyer_be, 6)
    # Every event but the door: step to the earliest next event while any parcel's next is another.
    def next_is_the_door(shipment) -> bool:
        legs = list(shipment.legs.select_related("from_hub", "to_hub").order_by("sequence"))
        return timelines.shipment_timeline(shipment, legs)[shipment.simulation_step].status == "delivered"

    while not all(next_is_the_door(s) for s in refreshed(shipments)):
        soonest = min(s.next_event_at for s in refreshed(shipments) if not next_is_the_door(s))
        shipments_advance(now=soonest, batch=100)
    for shipment in refreshed(shipments):
        assert shipment.status == ShipmentStatus.IN_TRANSIT, shipment.status
    door = max(s.next_event_at for s in refreshed(shipments)) + timedelta(minutes=1)
    with CaptureQueriesContext(connection) as delivery:
        assert shipments_advance(now=door, batch=100) == 6
    assert len(delivery) <= 30, [q["sql"][:80] for q in delivery.captured_queries]
    for shipment in refreshed(shipments):
        consignment = shipment.consignment
        consignment.refresh_from_db()
        assert shipment.status == ShipmentStatus.DELIVERED
        assert consignment.status == ConsignmentStatus.DELIVERED and consignment.delivered_at
        assert LedgerTransaction.objects.filter(consignment=consignment, kind=LedgerKind.RELEASE).count() == 1
        assert consignment.order.status == OrderStatus.COMPLETED
    for currency, total in LedgerEntry.objects.values_list("currency").annotate(total=Sum("amount")):
        assert total == 0, currency  # every movement balances
    seller = LedgerEntry.objects.filter(account=seller_account(scarf.shop_id)).aggregate(s=Sum("amount"))["s"]
    # Each release paid the goods less 5% into the shop's yuan, at the rate it recorded.
    assert seller == sum(released_to_shop(s.consignment).amount for s in refreshed(shipments))

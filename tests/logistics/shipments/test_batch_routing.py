"""Routing in batches (`routing.shipments_route`, the `route_shipments` job) and the sweeper
that publishes batches: the same guarantees as one job per shipment — legs once, one booking per
line-haul leg, never past a departure's capacity — with a batch's writes in a few statements."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ewtp import versions
from ewtp.models import OutboxJob
from logistics import jobs, tasks
from logistics.models import DepartureBooking, Hub, Lane, Shipment, ShipmentLeg, ShipmentStatus, TrackingEvent
from logistics.services.network import hub_suspend
from logistics.services.routing import shipment_route, shipments_route
from logistics.services.shipments import shipments_sweep_unrouted
from tests.logistics.shipments.conftest import pay


def paid_shipments(listing, buyer, count: int) -> list[Shipment]:
    listing.stock = count
    listing.save(update_fields=["stock"])
    return [pay(buyer, (listing, 1)).consignments.get().shipment for _ in range(count)]


def assert_routed_once(shipments: list[Shipment]) -> None:
    for shipment in shipments:
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.ROUTED, shipment.exception_detail
        legs = list(shipment.legs.order_by("sequence"))
        assert [leg.sequence for leg in legs] == list(range(1, len(legs) + 1)) and len(legs) >= 3
        assert shipment.eta == legs[-1].planned_arrival
        assert shipment.promised_delivery == shipment.consignment.promised_delivery  # frozen at payment
        assert all(leg.booking_id for leg in legs if leg.kind == "line_haul")
        assert list(shipment.events.order_by("id").values_list("to_status", flat=True)) == [
            "created",
            "routing",
            "routed",
        ]
    bookings = DepartureBooking.objects.all()
    assert sum(b.parcels for b in bookings) == ShipmentLeg.objects.filter(kind="line_haul").count()
    for booking in bookings:  # each departure holds exactly what its legs booked
        legs = ShipmentLeg.objects.filter(booking=booking)
        assert booking.parcels == legs.count()
        assert booking.booked_kg == sum(leg.chargeable_weight_kg for leg in legs)


@pytest.mark.django_db
def test_shipments_route_routes_a_batch_once_as_one_job_per_shipment_would(scarf, buyer_be):
    shipments = paid_shipments(scarf, buyer_be, 4)
    ids = [s.pk for s in shipments]
    now = timezone.now()
    assert shipments_route(shipment_ids=ids, now=now) == dict.fromkeys(ids, "routed")
    assert_routed_once(shipments)
    # The plan is the one the single job writes for the same parcel at the same time.
    single = paid_shipments(scarf, buyer_be, 1)[0]
    assert shipment_route(shipment_id=single.pk, now=now) == "routed"
    fields = ("kind", "from_hub", "to_hub", "lane", "planned_departure", "planned_arrival", "cost_amount")
    planned = {tuple(s.legs.values_list(*fields)) for s in [*shipments, single]}
    assert len(planned) == 1

    # The same batch again (a redelivered job, the sweeper): nothing more is written.
    counts = (ShipmentLeg.objects.count(), TrackingEvent.objects.count(), sum_parcels())
    assert shipments_route(shipment_ids=ids) == dict.fromkeys(ids, "skipped:routed")
    assert (ShipmentLeg.objects.count(), TrackingEvent.objects.count(), sum_parcels()) == counts
    assert shipments_route(shipment_ids=[10**9]) == {10**9: "missing"}


def sum_parcels() -> int:
    return sum(DepartureBooking.objects.values_list("parcels", flat=True))


@pytest.mark.django_db(transaction=True)
def test_shipments_route_from_two_threads_at_once_routes_each_shipment_once(
    scarf, buyer_be, empty_routing_queue
):
    shipments = paid_shipments(scarf, buyer_be, 6)
    ids = [s.pk for s in shipments]
    start = threading.Barrier(2)
    outcomes: list[dict[int, str]] = []
    errors: list[BaseException] = []

    def job() -> None:
        try:
            start.wait()
            outcomes.append(shipments_route(shipment_ids=ids))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for pk in ids:  # exactly one of the two jobs routed each shipment; the other skipped it
        assert sorted(outcome[pk] for outcome in outcomes)[0] == "routed"
        assert [outcome[pk] for outcome in outcomes].count("routed") == 1
    assert_routed_once(shipments)


@pytest.mark.django_db
def test_shipments_route_spreads_a_batch_over_later_departures_when_one_is_full(scarf, buyer_be):
    scarf.weight_kg = Decimal("1.000")
    scarf.save(update_fields=["weight_kg"])
    Lane.objects.update(capacity_kg_per_departure=2)  # two parcels per departure
    versions.bump(versions.NETWORK)  # a bulk update in a test: move the version by hand
    first, *rest = paid_shipments(scarf, buyer_be, 5)
    assert shipments_route(shipment_ids=[first.pk]) == {first.pk: "routed"}
    # Only the first parcel's lanes stay open, so there is no alternative path to spill onto.
    used = set(first.legs.exclude(lane=None).values_list("lane_id", flat=True))
    Lane.objects.exclude(pk__in=used).update(is_active=False)
    versions.bump(versions.NETWORK)

    ids = [s.pk for s in rest]
    assert shipments_route(shipment_ids=ids) == dict.fromkeys(ids, "routed")
    first_lane = first.legs.get(sequence=2).lane_id
    bookings = DepartureBooking.objects.filter(lane_id=first_lane).order_by("departs_at")
    assert [(b.parcels, b.booked_kg) for b in bookings] == [(2, 2), (2, 2), (1, 1)]
    assert all(b.booked_kg <= 2 for b in DepartureBooking.objects.all())
    assert_routed_once([first, *rest])
    expected = sorted(Shipment.objects.values_list("eta", flat=True))
    assert expected[0] == expected[1] < expected[2] == expected[3] < expected[4]


@pytest.mark.django_db
def test_shipments_route_marks_exception_with_the_reason_when_no_route(
    scarf, buyer_be, django_capture_on_commit_callbacks
):
    shipments = paid_shipments(scarf, buyer_be, 2)
    with django_capture_on_commit_callbacks(execute=True):  # the network version moves on commit
        for hub in Hub.objects.all():
            if "BE" in {country.code for country in hub.serves_countries}:
                hub_suspend(hub=hub, reason="Strike")
    ids = [s.pk for s in shipments]
    assert shipments_route(shipment_ids=ids) == dict.fromkeys(ids, "exception")
    for shipment in shipments:
        shipment.refresh_from_db()
        assert (shipment.status, shipment.exception_reason) == ("exception", "destination_hubs_suspended")
        assert "Belgium" in shipment.exception_detail and not shipment.legs.exists()
        event = shipment.events.get(status="exception")
        assert (event.reason, event.description) == ("destination_hubs_suspended", shipment.exception_detail)
    assert not DepartureBooking.objects.exclude(parcels=0).exists()


@pytest.mark.django_db
def test_the_sweeper_asks_for_overdue_shipments_in_batches(scarf, buyer_be, monkeypatch):
    monkeypatch.setattr(jobs, "ROUTING_BATCH", 2)
    shipments = paid_shipments(scarf, buyer_be, 5)
    OutboxJob.objects.all().delete()  # their jobs were taken and lost
    later = timezone.now() + timedelta(minutes=settings.EWTP_ROUTING_SWEEP_MINUTES + 1)
    assert shipments_sweep_unrouted(now=later) == 5
    written = list(OutboxJob.objects.order_by("pk").values_list("task", "args"))
    ids = [s.pk for s in shipments]
    assert written == [("logistics.route_shipments", [ids[i : i + 2]]) for i in (0, 2, 4)]
    assert shipments_sweep_unrouted(now=later) == 0  # not again within the interval

    # What the worker does with one of them.
    assert tasks.route_shipments(ids[:2]) == {"routed": 2}
    assert tasks.route_shipments(ids[:2]) == {"skipped:routed": 2}


@pytest.mark.django_db
def test_shipments_route_hands_only_events_worth_an_email_to_the_parcel_emails(
    scarf, buyer_be, monkeypatch, django_assert_max_num_queries
):
    """Routing's own events ("routing", "route planned") warrant no e-mail: the batch picks that
    from the events it built and hands none over — without querying the events back."""
    from logistics.services import routing as batch_routing

    handed: list[tuple[list[int], dict]] = []
    monkeypatch.setattr(
        batch_routing, "parcel_emails_schedule", lambda ids, **kwargs: handed.append((list(ids), kwargs))
    )
    shipments = paid_shipments(scarf, buyer_be, 2)
    ids = [s.pk for s in shipments]
    shipments_route(shipment_ids=ids)
    written = TrackingEvent.objects.filter(shipment__in=ids, substatus__in=["routing", "route_planned"])
    assert written.count() == 4 and handed == []
    routed_again = paid_shipments(scarf, buyer_be, 2)
    with django_assert_max_num_queries(25) as queries:
        shipments_route(shipment_ids=[s.pk for s in routed_again])
    read_back = 'SELECT "logistics_trackingevent"'
    assert not [q for q in queries.captured_queries if q["sql"].startswith(read_back)]
    assert handed == []


def test_route_shipments_is_a_routing_job_retried_like_route_shipment():
    from ewtp.celery import app

    assert app.amqp.router.route({}, tasks.route_shipments.name)["queue"].name == "routing"
    batch, single = tasks.route_shipments, tasks.route_shipment
    assert batch.autoretry_for == single.autoretry_for
    assert (batch.max_retries, batch.retry_backoff, batch.retry_backoff_max) == (
        single.max_retries,
        single.retry_backoff,
        single.retry_backoff_max,
    )
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost


@pytest.mark.django_db(transaction=True)
def test_two_batches_at_once_never_overbook_a_departure(scarf, buyer_be, empty_routing_queue):
    scarf.weight_kg = Decimal("1.000")
    scarf.save(update_fields=["weight_kg"])
    Lane.objects.update(capacity_kg_per_departure=2)  # two parcels per departure
    versions.bump(versions.NETWORK)
    first, *rest = paid_shipments(scarf, buyer_be, 9)
    assert shipments_route(shipment_ids=[first.pk]) == {first.pk: "routed"}
    used = set(first.legs.exclude(lane=None).values_list("lane_id", flat=True))
    Lane.objects.exclude(pk__in=used).update(is_active=False)  # one path: every parcel competes
    versions.bump(versions.NETWORK)

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def job(ids: list[int]) -> None:
        try:
            start.wait()
            assert set(shipments_route(shipment_ids=ids).values()) == {"routed"}
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job, args=([s.pk for s in rest[i::2]],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    first_lane = first.legs.get(sequence=2).lane_id
    bookings = DepartureBooking.objects.filter(lane_id=first_lane).order_by("departs_at")
    assert [(b.parcels, b.booked_kg) for b in bookings] == [(2, 2)] * 4 + [(1, 1)]
    assert_routed_once([first, *rest])

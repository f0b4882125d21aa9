"""Shipments for paid consignments and the routing service (called in-process; the worker tests
are in test_routing_jobs.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ewtp import versions
from logistics.models import (
    DepartureBooking,
    Hub,
    Lane,
    Shipment,
    ShipmentLeg,
    ShipmentStatus,
    TrackingEvent,
)
from logistics.services.network import hub_suspend
from logistics.services.rerouting import shipments_reroute_around_hub
from logistics.services.routing import shipment_route
from logistics.tracking_numbers import is_valid
from marketplace.models import OrderStatus
from marketplace.services.orders import order_cancel
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_shipment_create_for_consignments_when_an_order_is_paid(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 2))
    consignment = order.consignments.get()
    shipment = Shipment.objects.get(consignment=consignment)
    assert is_valid(shipment.tracking_number)
    assert shipment.status == ShipmentStatus.CREATED
    assert (shipment.origin_country.code, shipment.destination_country.code) == ("CN", "BE")
    assert shipment.weight_kg == Decimal("0.400")
    assert shipment.preference == "cheapest"
    assert shipment.hs_codes == [scarf.hs_code]
    assert shipment.declared_value_amount == consignment.customs_value_amount
    assert (shipment.incoterm, shipment.duties_paid) == ("DDP", True)
    assert list(shipment.events.values_list("status", "substatus")) == [("info_received", "order_paid")]


def test_shipment_route_writes_legs_promise_and_bookings_once(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    assert shipment_route(shipment_id=shipment.pk) == "routed"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ROUTED
    legs = list(shipment.legs.select_related("from_hub", "to_hub"))
    assert [leg.sequence for leg in legs] == list(range(1, len(legs) + 1))
    assert legs[0].kind == "first_mile" and legs[-1].kind == "last_mile"
    assert all(a.planned_arrival <= b.planned_departure for a, b in zip(legs, legs[1:], strict=False))
    assert shipment.eta == legs[-1].planned_arrival
    assert shipment.promised_delivery == order.consignments.get().promised_delivery  # not routing's
    line_haul = [leg for leg in legs if leg.kind == "line_haul"]
    assert line_haul and all(leg.booking_id for leg in line_haul)
    assert sum(b.parcels for b in DepartureBooking.objects.all()) == len(line_haul)
    assert list(shipment.events.values_list("to_status", flat=True)) == ["created", "routing", "routed"]

    # The job again (a redelivered message, the sweeper): nothing more is written.
    assert shipment_route(shipment_id=shipment.pk) == "skipped:routed"
    assert shipment.legs.count() == len(legs)
    assert sum(b.parcels for b in DepartureBooking.objects.all()) == len(line_haul)
    assert shipment.events.count() == 3


def test_a_second_set_of_legs_is_refused_by_the_database(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    first = shipment.legs.first()
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()
    assert shipment.legs.count() == ShipmentLeg.objects.filter(shipment=shipment).count()


def test_shipment_route_marks_exception_with_the_reason_when_no_route(
    scarf, buyer_be, django_capture_on_commit_callbacks
):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    with django_capture_on_commit_callbacks(execute=True):  # the network version moves on commit
        for hub in Hub.objects.all():
            if "BE" in {country.code for country in hub.serves_countries}:
                hub_suspend(hub=hub, reason="Strike")
    assert shipment_route(shipment_id=shipment.pk) == "exception"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.EXCEPTION
    assert shipment.exception_reason == "destination_hubs_suspended"
    assert "Belgium" in shipment.exception_detail
    assert not shipment.legs.exists()
    event = shipment.events.get(status="exception")
    assert (event.reason, event.description) == ("destination_hubs_suspended", shipment.exception_detail)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the money stays in escrow; operators see the reason
    assert shipment_route(shipment_id=shipment.pk) == "skipped:exception"


def test_shipment_route_spreads_parcels_over_later_departures_when_one_is_full(scarf, buyer_be):
    scarf.stock, scarf.weight_kg = 10, Decimal("1.000")
    scarf.save(update_fields=["stock", "weight_kg"])
    Lane.objects.update(capacity_kg_per_departure=2)  # two parcels per departure
    versions.bump(versions.NETWORK)  # a bulk update in a test: move the version by hand
    first = pay(buyer_be, (scarf, 1)).consignments.get().shipment
    assert shipment_route(shipment_id=first.pk) == "routed"
    # Only the first parcel's lanes stay open, so there is no alternative path to spill onto.
    used = set(first.legs.exclude(lane=None).values_list("lane_id", flat=True))
    Lane.objects.exclude(pk__in=used).update(is_active=False)
    versions.bump(versions.NETWORK)
    for _ in range(4):
        shipment = pay(buyer_be, (scarf, 1)).consignments.get().shipment
        assert shipment_route(shipment_id=shipment.pk) == "routed"
    first_lane = first.legs.get(sequence=2).lane_id
    bookings = DepartureBooking.objects.filter(lane_id=first_lane).order_by("departs_at")
    assert [(b.parcels, b.booked_kg) for b in bookings] == [(2, 2), (2, 2), (1, 1)]
    assert all(b.booked_kg <= 2 for b in DepartureBooking.objects.all())
    assert (
        sum(b.parcels for b in DepartureBooking.objects.all())
        == ShipmentLeg.objects.filter(kind="line_haul").count()
    )
    expected = sorted(Shipment.objects.values_list("eta", flat=True))
    assert expected[0] == expected[1] < expected[2] == expected[3] < expected[4]


def test_tracking_events_are_deduplicated_by_key(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    from logistics.services.tracking import tracking_event_record

    for _ in range(2):
        tracking_event_record(
            shipment=shipment,
            status="in_transit",
            substatus="hub_arrival",
            occurred_at=shipment.created_at,
            dedupe_key=f"{shipment.pk}:scan-1",
        )
    assert TrackingEvent.objects.filter(dedupe_key=f"{shipment.pk}:scan-1").count() == 1


def test_cancelling_a_paid_order_cancels_its_shipment_and_gives_back_capacity(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    assert sum(DepartureBooking.objects.values_list("parcels", flat=True)) > 0
    order_cancel(order=order, actor=buyer_be)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    assert shipment.events.filter(to_status="cancelled", substatus="order_cancelled").count() == 1
    assert set(DepartureBooking.objects.values_list("parcels", "booked_kg")) == {(0, 0)}
    assert not shipment.legs.exclude(booking=None).exists()


def test_a_routing_job_for_a_cancelled_order_writes_nothing(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    order_cancel(order=order, actor=buyer_be)
    assert shipment_route(shipment_id=shipment.pk) == "skipped:cancelled"
    assert not shipment.legs.exists() and not DepartureBooking.objects.exists()


def test_suspending_a_hub_reroutes_shipments_planned_through_it_before_hand_over(
    scarf, buyer_be, django_capture_on_commit_callbacks
):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    promised = shipment.promised_delivery
    origin_hub = shipment.legs.get(sequence=1).to_hub  # HGH or SZX: both serve China
    with django_capture_on_commit_callbacks(execute=True):  # the network version moves on commit
        hub_suspend(hub=origin_hub, reason="Typhoon")
    assert shipments_reroute_around_hub(hub_id=origin_hub.pk) == 1  # what the published job does
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ROUTING and not shipment.legs.exists()
    assert set(DepartureBooking.objects.values_list("parcels", "booked_kg")) == {(0, 0)}
    rerouted = shipment.events.get(status="rerouted")
    assert (rerouted.substatus, rerouted.reason) == ("hub_outage", "hub_suspended")
    assert origin_hub.city in rerouted.description

    assert shipment_route(shipment_id=shipment.pk) == "routed"
    shipment.refresh_from_db()
    hubs = {code for pair in shipment.legs.values_list("from_hub__code", "to_hub__code") for code in pair}
    assert origin_hub.code not in hubs
    assert shipment.promised_delivery == promised  # the promise stands; the ETA is the new plan
    assert shipment.eta == shipment.legs.order_by("sequence").last().planned_arrival
    assert shipment.events.filter(to_status="routed").count() == 2
    assert shipments_reroute_around_hub(hub_id=origin_hub.pk) == 0  # nothing routed through it now

"""The simulated e-hub: hand-over, ticks on a fast clock, events along the planned legs, delivery
releasing the seller's escrow once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from ewtp.exceptions import InvalidTransition, PermissionDenied
from logistics.clock import simulation_now
from logistics.models import DepartureBooking, ShipmentStatus, SimulationClock
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from logistics.simulation.clock import advance
from logistics.simulation.timeline import HubInfo, PlannedLeg, customs_hold_days, timeline
from marketplace.models import ConsignmentStatus, OrderEvent, OrderStatus
from marketplace.models.ledger import seller_account
from marketplace.selectors.ledger import account_balance
from marketplace.services.fulfilment import consignment_mark_delivered
from tests.checkout.helpers import released_to_shop
from tests.logistics.shipments.conftest import pay

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_clock_advance_runs_at_speed_and_never_goes_back():
    assert advance(T0, T0, T0 + timedelta(seconds=10), 360) == T0 + timedelta(hours=1)
    assert advance(T0, T0, T0 - timedelta(seconds=10), 360) == T0
    cap = timedelta(seconds=120)
    assert advance(T0, T0, T0 + timedelta(seconds=10), 360, cap) == T0 + timedelta(hours=1)
    assert advance(T0, T0, T0 + timedelta(hours=8), 360, cap) == T0 + timedelta(hours=12)  # paused


@pytest.mark.django_db
def test_a_fast_clock_pauses_while_nothing_runs_it(settings):
    """Guards the gap cap in `simulation_now`: the demo (600×) stopped overnight resumes where it
    was, not 200 simulated days later with every parcel delivered at once."""
    settings.EWTP_SIM_SPEED = 600
    settings.EWTP_SIM_MAX_GAP_SECONDS = 120
    real_before = timezone.now() - timedelta(hours=8)
    SimulationClock.objects.update_or_create(pk=1, defaults={"simulated_at": T0, "real_at": real_before})
    now = simulation_now()
    assert T0 + timedelta(hours=20) <= now <= T0 + timedelta(hours=20, minutes=1)  # 120 s × 600
    assert simulation_now() - now < timedelta(minutes=10)  # and runs on at speed from there


def test_timeline_follows_the_legs_with_customs_at_both_ends():
    hgh = HubInfo("HGH", "Asia/Shanghai", 4, 24)
    lgg = HubInfo("LGG", "Europe/Brussels", 6, 24)
    legs = [
        PlannedLeg(1, "first_mile", None, hgh, T0, T0 + timedelta(hours=24)),
        PlannedLeg(2, "line_haul", hgh, lgg, T0 + timedelta(hours=40), T0 + timedelta(hours=54)),
        PlannedLeg(3, "last_mile", lgg, None, T0 + timedelta(hours=84), T0 + timedelta(hours=132)),
    ]
    events = timeline(legs, handed_over_at=T0 + timedelta(hours=2), crosses_border=True)
    assert [e.substatus for e in events] == [
        "hub_arrival",
        "sorted",
        "export_declared",
        "hub_departure",
        "destination_ehub",
        "sorted",
        "import_presented",
        "released",
        "last_mile_handover",
        "signed",
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[3].at == T0 + timedelta(hours=40)  # the booked departure (ready in time)
    assert events[-1].status == "delivered"
    held = timeline(legs, handed_over_at=T0, crosses_border=True, hold_days=2)
    assert "held" in [e.substatus for e in held]
    assert held[-1].at - events[-1].at >= timedelta(days=2) - timedelta(hours=2)


def test_customs_holds_are_deterministic_and_rare():
    draws = [customs_hold_days("seed", f"EW{n:011d}", 0.03) for n in range(5000)]
    assert draws == [customs_hold_days("seed", f"EW{n:011d}", 0.03) for n in range(5000)]
    held = [d for d in draws if d]
    assert 0.015 < len(held) / len(draws) < 0.045 and set(held) <= {1, 2, 3}


@pytest.mark.django_db
def test_shipment_hand_over_then_ticks_deliver_it_and_release_escrow_once(scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment = consignment.shipment
    with pytest.raises(InvalidTransition):
        shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)  # not routed yet
    shipment_route(shipment_id=shipment.pk)
    with pytest.raises(PermissionDenied):
        shipment_hand_over(consignment=consignment, actor=buyer_be)
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    consignment.refresh_from_db()
    assert consignment.status == ConsignmentStatus.HANDED_OVER

    now = shipment.handed_over_at
    for _ in range(400):  # a fast clock: 2 simulated hours per tick
        now += timedelta(hours=2)
        shipments_advance(now=now)
        shipment.refresh_from_db()
        if shipment.status == ShipmentStatus.DELIVERED:
            break
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipments_advance(now=now + timedelta(days=30)) == 0  # nothing left, nothing twice

    events = list(shipment.events.order_by("occurred_at", "id"))
    statuses = [e.status for e in events]
    assert statuses[:3] == ["info_received"] * 3 and statuses[3] == "picked_up"
    assert statuses[-2:] == ["out_for_delivery", "delivered"]
    assert "customs" in statuses and "arrived_destination" in statuses
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    legs = list(shipment.legs.select_related("from_hub", "to_hub"))
    visited = [e.location_code for e in events if e.substatus in ("hub_arrival", "destination_ehub")]
    assert visited == [leg.to_hub.code for leg in legs if leg.to_hub]  # along the planned legs
    assert all(leg.actual_departure and leg.actual_arrival for leg in legs)
    arrival = next(e for e in events if e.substatus == "destination_ehub")
    assert arrival.local_timezone == legs[-1].from_hub.timezone
    assert shipment.eta == shipment.delivered_at == events[-1].occurred_at

    consignment.refresh_from_db()
    order.refresh_from_db()
    assert consignment.status == ConsignmentStatus.DELIVERED
    assert order.status == OrderStatus.COMPLETED
    released = released_to_shop(consignment)  # in the shop's yuan, at the rate the release recorded
    assert released.currency == "CNY" and released.amount > 0
    assert account_balance(seller_account(scarf.shop.pk), "CNY") == released
    assert consignment.ledger_transactions.count() == 1  # one release
    assert list(OrderEvent.objects.filter(consignment=consignment).values_list("to_status", flat=True)) == [
        "awaiting_payment",
        "ready_to_ship",
        "handed_over",
        "in_transit",
        "delivered",
    ]


@pytest.mark.django_db
def test_shipment_hand_over_in_time_keeps_the_plan(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    before = list(consignment.shipment.legs.values_list("pk", "planned_departure"))
    shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    assert list(consignment.shipment.legs.values_list("pk", "planned_departure")) == before


@pytest.mark.django_db
def test_shipment_hand_over_too_late_for_the_booked_departure_moves_to_a_later_one(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment = consignment.shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    old = shipment.legs.select_related("lane").get(sequence=2)
    drop_off = shipment.legs.get(sequence=1).to_hub_id
    later = old.planned_departure + timedelta(days=2)  # the seller took their time
    with mock.patch("logistics.services.shipments.simulation_now", return_value=later):
        shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    legs = list(shipment.legs.select_related("lane", "to_hub").order_by("sequence"))
    assert legs[0].to_hub_id == drop_off  # the same drop-off hub
    first_mile, line_haul = legs[0], legs[1]
    assert first_mile.planned_departure == later and line_haul.planned_departure > later
    assert line_haul.planned_departure - timedelta(hours=line_haul.lane.cutoff_hours) >= (
        first_mile.planned_arrival + timedelta(hours=first_mile.to_hub.handling_hours)
    )
    assert DepartureBooking.objects.get(pk=old.booking_id).parcels == 0  # the missed one is given back
    assert sum(DepartureBooking.objects.values_list("parcels", flat=True)) == sum(
        1 for leg in legs if leg.kind == "line_haul"
    )
    assert shipment.eta == legs[-1].planned_arrival > shipment.promised_delivery  # late, and it shows
    assert shipment.is_late


@pytest.mark.django_db
def test_a_consignment_an_operator_delivered_by_hand_is_not_released_twice_by_the_tick(scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    consignment_mark_delivered(consignment=consignment)  # the operator, from the courier's proof
    shipments_advance(now=shipment.handed_over_at + timedelta(days=60))
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert consignment.ledger_transactions.count() == 1

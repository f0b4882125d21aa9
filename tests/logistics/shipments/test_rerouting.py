"""Re-routing parcels in flight around a suspended hub or a closed lane, holding those that cannot
avoid it, and letting them go on when the network reopens (issue 10: "Suspending Addis Ababa…").

Shenzhen → Kigali parcels take SZX → ADD → KGL (the cheapest route). Each parcel is handed over and
the simulation ticked to one position on that route; the clock is moved by hand as in
test_simulation.py."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse

from ewtp.models import OutboxJob
from logistics.models import DepartureBooking, Hub, HubStatus, Lane, ShipmentLeg, ShipmentStatus
from logistics.selectors.shipments import shipment_notice, shipments_affected_by_hub
from logistics.services.network import hub_resume, hub_suspend, lane_save
from logistics.services.rerouting import (
    shipments_release_waiting,
    shipments_reroute_around_hub,
    shipments_reroute_around_lane,
    shipments_sweep_outages,
)
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from logistics.services.timelines import shipment_timeline
from tests.celery_worker import running_worker
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db

ROUTE = ["SZX", "ADD", "KGL"]


def outbox_tasks() -> list[tuple[str, list]]:
    """The jobs written to the outbox, oldest first (the relay publishes them)."""
    return list(OutboxJob.objects.order_by("pk").values_list("task", "args"))


@pytest.fixture
def scarves(scarf, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0  # no customs holds: the days below are the route's own
    scarf.stock = 50
    scarf.save(update_fields=["stock"])
    return scarf


def hubs_of(shipment) -> list[str]:
    legs = shipment.legs.select_related("to_hub").order_by("sequence")
    return [leg.to_hub.code for leg in legs if leg.to_hub]


def milestone_at(shipment, key: str):
    legs = list(shipment.legs.select_related("from_hub", "to_hub").order_by("sequence"))
    return next(m.at for m in shipment_timeline(shipment, legs) if m.key == key)


def in_flight(scarf, buyer, *, until: str | None):
    """A Shenzhen → Kigali parcel, handed over, and the simulation ticked up to milestone `until`."""
    consignment = pay(buyer, (scarf, 1), country="RW").consignments.get()
    assert shipment_route(shipment_id=consignment.shipment.pk) == "routed"
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    assert hubs_of(shipment) == ROUTE
    if until is not None:
        shipments_advance(now=milestone_at(shipment, until))
    shipment.refresh_from_db()
    return shipment


def tick_until_delivered(shipments, now):
    for _ in range(600):  # a fast clock: 2 simulated hours per tick
        now += timedelta(hours=2)
        shipments_advance(now=now)
        if all(s.status == ShipmentStatus.DELIVERED for s in refreshed(shipments)):
            return now
    raise AssertionError([s.status for s in refreshed(shipments)])


def refreshed(shipments):
    for shipment in shipments:
        shipment.refresh_from_db()
    return shipments


def wait_until(predicate, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.25)
    return predicate()


def assert_bookings_match_legs():
    """Every booked kilogram belongs to a leg still planned: nothing leaked, nothing twice."""
    booked = Counter(ShipmentLeg.objects.exclude(booking=None).values_list("booking_id", flat=True))
    for booking in DepartureBooking.objects.all():
        assert booking.parcels == booked.get(booking.pk, 0), booking


def assert_events_follow_the_legs(shipment):
    events = list(shipment.events.order_by("occurred_at", "id"))
    keys = [e.dedupe_key for e in events]
    assert len(keys) == len(set(keys))
    sim = [e for e in events if e.source == "simulation"]
    visited = [e.location_code for e in sim if e.substatus in ("hub_arrival", "destination_ehub")]
    assert visited == hubs_of(shipment)  # every hub of the final route, once, in order
    assert [e.occurred_at for e in sim] == sorted(e.occurred_at for e in sim)


def test_suspending_addis_ababa_reroutes_parcels_before_it_holds_those_at_it_and_resume_releases_them(
    scarves, buyer_be, django_capture_on_commit_callbacks, empty_routing_queue
):
    addis = Hub.objects.get(code="ADD")
    # One clock, four positions (each ticked after the ones ahead of it, so they stay put).
    past = in_flight(scarves, buyer_be, until="3:hub_departure")  # left Addis for Kigali
    at_hub = in_flight(scarves, buyer_be, until="2:arrived")  # at Addis Ababa
    heading = in_flight(scarves, buyer_be, until="2:hub_departure")  # in the air to Addis
    before = in_flight(scarves, buyer_be, until="1:sorted")  # sorted at Shenzhen
    not_handed_over = pay(buyer_be, (scarves, 1), country="RW").consignments.get().shipment
    shipment_route(shipment_id=not_handed_over.pk)
    now = milestone_at(before, "1:sorted")
    promised, old_eta = before.promised_delivery, before.eta
    past_legs = list(past.legs.values_list("pk", "planned_departure"))
    before_first_leg = before.legs.get(sequence=1).pk

    OutboxJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # the network version moves on commit
        hub_suspend(hub=addis, reason="Runway closed")
    assert outbox_tasks() == [("logistics.route_around_hub", [addis.pk])]
    assert shipments_reroute_around_hub(hub_id=addis.pk, now=now) == 4  # what the job does

    # Not yet at Addis: re-planned from Shenzhen, around it, the leg travelled kept.
    refreshed([before, at_hub, heading, past, not_handed_over])
    legs = list(before.legs.select_related("from_hub", "to_hub").order_by("sequence"))
    assert [leg.sequence for leg in legs] == list(range(1, len(legs) + 1))  # no duplicates, no gaps
    assert legs[0].pk == before_first_leg and legs[1].from_hub.code == "SZX"
    assert "ADD" not in {hub.code for leg in legs for hub in (leg.from_hub, leg.to_hub) if hub}
    assert hubs_of(before)[-1] == "KGL"
    event = before.events.get(status="rerouted")
    assert (event.substatus, event.reason, event.location_code) == ("hub_outage", "hub_suspended", "ADD")
    assert before.eta == legs[-1].planned_arrival and before.eta != old_eta
    assert before.promised_delivery == promised
    assert before.waiting_at_hub is None and before.next_event_at is not None
    notice = shipment_notice(before)
    assert notice.kind == "rerouted"
    assert notice.text.startswith("Re-routed around Addis Ababa (out of service): now arrives ")

    # Heading to Addis, or there already: they wait there; the legs after it are given back.
    for held in (heading, at_hub):
        assert held.waiting_at_hub == addis and held.eta is None
        assert hubs_of(held) == ["SZX", "ADD"]
        assert held.events.filter(status="exception", substatus="waiting_hub_outage").count() == 1
        assert shipment_notice(held).text == "Waiting at Addis Ababa until the e-hub reopens."
    # Past Addis: untouched.
    assert list(past.legs.values_list("pk", "planned_departure")) == past_legs
    assert not past.events.filter(status__in=["rerouted", "exception"]).exists()
    assert past.waiting_at_hub is None and shipment_notice(past) is None
    # Not handed over: planned again from scratch, as before.
    assert not_handed_over.status == ShipmentStatus.ROUTING and not not_handed_over.legs.exists()
    assert_bookings_match_legs()
    assert shipments_reroute_around_hub(hub_id=addis.pk, now=now) == 0  # the job again: nothing

    # The simulation takes the held parcels into Addis, sorts them, and leaves them there.
    later = milestone_at(past, "3:hub_departure") + timedelta(days=1)
    t = now
    while t < later:
        t += timedelta(hours=2)
        shipments_advance(now=t)
    for held in refreshed([heading, at_hub]):
        assert held.status == ShipmentStatus.IN_TRANSIT and held.next_event_at is None
        last = held.events.order_by("-occurred_at", "-id").first()
        assert (last.location_code, last.substatus) == ("ADD", "sorted")
    assert shipments_advance(now=later + timedelta(days=30)) >= 0
    assert not heading.events.filter(location_code="KGL").exists()

    OutboxJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=addis)
    assert outbox_tasks() == [("logistics.route_waiting_shipments", [])]
    assert shipments_release_waiting(now=later) == 2
    for held in refreshed([heading, at_hub]):
        assert held.waiting_at_hub is None and held.next_event_at is not None and held.eta > later
        assert hubs_of(held) == ROUTE
        assert shipment_notice(held).text.startswith(
            "On its way again after waiting at Addis Ababa: now arrives"
        )
    assert_bookings_match_legs()

    tick_until_delivered([before, heading, at_hub, past], later)
    for shipment in (before, heading, at_hub, past):
        assert_events_follow_the_legs(shipment)
        assert shipment.consignment.ledger_transactions.count() == 1  # escrow released once
        assert shipment_notice(shipment) is None  # delivered: nothing to warn about


def test_a_parcel_with_no_path_around_the_outage_waits_at_its_next_hub(
    scarves, buyer_be, django_capture_on_commit_callbacks
):
    parcel = in_flight(scarves, buyer_be, until="1:sorted")
    now = milestone_at(parcel, "1:sorted")
    kigali = Hub.objects.get(code="KGL")
    others = Lane.objects.filter(destination=kigali).exclude(origin__code="ADD")
    with django_capture_on_commit_callbacks(execute=True):
        for lane in others:  # Kigali only through Addis Ababa now
            lane.is_active = False
            lane_save(lane=lane)
        hub_suspend(hub=Hub.objects.get(code="ADD"), reason="Strike")
    shipments_reroute_around_hub(hub_id=Hub.objects.get(code="ADD").pk, now=now)
    parcel.refresh_from_db()
    assert parcel.waiting_at_hub.code == "SZX" and hubs_of(parcel) == ["SZX"]
    assert shipment_notice(parcel).text == "Waiting at Shenzhen until a route reopens."
    assert_bookings_match_legs()
    # Asked again while nothing reopened: it keeps waiting, nothing is written.
    events = parcel.events.count()
    assert shipments_release_waiting(now=now + timedelta(hours=1)) == 0
    assert parcel.events.count() == events
    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=Hub.objects.get(code="ADD"))
    assert shipments_release_waiting(now=now + timedelta(hours=2)) == 1
    parcel.refresh_from_db()
    assert parcel.waiting_at_hub is None and hubs_of(parcel) == ROUTE
    tick_until_delivered([parcel], now)
    assert_events_follow_the_legs(parcel)


def test_a_parcel_at_its_suspended_destination_hub_goes_out_for_delivery_only_after_it_resumes(
    scarves, buyer_be, django_capture_on_commit_callbacks
):
    parcel = in_flight(scarves, buyer_be, until="3:arrived")  # at Kigali, the destination e-hub
    kigali = Hub.objects.get(code="KGL")
    now = milestone_at(parcel, "3:arrived")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=kigali, reason="Power cut")
    assert shipments_reroute_around_hub(hub_id=kigali.pk, now=now) == 1
    parcel.refresh_from_db()
    assert parcel.waiting_at_hub == kigali and hubs_of(parcel) == ROUTE
    assert not parcel.legs.filter(kind="last_mile").exists()
    reopened = now + timedelta(days=3)
    t = now
    while t < reopened:  # it is sorted, then goes nowhere
        t += timedelta(hours=2)
        shipments_advance(now=t)
    parcel.refresh_from_db()
    assert parcel.next_event_at is None
    assert not parcel.events.filter(status__in=["out_for_delivery", "delivered"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=kigali)
    assert shipments_release_waiting(now=reopened) == 1
    tick_until_delivered([parcel], reopened)
    out = parcel.events.get(status="out_for_delivery")
    assert out.occurred_at >= reopened  # the last mile leaves when the hub reopened, not before
    assert parcel.events.filter(substatus="import_presented").count() == 1  # customs once
    assert_events_follow_the_legs(parcel)


def test_closing_a_lane_diverts_parcels_at_its_origin_and_replans_those_not_handed_over(
    scarves, buyer_be, django_capture_on_commit_callbacks, empty_routing_queue
):
    parcel = in_flight(scarves, buyer_be, until="1:sorted")
    waiting_for_pickup = pay(buyer_be, (scarves, 1), country="RW").consignments.get().shipment
    shipment_route(shipment_id=waiting_for_pickup.pk)
    now = milestone_at(parcel, "1:sorted")
    lane = parcel.legs.get(sequence=2).lane  # SZX → ADD
    OutboxJob.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        lane.is_active = False
        lane_save(lane=lane)
    assert outbox_tasks() == [("logistics.route_around_lane", [lane.pk])]
    assert shipments_reroute_around_lane(lane_id=lane.pk, now=now) == 2
    parcel.refresh_from_db()
    legs = list(parcel.legs.order_by("sequence"))
    assert legs[1].from_hub.code == "SZX" and lane.pk not in {leg.lane_id for leg in legs}
    event = parcel.events.get(status="rerouted")
    assert (event.substatus, event.reason) == ("lane_closed", "lane_inactive")
    assert shipment_notice(parcel).text.startswith("Re-routed around a closed connection")
    waiting_for_pickup.refresh_from_db()
    assert waiting_for_pickup.status == ShipmentStatus.ROUTING
    assert_bookings_match_legs()
    tick_until_delivered([parcel], now)
    assert_events_follow_the_legs(parcel)


def test_hub_admin_suspend_previews_the_shipments_it_will_reroute_or_hold(
    admin_client, scarves, buyer_be, django_capture_on_commit_callbacks
):
    addis = Hub.objects.get(code="ADD")
    past = in_flight(scarves, buyer_be, until="3:hub_departure")
    at_hub = in_flight(scarves, buyer_be, until="2:arrived")
    before = in_flight(scarves, buyer_be, until="1:sorted")
    affected = {a.shipment.pk: a for a in shipments_affected_by_hub(addis)}
    assert set(affected) == {at_hub.pk, before.pk}
    assert (affected[at_hub.pk].outcome, affected[at_hub.pk].where) == ("hold", "at Addis Ababa")
    assert (affected[before.pk].outcome, affected[before.pk].where) == ("reroute", "at Shenzhen")

    url = reverse("admin:logistics_hub_changelist")
    selection = {"action": "suspend_hubs", "_selected_action": [addis.pk]}
    preview = admin_client.post(url, selection)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert before.tracking_number in text and at_hub.tracking_number in text
    assert past.tracking_number not in text
    assert "at Addis Ababa" in text
    addis.refresh_from_db()
    assert addis.status == HubStatus.ACTIVE  # the preview changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**selection, "apply": "1", "reason": "Runway closed"}, follow=True)
    addis.refresh_from_db()
    assert addis.status == HubStatus.SUSPENDED


def test_rerouted_events_and_notices_reach_the_api_the_tracking_page_and_the_order_page(
    client, api_client, scarves, buyer_be, django_capture_on_commit_callbacks
):
    parcel = in_flight(scarves, buyer_be, until="1:sorted")
    addis = Hub.objects.get(code="ADD")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=addis, reason="Strike")
    shipments_reroute_around_hub(hub_id=addis.pk, now=milestone_at(parcel, "1:sorted"))
    parcel.refresh_from_db()

    url = reverse("api-shipment-tracking", kwargs={"tracking_number": parcel.tracking_number})
    body = api_client.get(url)
    assert body.status_code == 200
    rerouted = [e for e in body.json()["events"] if e["status"] == "rerouted"]
    assert len(rerouted) == 1 and rerouted[0]["substatus"] == "hub_outage"
    assert body.json()["eta"]

    notice = shipment_notice(parcel).text
    page = client.get(reverse("track", kwargs={"tracking_number": parcel.tracking_number}))
    assert notice in page.content.decode()

    client.force_login(buyer_be)
    order = parcel.consignment.order
    page = client.get(reverse("order-detail", kwargs={"number": order.number}))
    assert notice in page.content.decode()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_route_around_hub_job_reroutes_parcels_in_flight_through_a_real_worker(
    scarves, buyer_be, empty_routing_queue
):
    with running_worker(queues="routing"):
        consignment = pay(buyer_be, (scarves, 1), country="RW").consignments.get()
        assert wait_until(lambda: consignment.shipment.legs.exists())  # routed by the worker
        shipment = shipment_hand_over(consignment=consignment, actor=scarves.shop.owner)
        assert hubs_of(shipment) == ROUTE
        shipments_advance(now=milestone_at(shipment, "1:sorted"))
        addis = hub_suspend(hub=Hub.objects.get(code="ADD"), reason="Runway closed")  # commits
        assert wait_until(lambda: shipment.events.filter(status="rerouted").exists())
    assert "ADD" not in hubs_of(shipment) and hubs_of(shipment)[-1] == "KGL"
    assert addis.status == HubStatus.SUSPENDED
    assert_bookings_match_legs()


def test_the_outage_sweeper_does_what_lost_rerouting_jobs_would_have_done(
    scarves, buyer_be, django_capture_on_commit_callbacks
):
    before = in_flight(scarves, buyer_be, until="1:sorted")
    now = milestone_at(before, "1:sorted")
    heading = in_flight(scarves, buyer_be, until=None)  # on the first mile, planned through Addis
    addis = Hub.objects.get(code="ADD")
    with django_capture_on_commit_callbacks(execute=True):
        hub_suspend(hub=addis, reason="Strike")
    OutboxJob.objects.all().delete()  # its job lost (taken by a worker that died)
    assert not before.events.filter(status="rerouted").exists()
    assert shipments_sweep_outages(now=now) == 2
    refreshed([before, heading])
    assert "ADD" not in hubs_of(before) and before.events.filter(status="rerouted").count() == 1
    assert "ADD" not in hubs_of(heading)
    assert shipments_sweep_outages(now=now) == 0  # idempotent: nothing left to do

    # Close the lane it now takes out of Shenzhen: with Addis still down, no path is left.
    lane = before.legs.get(sequence=2).lane
    with django_capture_on_commit_callbacks(execute=True):
        lane.is_active = False
        lane_save(lane=lane)
    OutboxJob.objects.all().delete()  # lost
    assert shipments_sweep_outages(now=now) == 2
    for parcel in refreshed([before, heading]):
        assert parcel.waiting_at_hub.code == "SZX"
        assert parcel.events.filter(substatus="waiting_hub_outage", reason="lane_inactive").exists()

    with django_capture_on_commit_callbacks(execute=True):
        hub_resume(hub=addis)
    OutboxJob.objects.all().delete()  # its release job is lost too
    assert shipments_sweep_outages(now=now) == 2
    for parcel in refreshed([before, heading]):
        assert parcel.waiting_at_hub is None and hubs_of(parcel) == ROUTE
    assert_bookings_match_legs()

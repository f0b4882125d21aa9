"""E-mails to the buyer about their parcel (hand-over, customs hold, re-route, delivery): a job
written to the outbox with the event (for the `default` queue), sent once per event however often
the job runs, and about the buyer's own parcel only."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import connection

from ewtp.celery import app
from ewtp.models import OutboxJob
from logistics import tasks
from logistics.models import ParcelEmail, Shipment, ShipmentStatus, TrackingEvent, TrackingStatus
from logistics.services.network import hub_suspend
from logistics.services.parcel_emails import parcel_emails_schedule, parcel_emails_send, parcel_emails_sweep
from logistics.services.rerouting import shipments_reroute_around_hub
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from logistics.services.tracking import tracking_event_record, tracking_events_insert
from marketplace.selectors.checkout import CheckoutItem
from marketplace.services.payments import order_pay
from marketplace.services.placing import ShipTo, order_place
from tests.celery_worker import running_worker
from tests.checkout.helpers import CARD_OK, ship_to
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db

TASK = "logistics.send_parcel_emails"


@pytest.fixture
def broker():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("default", "routing")
    yield client
    client.delete("default", "routing")


def parcel_jobs(broker=None) -> list[list[int]]:
    """Take the parcel e-mail jobs written to the outbox (their event ids), oldest first."""
    rows = OutboxJob.objects.filter(task=TASK).order_by("pk")
    jobs = [row.args[0] for row in rows]
    rows.delete()
    return jobs


def run(jobs: list[list[int]]) -> int:
    """What the worker does with each job: call the task."""
    return sum(tasks.send_parcel_emails(ids) for ids in jobs)


def routed(buyer, listing) -> Shipment:
    shipment = pay(buyer, (listing, 1)).consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    return shipment


def hand_over(shipment: Shipment, capture) -> Shipment:
    with capture(execute=True):
        return shipment_hand_over(consignment=shipment.consignment, actor=shipment.consignment.shop.owner)


def drive_to_delivery(shipment: Shipment, capture) -> None:
    now = shipment.handed_over_at
    for _ in range(400):
        now += timedelta(hours=2)
        with capture(execute=True):
            shipments_advance(now=now)
        shipment.refresh_from_db()
        if shipment.status == ShipmentStatus.DELIVERED:
            return
    raise AssertionError("never delivered")


def event(shipment: Shipment, status: str, substatus: str | None = None) -> TrackingEvent:
    events = shipment.events.filter(status=status)
    return events.get(substatus=substatus) if substatus else events.get()


def test_hand_over_emails_the_buyer_once_with_number_link_and_order(
    scarf, buyer_be, broker, mailoutbox, django_capture_on_commit_callbacks
):
    shipment = routed(buyer_be, scarf)
    shipment = hand_over(shipment, django_capture_on_commit_callbacks)
    picked_up = event(shipment, TrackingStatus.PICKED_UP)
    jobs = parcel_jobs(broker)
    assert jobs == [[picked_up.pk]]  # ids only
    assert app.amqp.router.route({}, TASK)["queue"].name == "default"

    assert run(jobs) == 1
    [message] = mailoutbox
    number, order = shipment.tracking_number, shipment.consignment.order.number
    assert message.to == [buyer_be.email]
    assert number in message.subject and order in message.subject and "on its way" in message.subject
    assert f"{settings.EWTP_SITE_URL}/track/{number}/" in message.body
    assert f"{settings.EWTP_SITE_URL}/orders/{order}/" in message.body
    assert scarf.shop.name in message.body

    assert run(jobs) == 0  # the job redelivered: nothing sent twice
    assert parcel_emails_send(event_ids=[picked_up.pk]) == 0
    assert len(mailoutbox) == 1
    assert list(ParcelEmail.objects.values_list("event_id", "kind")) == [(picked_up.pk, "handed_over")]


def test_ordinary_scans_send_nothing_and_delivery_sends_one(
    scarf, buyer_be, broker, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    shipment = hand_over(routed(buyer_be, scarf), django_capture_on_commit_callbacks)
    parcel_jobs(broker)  # the hand-over's
    drive_to_delivery(shipment, django_capture_on_commit_callbacks)
    delivered = event(shipment, TrackingStatus.DELIVERED)
    assert shipment.events.count() > 10  # arrivals, sorting, customs, departures, out for delivery…
    assert parcel_jobs(broker) == [[delivered.pk]]  # …of which only the delivery warrants an e-mail

    ordinary = shipment.events.exclude(status__in=["picked_up", "delivered"]).values_list("pk", flat=True)
    parcel_emails_schedule(list(ordinary))
    assert parcel_jobs() == []
    assert parcel_emails_send(event_ids=list(ordinary)) == 0

    assert run([[delivered.pk]]) == 1
    [message] = mailoutbox
    assert "delivered" in message.subject and shipment.tracking_number in message.subject
    assert f"/track/{shipment.tracking_number}/" in message.body


def test_a_customs_hold_emails_the_buyer(
    scarf, buyer_be, broker, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EWTP_CUSTOMS_HOLD_RATE = 1.0
    shipment = hand_over(routed(buyer_be, scarf), django_capture_on_commit_callbacks)
    drive_to_delivery(shipment, django_capture_on_commit_callbacks)
    held = event(shipment, TrackingStatus.CUSTOMS, "held")
    jobs = parcel_jobs(broker)
    assert sorted(i for job in jobs for i in job) == sorted(
        [
            event(shipment, TrackingStatus.PICKED_UP).pk,
            held.pk,
            event(shipment, TrackingStatus.DELIVERED).pk,
        ]
    )
    assert run(jobs) == 3
    subjects = [m.subject for m in mailoutbox]
    assert ["on its way" in s for s in subjects] == [True, False, False]
    assert "held by customs" in subjects[1] and "delivered" in subjects[2]
    hold = mailoutbox[1]
    assert held.hub.city in hold.body and "nothing for you to pay" in hold.body
    assert shipment.tracking_number in hold.body and shipment.consignment.order.number in hold.body


def test_a_re_route_emails_the_buyer(scarf, buyer_be, broker, mailoutbox, django_capture_on_commit_callbacks):
    shipment = routed(buyer_be, scarf)
    hub = shipment.legs.get(sequence=1).to_hub
    hub_suspend(hub=hub, reason="flooding")
    with django_capture_on_commit_callbacks(execute=True):
        assert shipments_reroute_around_hub(hub_id=hub.pk) == 1
    rerouted = event(shipment, TrackingStatus.REROUTED)
    jobs = parcel_jobs(broker)
    assert jobs == [[rerouted.pk]]
    assert run(jobs) == 1
    [message] = mailoutbox
    assert "another route" in message.subject and shipment.tracking_number in message.subject
    assert hub.city in message.body  # why: the hub out of service
    assert f"/track/{shipment.tracking_number}/" in message.body


def test_a_replayed_event_is_neither_stored_nor_emailed_twice(
    scarf, buyer_be, broker, django_capture_on_commit_callbacks
):
    shipment = routed(buyer_be, scarf)
    fields = {
        "shipment": shipment,
        "status": TrackingStatus.PICKED_UP,
        "substatus": "first_mile_scan",
        "occurred_at": shipment.routed_at,
        "dedupe_key": f"{shipment.pk}:test-scan",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = tracking_event_record(**fields)
    again = tracking_event_record(**fields)
    assert first == TrackingEvent.objects.get(dedupe_key=fields["dedupe_key"]).pk
    assert again is None
    assert parcel_jobs(broker) == [[first]]  # one job: the replay asked for none


def test_parcel_emails_go_to_each_buyer_about_their_own_parcel_only(
    scarf, batik, buyer_be, other_buyer, broker, mailoutbox, django_capture_on_commit_callbacks
):
    mine = routed(buyer_be, scarf)
    order = order_place(
        buyer=other_buyer,
        items=[CheckoutItem(listing=batik, quantity=1)],
        ship_to=ShipTo(
            **{**ship_to("BE"), "name": "Juma Otieno", "line1": "Avenue Louise 9", "phone": "+32 2 999 88 77"}
        ),
        currency="EUR",
        preference="cheapest",
    )
    order_pay(order=order, card_number=CARD_OK, actor=other_buyer)
    theirs = Shipment.objects.get(consignment__order=order)
    shipment_route(shipment_id=theirs.pk)
    theirs.refresh_from_db()
    hand_over(mine, django_capture_on_commit_callbacks)
    hand_over(theirs, django_capture_on_commit_callbacks)
    ids = [i for job in parcel_jobs(broker) for i in job]
    assert run([ids]) == 2  # one job for both: no context leaks from one mail into the next

    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert set(by_recipient) == {(buyer_be.email,), (other_buyer.email,)}
    for shipment, buyer, other in ((mine, buyer_be, theirs), (theirs, other_buyer, mine)):
        message = by_recipient[(buyer.email,)]
        text = message.subject + message.body
        assert shipment.tracking_number in text and shipment.consignment.order.number in text
        other_order = other.consignment.order
        for foreign in (
            other.tracking_number,
            other_order.number,
            other_order.buyer.email,
            other_order.ship_to_name,
            other_order.ship_to_line1,
            other_order.ship_to_phone,
        ):
            assert foreign not in text
        seller = shipment.consignment.shop.owner
        for private in (seller.email, seller.username, shipment.consignment.order.ship_to_phone):
            assert private not in text


def test_tracking_events_insert_returns_only_the_rows_it_wrote(
    scarf, buyer_be, broker, django_capture_on_commit_callbacks
):
    shipment = routed(buyer_be, scarf)
    stored = set(shipment.events.values_list("dedupe_key", flat=True))

    def scan(key: str, status: str = TrackingStatus.IN_TRANSIT) -> TrackingEvent:
        return TrackingEvent(
            shipment=shipment,
            status=status,
            substatus="sorted",
            occurred_at=shipment.routed_at,
            source="simulation",
            dedupe_key=key if key in stored else f"{shipment.pk}:{key}",
        )

    batch = [
        scan("a"),
        scan(next(iter(stored)), TrackingStatus.DELIVERED),  # already stored: dropped, not e-mailed
        scan("b", TrackingStatus.DELIVERED),
        scan("a"),  # twice in one call
    ]
    with django_capture_on_commit_callbacks(execute=True):
        inserted = tracking_events_insert(batch)
    assert [e.dedupe_key for e in inserted] == [f"{shipment.pk}:a", f"{shipment.pk}:b"]
    assert all(e.pk == TrackingEvent.objects.get(dedupe_key=e.dedupe_key).pk for e in inserted)
    assert parcel_jobs(broker) == [[inserted[1].pk]]  # only the delivery warrants an e-mail
    with django_capture_on_commit_callbacks(execute=True):
        assert tracking_events_insert([scan("a"), scan("b")]) == []
    assert parcel_jobs(broker) == []


def test_parcel_email_jobs_go_on_the_default_queue_and_retry_mail_errors():
    assert app.amqp.router.route({}, tasks.send_parcel_emails.name)["queue"].name == "default"
    assert OSError in tasks.send_parcel_emails.autoretry_for
    assert tasks.send_parcel_emails.max_retries and tasks.send_parcel_emails.retry_backoff


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_the_same_job_at_once_send_one_email(scarf, buyer_be, mailoutbox):
    shipment = routed(buyer_be, scarf)
    shipment = shipment_hand_over(consignment=shipment.consignment, actor=scarf.shop.owner)
    ids = [event(shipment, TrackingStatus.PICKED_UP).pk]
    start = threading.Barrier(2)
    results: list[int] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(parcel_emails_send(event_ids=ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert len(mail.outbox) == 1 and ParcelEmail.objects.count() == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_hand_over_email_after_commit(scarf, buyer_be, broker, tmp_path):
    shipment = routed(buyer_be, scarf)
    OutboxJob.objects.all().delete()
    shipment_hand_over(consignment=shipment.consignment, actor=scarf.shop.owner)
    assert OutboxJob.objects.filter(task=TASK).count() == 1 and broker.llen("default") == 0
    with running_worker(
        queues="default",
        EWTP_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    ):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ParcelEmail.objects.exists():
            time.sleep(0.2)
        time.sleep(0.5)
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert f"/track/{shipment.tracking_number}/" in written and buyer_be.email in written
    assert ParcelEmail.objects.count() == 1


def test_the_sweeper_asks_again_for_the_emails_whose_job_gave_up(
    scarf, buyer_be, other_buyer, broker, mailoutbox
):
    """Guards `parcel_emails_sweep` (beat `sweep-parcel-emails`): the hand-over's job is taken
    here and never run (as when the mail server stayed down past the job's retries)."""
    shipment = routed(buyer_be, scarf)
    shipment = shipment_hand_over(consignment=shipment.consignment, actor=scarf.shop.owner)
    picked_up = event(shipment, TrackingStatus.PICKED_UP)
    assert parcel_jobs(broker) == [[picked_up.pk]]  # taken, and lost
    now = picked_up.recorded_at
    assert parcel_emails_sweep(now=now + timedelta(minutes=1)) == 0  # the normal path's time
    assert parcel_jobs(broker) == []

    assert parcel_emails_sweep(now=now + timedelta(minutes=6)) == 1
    jobs = parcel_jobs(broker)
    assert jobs == [[picked_up.pk]]
    assert run(jobs) == 1 and mailoutbox[0].to == [buyer_be.email]
    assert parcel_emails_sweep(now=now + timedelta(minutes=11)) == 0  # sent: never again
    assert parcel_jobs(broker) == []

    # A buyer with no address, or an event days old, is not swept either.
    silent = routed(other_buyer, scarf)
    silent = shipment_hand_over(consignment=silent.consignment, actor=scarf.shop.owner)
    parcel_jobs()  # taken, and lost
    buyers = type(other_buyer).objects.filter(pk=other_buyer.pk)
    buyers.update(email="")
    assert parcel_emails_sweep(now=now + timedelta(minutes=11)) == 0
    buyers.update(email="other@example.org")
    assert parcel_emails_sweep(now=now + timedelta(days=3)) == 0
    assert parcel_jobs(broker) == []
    assert parcel_emails_sweep(now=now + timedelta(minutes=11)) == 1
    assert parcel_jobs(broker) == [[event(silent, TrackingStatus.PICKED_UP).pk]]

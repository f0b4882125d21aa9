"""Webhooks for integrators (issue 21): endpoints registered over the API, order and shipment
events signed per the Standard Webhooks specification, delivered by Celery with back-off, a
delivery log and replay, failing endpoints disabled, and no way into the private network."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from ewtp.models import OutboxJob
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.models import WebhookDelivery, WebhookEndpoint
from marketplace.services import webhook_transport
from marketplace.services.webhooks import webhook_deliver, webhook_deliveries_sweep
from tests.celery_worker import running_worker
from tests.logistics.shipments.conftest import pay
from tests.marketplace.factories import UserFactory

ALL_EVENTS = ["order.paid", "shipment.handed_over", "shipment.tracking_event", "shipment.delivered"]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class Receiver:
    """A local HTTP receiver answering the given statuses in turn (then the last one for ever)."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                """Quiet: the test reads the requests, not the server's log."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/ewtp"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(*statuses: int) -> Receiver:
        made.append(Receiver(list(statuses) or [200]))
        return made[-1]

    yield make
    for one in made:
        one.close()


def register(user, url: str, events=None):
    return api(user).post("/api/v1/webhooks/", {"url": url, "events": events or ALL_EVENTS}, format="json")


@pytest.mark.django_db
def test_registering_answers_201_with_the_secret_once(scarf, settings):
    seller = scarf.shop.owner
    response = register(seller, "https://hooks.example.com/ewtp", ["order.paid"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["secret"].startswith("whsec_") and body["events"] == ["order.paid"]
    assert body["active"] is True and body["shop"] == scarf.shop.slug
    Webhook(body["secret"])  # a secret the Standard Webhooks libraries read
    # Never again: not in the list, not in the detail.
    listed = api(seller).get("/api/v1/webhooks/").json()
    assert [e["id"] for e in listed["results"]] == [body["id"]] and "secret" not in listed["results"][0]
    assert "secret" not in api(seller).get(f"/api/v1/webhooks/{body['id']}/").json()


@pytest.mark.django_db
def test_bad_endpoints_are_refused_with_a_clear_400(scarf, buyer_be, settings):
    settings.DEBUG = False
    seller = scarf.shop.owner
    cases = {
        "http://hooks.example.com/x": "url",  # https only in production
        "https://127.0.0.1/x": "url",
        "https://10.1.2.3/x": "url",
        "https://[::1]/x": "url",
        "https://localhost/x": "url",
        "https://user:pw@hooks.example.com/x": "url",
        "ftp://hooks.example.com/x": "url",
    }
    for url, field in cases.items():
        response = register(seller, url)
        assert response.status_code == 400, url
        assert field in response.json(), (url, response.json())
    response = register(seller, "https://hooks.example.com/x", ["order.shipped"])
    assert response.status_code == 400 and "events" in response.json()
    empty = api(seller).post(
        "/api/v1/webhooks/", {"url": "https://hooks.example.com/x", "events": []}, format="json"
    )
    assert empty.status_code == 400 and "events" in empty.json()
    # Buyers have nothing to be told of; anonymous callers are not let in.
    assert register(buyer_be, "https://hooks.example.com/x").status_code == 403
    assert APIClient().post("/api/v1/webhooks/", {}, format="json").status_code in (401, 403)
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_an_endpoint_is_its_owners_alone(scarf, batik):
    mine = register(scarf.shop.owner, "https://hooks.example.com/a").json()["id"]
    other = api(batik.shop.owner)
    assert other.get(f"/api/v1/webhooks/{mine}/").status_code == 404
    assert other.get(f"/api/v1/webhooks/{mine}/deliveries/").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{mine}/").status_code == 404
    assert other.get("/api/v1/webhooks/").json()["results"] == []
    assert api(scarf.shop.owner).delete(f"/api/v1/webhooks/{mine}/").status_code == 204


@pytest.mark.django_db
def test_at_most_ten_endpoints(scarf):
    for n in range(10):
        assert register(scarf.shop.owner, f"https://hooks.example.com/{n}").status_code == 201
    response = register(scarf.shop.owner, "https://hooks.example.com/11")
    assert response.status_code == 400 and "10" in response.json()["detail"]


def verified(endpoint_secret: str, request: tuple[dict[str, str], bytes]) -> dict:
    headers, body = request
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(headers)
    return Webhook(endpoint_secret).verify(body, headers)


@pytest.mark.django_db
def test_order_paid_reaches_the_shop_signed_and_is_retried_after_a_500(
    scarf, batik, buyer_be, receiver, settings
):
    settings.DEBUG = True  # plain http to loopback: a developer's local receiver
    local = receiver(500, 200)
    secret = register(scarf.shop.owner, local.url, ["order.paid"]).json()["secret"]
    order = pay(buyer_be, (scarf, 2), (batik, 1))  # two shops: only the scarf's shop is told
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "order.paid" and delivery.status == "pending"
    assert OutboxJob.objects.filter(task="marketplace.deliver_webhook", args=[delivery.pk]).exists()

    now = timezone.now()
    assert webhook_deliver(delivery_id=delivery.pk, now=now) == "retry"  # the receiver answered 500
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status, delivery.status) == (1, 500, "pending")
    assert delivery.next_attempt_at == now + timedelta(seconds=settings.EWTP_WEBHOOK_RETRY_BASE_SECONDS)
    later = OutboxJob.objects.get(task="marketplace.deliver_webhook", available_at=delivery.next_attempt_at)
    assert later.args == [delivery.pk]  # the back-off waits in the outbox, not on the broker
    # Not yet due: a stray job sends nothing.
    assert (
        webhook_deliver(delivery_id=delivery.pk, now=now + timedelta(seconds=1) - timedelta(minutes=2))
        == "skipped"
    )

    assert webhook_deliver(delivery_id=delivery.pk, now=delivery.next_attempt_at) == "sent"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status, delivery.status) == (2, 200, "succeeded")
    assert [entry["status"] for entry in delivery.log] == [500, 200]
    assert len(local.requests) == 2
    first, second = (verified(secret, request) for request in local.requests)
    assert first == second  # the same message, the same id, retried
    assert local.requests[0][0]["webhook-id"] == local.requests[1][0]["webhook-id"] == delivery.message_id
    assert first["type"] == "order.paid" and first["data"]["order"]["number"] == order.number
    consignment = order.consignments.get(shop=scarf.shop)
    assert first["data"]["consignment"]["id"] == consignment.pk
    assert first["data"]["consignment"]["lines"][0]["quantity"] == 2
    # A forged body does not verify.
    headers, body = local.requests[0]
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(body.replace(b"order.paid", b"order.free"), headers)

    # The delivery log over the API, and a replay: the same id, sent again now.
    client = api(scarf.shop.owner)
    endpoint_id = delivery.endpoint_id
    log = client.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/").json()["results"]
    assert [(d["event"], d["status"], d["attempts"], d["webhook_id"]) for d in log] == [
        ("order.paid", "succeeded", 2, delivery.message_id)
    ]
    replay = client.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery.pk}/replay/")
    assert replay.status_code == 202 and replay.json()["status"] == "pending"
    assert webhook_deliver(delivery_id=delivery.pk) == "sent"
    assert local.requests[-1][0]["webhook-id"] == delivery.message_id


@pytest.mark.django_db
def test_shipment_events_follow_the_parcel(scarf, buyer_be, receiver, settings):
    settings.DEBUG = True
    local = receiver(200)
    staff = UserFactory(is_staff=True)
    register(staff, local.url, ["shipment.handed_over", "shipment.delivered"])  # operators: every shop
    register(scarf.shop.owner, local.url, ["shipment.tracking_event"])
    order = pay(buyer_be, (scarf, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    assert set(WebhookDelivery.objects.values_list("event_type", flat=True)) == {"shipment.tracking_event"}
    shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    handed = WebhookDelivery.objects.filter(event_type="shipment.handed_over").get()
    assert handed.endpoint.shop is None
    body = json.loads(handed.body)
    assert body["data"]["shipment"]["tracking_number"] == consignment.shipment.tracking_number
    assert body["data"]["event"]["status"] == "picked_up"
    from tests.logistics.shipments.test_tracking_page import advance_until

    shipment = consignment.shipment
    shipment.refresh_from_db()
    advance_until(shipment, "signed", step=timedelta(hours=6))
    delivered = WebhookDelivery.objects.get(event_type="shipment.delivered")
    assert json.loads(delivered.body)["data"]["shipment"]["status"] == "delivered"
    tracked = WebhookDelivery.objects.filter(event_type="shipment.tracking_event")
    assert tracked.count() == shipment.events.count()  # every event, once
    for delivery in WebhookDelivery.objects.all():
        assert webhook_deliver(delivery_id=delivery.pk) == "sent"
    assert len(local.requests) == WebhookDelivery.objects.count()


@pytest.mark.django_db
def test_an_endpoint_that_keeps_failing_is_disabled_with_a_notice(
    scarf, buyer_be, receiver, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.EWTP_WEBHOOK_DISABLE_AFTER = 3
    settings.EWTP_WEBHOOK_DISABLE_AFTER_HOURS = 0
    local = receiver(503)
    client = api(scarf.shop.owner)
    endpoint_id = register(scarf.shop.owner, local.url, ["order.paid"]).json()["id"]
    for _ in range(2):
        pay(buyer_be, (scarf, 1))
    now = timezone.now()
    deliveries = list(WebhookDelivery.objects.order_by("pk"))
    assert webhook_deliver(delivery_id=deliveries[0].pk, now=now) == "retry"
    assert webhook_deliver(delivery_id=deliveries[1].pk, now=now) == "retry"
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_deliver(delivery_id=deliveries[0].pk, now=now + timedelta(minutes=1)) == "failed"
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.active and "3 failed attempts" in endpoint.disabled_reason
    assert [m.to for m in mail.outbox if "disabled" in m.subject] == [[scarf.shop.owner.email]]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    shown = client.get(f"/api/v1/webhooks/{endpoint_id}/").json()
    assert shown["active"] is False and shown["disabled_reason"]
    # New events are not queued for it; a replay asks to turn it back on first.
    pay(buyer_be, (scarf, 1))
    assert WebhookDelivery.objects.count() == 2
    replay = client.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{deliveries[0].pk}/replay/")
    assert replay.status_code == 400
    local.statuses = [200]
    assert client.patch(f"/api/v1/webhooks/{endpoint_id}/", {"active": True}, format="json").json()["active"]
    assert (
        client.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{deliveries[0].pk}/replay/").status_code
        == 202
    )
    assert webhook_deliver(delivery_id=deliveries[0].pk) == "sent"


@pytest.mark.django_db
def test_delivery_checks_the_address_after_dns(scarf, monkeypatch, settings):
    """Never to a private or loopback address, whatever the name says, checked at delivery."""
    settings.DEBUG = False

    def resolving_to(*addresses):
        def getaddrinfo(host, port, *args, **kwargs):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

        return getaddrinfo

    for addresses in (["10.0.0.5"], ["169.254.169.254"], ["93.184.215.14", "192.168.1.1"], ["127.0.0.1"]):
        monkeypatch.setattr(socket, "getaddrinfo", resolving_to(*addresses))
        with pytest.raises(webhook_transport.UnsafeDestination):
            webhook_transport.resolve("https://hooks.example.com/x")
        answer = webhook_transport.post("https://hooks.example.com/x", b"{}", {})
        assert answer.status is None and not answer.ok and "private" in answer.error
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("93.184.215.14"))
    assert webhook_transport.resolve("https://hooks.example.com/x") == (
        "https", "hooks.example.com", 443, "93.184.215.14"
    )  # fmt: skip
    # Loopback over plain http only with DEBUG on.
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("127.0.0.1"))
    settings.DEBUG = True
    assert webhook_transport.resolve("http://localhost:8000/x")[3] == "127.0.0.1"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_and_retries(scarf, buyer_be, receiver, settings):
    """The whole path: payment → outbox → relay → Celery worker → receiver (500, then 200 after
    the back-off, published from the outbox by the relay) and the sweeper for nothing left."""
    settings.DEBUG = True
    local = receiver(500, 200)
    register(scarf.shop.owner, local.url, ["order.paid"])
    pay(buyer_be, (scarf, 1))
    with running_worker(queues="default", DEBUG="1", EWTP_WEBHOOK_RETRY_BASE_SECONDS="1"):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and WebhookDelivery.objects.get().status != "succeeded":
            time.sleep(0.25)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2), delivery.log
    assert (
        len(local.requests) == 2 and local.requests[0][0]["webhook-id"] == local.requests[1][0]["webhook-id"]
    )
    assert webhook_deliveries_sweep(now=timezone.now() + timedelta(hours=1)) == 0

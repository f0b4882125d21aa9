"""One delivery date for one parcel (issue 19): quoted on the simulation's clock, promised at the
quote (ETA + the network's buffer, to the end of that day), frozen at payment as the shipment's
`promised_delivery`, the same on checkout, confirmation, e-mail, order page, APIs and tracking;
"Late" only once the expected date passes it."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import dateformat, timezone

from logistics.clock import simulation_clock_set, simulation_now
from logistics.models import Shipment
from logistics.routing.promise import promised_delivery
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from marketplace.models import Order
from marketplace.services.notifications import order_email_send
from tests.checkout.helpers import CARD_OK, ship_to

pytestmark = pytest.mark.django_db

AHEAD = timedelta(days=20)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_promise_is_the_end_of_the_local_day_after_the_buffer():
    eta = timezone.datetime(2026, 12, 10, 22, 30, tzinfo=ZoneInfo("UTC"))
    promise = promised_delivery(eta, zone="Africa/Nairobi", buffer=timedelta(hours=48))
    assert promise.isoformat() == "2026-12-13T23:59:59+03:00"  # 12 Dec 22:30 UTC is 13 Dec in Nairobi


def test_one_date_from_checkout_to_tracking(client, api_client, scarf, buyer_be, settings, mailoutbox):
    settings.EWTP_SIM_SPEED = 1.5  # a clock of its own, barely moving while the test runs
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    simulated = simulation_clock_set(simulated_at=timezone.now() + AHEAD)
    assert simulation_now() - timezone.now() > AHEAD - timedelta(hours=1)

    client.force_login(buyer_be)
    client.post(f"/cart/add/{scarf.pk}/", {"quantity": "1"})
    page = client.get("/checkout/").content.decode()
    data = {**ship_to(), "preference": "balanced", "currency": "EUR", "action": "place"}
    data.update(token=hidden(page, "token"), quoted=hidden(page, "quoted"))
    assert client.post("/checkout/", data).status_code == 302
    order = Order.objects.get()
    consignment = order.consignments.get()

    # Quoted on the simulation's clock: the promise is days after the simulated now, not real time.
    promise = consignment.promised_delivery
    assert promise >= consignment.estimated_delivery + timedelta(hours=settings.EWTP_PROMISE_BUFFER_HOURS)
    assert consignment.estimated_delivery > simulated
    assert (promise.astimezone(ZoneInfo("Europe/Brussels")).hour, promise.minute) == (23, 59)
    day = date_filter(timezone.localtime(promise), "DATE_FORMAT")  # as pages and e-mails write it
    assert f"delivery by {day}" in page

    response = client.post(f"/orders/{order.number}/pay/", {"card_number": CARD_OK})
    assert response.status_code == 302
    shipment = Shipment.objects.get(consignment=consignment)
    assert shipment.promised_delivery == promise  # frozen at payment
    assert shipment.events.get(substatus="order_paid").occurred_at >= simulated

    assert f"delivery by {day}" in client.get(f"/orders/{order.number}/confirmation/").content.decode()
    assert f"delivery by {day}" in client.get(f"/orders/{order.number}/").content.decode()
    order_email_send(kind="order_paid", order_id=order.pk)
    assert f"Delivery by: {day}" in mailoutbox[0].body

    # Routing plans an ETA but does not touch the promise; the parcel is on time after pick-up.
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    assert shipment.promised_delivery == promise and shipment.eta <= promise
    shipment = shipment_hand_over(consignment=consignment, actor=scarf.shop.owner)
    assert not shipment.is_late

    api_client.force_authenticate(buyer_be)
    body = api_client.get(f"/api/v1/orders/{order.pk}/").json()
    assert body["consignments"][0]["promised_delivery"] == promise.astimezone(
        ZoneInfo("UTC")
    ).isoformat().replace("+00:00", "Z")
    tracked = api_client.get(f"/api/v1/shipments/{shipment.tracking_number}/").json()
    assert tracked["promised_delivery"] == body["consignments"][0]["promised_delivery"]

    text = client.get(f"/track/{shipment.tracking_number}/").content.decode()
    zone = ZoneInfo(shipment.legs.order_by("-sequence").first().from_hub.timezone)
    local = dateformat.format(promise.astimezone(zone), "D j M")
    assert f"Arrives {local}" in text and f'<dd class="summary-promised">{local} ' in text
    assert 'class="badge late"' not in text and "on time" in text
    assert promise.astimezone(zone).date() == promise.astimezone(ZoneInfo("UTC")).date()  # one date


def test_late_only_when_the_expected_date_passes_the_promise(scarf, buyer_be, settings):
    from tests.logistics.shipments.conftest import pay

    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    shipment_route(shipment_id=shipment.pk)
    shipment.refresh_from_db()
    Shipment.objects.filter(pk=shipment.pk).update(eta=shipment.promised_delivery)
    shipment.refresh_from_db()
    assert not shipment.is_late  # the last second of the promised day is still on time
    Shipment.objects.filter(pk=shipment.pk).update(eta=shipment.promised_delivery + timedelta(seconds=1))
    shipment.refresh_from_db()
    assert shipment.is_late


def test_the_quotes_api_names_the_promise_of_each_route(api_client, trade_data, settings):
    body = {"origin_country": "CN", "destination_country": "KE", "weight_kg": "0.5"}
    answer = api_client.post("/api/v1/shipping/quotes/", body, format="json").json()
    buffer = timedelta(hours=settings.EWTP_PROMISE_BUFFER_HOURS)
    for route in [answer, *answer["alternatives"]]:
        eta = timezone.datetime.fromisoformat(route["estimated_delivery"].replace("Z", "+00:00"))
        promised = timezone.datetime.fromisoformat(route["promised_delivery"].replace("Z", "+00:00"))
        assert promised >= eta + buffer and promised - (eta + buffer) < timedelta(days=1)

"""The public tracking page: a carrier-style summary (status, arrival day, promise against the ETA,
customs), the route by city and on the map, progress through the legs, events in UTC and hub-local
time — and nothing personal. Unknown numbers are rate-limited per client address."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from logistics.models import Shipment
from logistics.services.routing import shipment_route
from logistics.services.shipments import shipment_hand_over
from logistics.services.simulation import shipments_advance
from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db

UNKNOWN = "EW2222222222Z"


def track_url(number: str) -> str:
    return reverse("track", kwargs={"tracking_number": number})


def handed_over(buyer, listing) -> tuple:
    order = pay(buyer, (listing, 1))
    consignment = order.consignments.get()
    shipment_route(shipment_id=consignment.shipment.pk)
    shipment = shipment_hand_over(consignment=consignment, actor=listing.shop.owner)
    return order, shipment


def advance_until(shipment: Shipment, substatus: str, *, step=timedelta(hours=3), limit=timedelta(days=40)):
    """Tick the simulation forward until the shipment has an event with `substatus`."""
    at = shipment.handed_over_at
    while not shipment.events.filter(substatus=substatus).exists():
        at += step
        assert at - shipment.handed_over_at < limit, f"never reached {substatus}"
        shipments_advance(now=at)
    shipment.refresh_from_db()
    return shipment


def route_hubs(shipment: Shipment) -> list:
    return [leg.to_hub for leg in shipment.legs.order_by("sequence") if leg.kind != "last_mile"]


def page(client, shipment: Shipment) -> str:
    response = client.get(track_url(shipment.tracking_number))
    assert response.status_code == 200
    return response.content.decode()


def test_tracking_page_shows_progress_without_personal_data(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    order, shipment = handed_over(buyer_be, scarf)
    shipments_advance(now=shipment.handed_over_at + timedelta(days=2))
    text = page(client, shipment)
    assert "In transit" in text and "Arrives" in text
    first_hub = shipment.legs.get(sequence=1).to_hub
    assert first_hub.city in text and first_hub.code in text
    arrival = shipment.events.filter(location_code=first_hub.code).first()
    local = dateformat.format(arrival.local_time, "D j M, H:i")
    assert f"{local} local time ({first_hub.timezone})" in text  # the hub's clock, not UTC
    buyer_data = (order.ship_to_name, order.ship_to_line1, order.ship_to_phone, buyer_be.email)
    for personal in (*buyer_data, buyer_be.username, buyer_be.first_name or buyer_be.username):
        assert personal not in text


def test_tracking_summary_reads_at_a_glance(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    _order, shipment = handed_over(buyer_be, scarf)
    shipment = advance_until(shipment, "hub_departure")
    text = page(client, shipment)
    hubs = route_hubs(shipment)
    destination = ZoneInfo(hubs[-1].timezone)
    # "Arrives Sat 6 Dec — in 7 days": the promise, in the destination's calendar (on time).
    promise = shipment.promised_delivery.astimezone(destination)
    days = (promise.date() - timezone.now().astimezone(destination).date()).days
    assert days > 1
    assert f"Arrives {dateformat.format(promise, 'D j M')} — in {days} days" in text
    promised = dateformat.format(promise, "D j M")
    assert re.search(rf'<dt>Delivery by</dt><dd class="summary-promised">{promised} ', text)
    assert "on time" in text and 'class="badge late"' not in text and "Expected now" not in text
    # The route as city names, in order, and the customs status before the destination e-hub: the
    # declaration went ahead of the parcel (issue 21).
    assert " → ".join(hub.city for hub in hubs) in text
    assert "Pre-cleared" in text
    # Progress through the legs: the first mile is done, not all legs are.
    total = shipment.legs.count()
    done = shipment.legs.filter(actual_arrival__isnull=False).count()
    assert 1 <= done < total
    assert f'max="{total}" value="{done}"' in text
    assert f"{done} of {total} legs done" in text
    # The route on the network map: every hub of the route is highlighted, no other.
    highlighted = re.findall(r'<g class="hub [^"]*on-route" data-code="([A-Z]{3})"', text)
    assert highlighted == sorted(hub.code for hub in hubs)
    assert text.count('class="lane ') > text.count("on-route") > len(hubs)  # lanes too, not all


def test_tracking_page_flags_a_late_parcel(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    _order, shipment = handed_over(buyer_be, scarf)
    Shipment.objects.filter(pk=shipment.pk).update(eta=shipment.promised_delivery + timedelta(days=2))
    text = page(client, shipment)
    assert 'class="badge late"' in text and "Late" in text
    # Late: the page leads with the date now expected and still names the promise.
    expected = dateformat.format((shipment.promised_delivery + timedelta(days=2)).astimezone(
        ZoneInfo(route_hubs(shipment)[-1].timezone)), "D j M")
    assert f"Arrives {expected}" in text and "Expected now" in text
    assert "on time" not in text


def test_tracking_page_follows_customs_from_presented_to_held_to_released(client, scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 1.0  # every parcel is held
    _order, shipment = handed_over(buyer_be, scarf)
    assert "Not yet at customs" in page(client, shipment)
    # The pre-declaration goes to the destination's customs as the parcel is declared for export.
    shipment = advance_until(shipment, "pre_declared", step=timedelta(hours=1))
    assert 'class="customs customs-pre_cleared">Pre-cleared' in page(client, shipment)
    shipment = advance_until(shipment, "import_presented", step=timedelta(minutes=5))
    assert not shipment.events.filter(substatus="held").exists()  # pre-cleared: minutes, a tick between
    assert 'class="customs customs-presented">With customs' in page(client, shipment)
    shipment = advance_until(shipment, "held", step=timedelta(hours=1))
    assert not shipment.events.filter(substatus="released").exists()  # held for days
    assert 'class="customs customs-held">Held by customs' in page(client, shipment)
    shipment = advance_until(shipment, "signed")
    text = page(client, shipment)
    assert 'class="customs customs-released">Cleared by customs' in text
    total = shipment.legs.count()
    assert f'max="{total}" value="{total}"' in text
    assert "Delivered" in text and "Arrives" not in text


def test_tracking_page_unknown_number_is_404(client, db):
    response = client.get(track_url(UNKNOWN))
    assert response.status_code == 404
    assert "No shipment has the tracking number EW2222222222Z" in response.content.decode()


def test_unknown_lookups_are_rate_limited_per_address_known_numbers_are_not(
    client, scarf, buyer_be, settings
):
    settings.EWTP_THROTTLE_RATES = {**settings.EWTP_THROTTLE_RATES, "tracking": "3/minute"}
    _order, shipment = handed_over(buyer_be, scarf)
    known = track_url(shipment.tracking_number)
    # A buyer refreshing their own parcel is never counted.
    assert [client.get(known).status_code for _ in range(6)] == [200] * 6
    codes = [client.get(track_url(UNKNOWN)).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = client.get(track_url(UNKNOWN))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many unknown tracking numbers were looked up from your address" in refused.content.decode()
    # Over the limit, a real number is refused too (else the answers would still tell them apart) …
    assert client.get(known).status_code == 429
    # … but only for that address.
    assert client.get(known, REMOTE_ADDR="10.9.9.9").status_code == 200
    assert client.get(track_url(UNKNOWN), REMOTE_ADDR="10.9.9.9").status_code == 404


def test_unknown_lookup_limit_follows_the_throttle_switch(client, settings):
    settings.EWTP_THROTTLE_RATES = {**settings.EWTP_THROTTLE_RATES, "tracking": "2/minute"}
    settings.EWTP_THROTTLES = False
    assert {client.get(track_url(UNKNOWN)).status_code for _ in range(5)} == {404}


def test_tracking_page_reads_in_a_fixed_number_of_queries(
    client, scarf, buyer_be, settings, django_assert_max_num_queries
):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    _order, shipment = handed_over(buyer_be, scarf)
    shipment = advance_until(shipment, "signed", step=timedelta(hours=12))
    # The shipment, its legs, its events (with hubs), the map's hubs and lanes — however long the journey.
    with django_assert_max_num_queries(5):
        page(client, shipment)


def test_tracking_page_before_routing_has_no_route_yet(client, scarf, buyer_be):
    order = pay(buyer_be, (scarf, 1))
    shipment = order.consignments.get().shipment
    text = page(client, shipment)
    # No route yet, but the date promised at checkout already stands.
    assert shipment.eta is None and "Arrives " in text and "Delivery by" in text
    assert "Not yet at customs" in text
    assert "<progress" not in text and "on-route" not in text and "has-route" not in text

"""Named carriers operate the lanes (issue 21): seeded from reference data with a source each;
quotes, the shipment API and tracking name the carrier of each leg; suspending a carrier re-routes
its parcels the way a hub suspension does."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ewtp.models import OutboxJob
from logistics.demo.reference_data import carrier_rows
from logistics.models import Carrier, Lane
from logistics.services.network import carrier_set_operating
from logistics.services.rerouting import shipments_reroute_around_carrier
from tests.logistics.shipments.test_rerouting import ROUTE, hubs_of, in_flight, milestone_at
from tests.logistics.shipments.test_tracking_page import page

pytestmark = pytest.mark.django_db


def test_every_lane_has_a_carrier_with_a_source(trade_data):
    carriers = {row.code: row for row in carrier_rows()}
    assert {"CAINIAO", "POSMY"} <= set(carriers)  # the KL e-hub's signatories
    assert all(row.source for row in carriers.values())
    assert Carrier.objects.count() == len(carriers)
    assert not Lane.objects.filter(carrier__isnull=True).exists()
    there = Lane.objects.get(origin__code="HGH", destination__code="KUL", mode="air")
    back = Lane.objects.get(origin__code="KUL", destination__code="HGH", mode="air")
    assert there.carrier.code == back.carrier.code == "CAINIAO"  # the reverse lane: the same carrier


def test_quotes_and_the_shipment_api_name_each_legs_carrier(client, scarf, buyer_be, trade_data):
    body = (
        APIClient()
        .post(
            "/api/v1/shipping/quotes/",
            {"origin_country": "CN", "destination_country": "RW", "weight_kg": "2", "preference": "cheapest"},
            format="json",
        )
        .json()
    )
    for leg in body["legs"]:
        if leg["kind"] == "line_haul":
            assert set(leg["carrier"]) == {"code", "name"} and leg["carrier"]["name"]
        else:
            assert leg["carrier"] is None  # first and last mile: the hub's courier


def test_suspending_a_carrier_reroutes_its_parcels_like_a_hub_suspension(
    client, scarf, buyer_be, settings, django_capture_on_commit_callbacks
):
    settings.EWTP_CUSTOMS_HOLD_RATE = 0.0
    parcel = in_flight(scarf, buyer_be, until="1:sorted")  # Shenzhen → Addis Ababa → Kigali
    assert hubs_of(parcel) == ROUTE
    carried = {
        leg.lane.carrier.code
        for leg in parcel.legs.filter(lane__isnull=False).select_related("lane__carrier")
    }
    assert carried == {"ETCARGO"}
    tracking = APIClient().get(f"/api/v1/shipments/{parcel.tracking_number}/").json()
    assert {leg["carrier"]["code"] for leg in tracking["legs"] if leg["carrier"]} == {"ETCARGO"}
    assert "Ethiopian Cargo" in page(client, parcel)

    ethiopian = Carrier.objects.get(code="ETCARGO")
    with django_capture_on_commit_callbacks(execute=True):
        carrier_set_operating(carrier=ethiopian, operating=False, reason="Fleet grounded")
    assert OutboxJob.objects.filter(task="logistics.route_around_carrier", args=[ethiopian.pk]).exists()
    now = milestone_at(parcel, "1:sorted")
    assert shipments_reroute_around_carrier(carrier_id=ethiopian.pk, now=now) == 1
    parcel.refresh_from_db()
    legs = parcel.legs.filter(lane__isnull=False).select_related("lane__carrier")
    assert "ETCARGO" not in {leg.lane.carrier.code for leg in legs}  # other carriers now
    assert hubs_of(parcel)[-1] == "KGL" and "ADD" not in hubs_of(parcel)
    assert parcel.events.filter(status="rerouted").exists()
    assert shipments_reroute_around_carrier(carrier_id=ethiopian.pk, now=now) == 0  # once


def test_operators_manage_carriers_in_the_admin(client, trade_data):
    from django.urls import reverse

    from tests.marketplace.factories import UserFactory

    client.force_login(UserFactory(username="ops-carriers", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:logistics_carrier_changelist")).content.decode()
    assert "Cainiao Smart Logistics" in listing and "Pos Malaysia" in listing
    lane = Lane.objects.get(origin__code="HGH", destination__code="KUL", mode="air")
    form = client.get(reverse("admin:logistics_lane_change", args=[lane.pk])).content.decode()
    assert 'name="carrier"' in form  # a lane's carrier is the operators' to set
    cainiao = Carrier.objects.get(code="CAINIAO")
    response = client.post(
        reverse("admin:logistics_carrier_changelist"), {"action": "suspend", "_selected_action": [cainiao.pk]}
    )
    assert response.status_code == 302
    cainiao.refresh_from_db()
    assert not cainiao.is_active and cainiao.status_reason

"""The network's load for operators: parcels at and heading to each hub, the sort backlog against
capacity, customs holds and late parcels — from the simulated e-hub's legs and events."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from logistics.models import Hub, Shipment
from logistics.selectors.load import LoadStatus, hub_load, network_load
from logistics.services.simulation import shipments_advance
from tests.logistics.parcels import in_transit, milestone

pytestmark = pytest.mark.django_db


def loads(now) -> dict[str, object]:
    return {load.hub.code: load for load in network_load(now=now)}


def test_network_load_follows_parcels_from_inbound_to_sorted_to_the_next_hub(scarf, buyer_be):
    first, second = in_transit(scarf, buyer_be, 2)
    start = max(first.handed_over_at, second.handed_over_at)
    assert (loads(start)["HGH"].inbound, loads(start)["HGH"].at_hub) == (2, 0)  # on the first mile

    arrived = max(milestone(s, "1:arrived") for s in (first, second)) + timedelta(minutes=1)
    shipments_advance(now=arrived)
    hgh = loads(arrived)["HGH"]
    assert (hgh.inbound, hgh.at_hub, hgh.awaiting_sort, hgh.sorted_last_24h) == (0, 2, 2, 0)

    sorted_at = max(milestone(s, "1:sorted") for s in (first, second)) + timedelta(minutes=1)
    shipments_advance(now=sorted_at)
    hgh = loads(sorted_at)["HGH"]
    assert (hgh.at_hub, hgh.awaiting_sort, hgh.sorted_last_24h) == (2, 0, 2)  # waiting for the flight

    departed = milestone(first, "2:hub_departure") + timedelta(minutes=1)
    shipments_advance(now=departed)
    network = loads(departed)
    assert (network["HGH"].at_hub, network["LGG"].inbound, network["LGG"].at_hub) == (0, 2, 0)
    # Sorts count for a day: whether they still do at departure depends on the timetable (the next
    # flight may leave within the day or days later), so the expectation follows the milestones.
    recent = sum(departed - milestone(s, "1:sorted") < timedelta(hours=24) for s in (first, second))
    assert network["HGH"].sorted_last_24h == recent
    later = departed + timedelta(hours=24)
    assert loads(later)["HGH"].sorted_last_24h == 0  # a day after the last sort, none count
    assert sum(load.at_hub + load.inbound for load in network.values()) == 2


def test_network_load_counts_customs_holds_until_released(scarf, buyer_be, settings):
    settings.EWTP_CUSTOMS_HOLD_RATE = 1.0  # every parcel is held
    (shipment,) = in_transit(scarf, buyer_be)
    held_at = milestone(shipment, "2:held") + timedelta(minutes=1)
    shipments_advance(now=held_at)
    lgg = loads(held_at)["LGG"]
    assert (lgg.held_in_customs, lgg.at_hub) == (1, 1)
    released_at = milestone(shipment, "2:released")
    shipments_advance(now=released_at - timedelta(minutes=1))
    assert loads(released_at - timedelta(minutes=1))["LGG"].held_in_customs == 1
    shipments_advance(now=released_at)
    assert loads(released_at)["LGG"].held_in_customs == 0


def test_network_load_counts_late_parcels_at_and_heading_to_a_hub(scarf, buyer_be):
    late, on_time = in_transit(scarf, buyer_be, 2)

    def one_late() -> None:
        """The tick moves ETAs (a departure missed by a minute makes a parcel late for real, which
        depends on the time of day the test runs): set them, so exactly one parcel is late."""
        Shipment.objects.filter(pk=late.pk).update(eta=F("promised_delivery") + timedelta(days=1))
        Shipment.objects.filter(pk=on_time.pk).update(eta=F("promised_delivery"))

    one_late()
    now = max(late.handed_over_at, on_time.handed_over_at)
    assert loads(now)["HGH"].late == 1  # inbound
    arrived = max(milestone(s, "1:arrived") for s in (late, on_time)) + timedelta(minutes=1)
    shipments_advance(now=arrived)
    one_late()
    assert loads(arrived)["HGH"].late == 1  # at the hub


def test_network_load_utilisation_and_status_against_sort_capacity(scarf, buyer_be):
    shipments = in_transit(scarf, buyer_be, 3)
    arrived = max(milestone(s, "1:arrived") for s in shipments) + timedelta(minutes=1)
    shipments_advance(now=arrived)
    hgh = Hub.objects.get(code="HGH")
    for capacity, utilisation, status in [
        (2, Decimal("1.50"), LoadStatus.OVERLOADED),
        (4, Decimal("0.75"), LoadStatus.BUSY),
        (100, Decimal("0.03"), LoadStatus.NORMAL),
        (0, None, LoadStatus.UNKNOWN),
    ]:
        Hub.objects.filter(pk=hgh.pk).update(sort_capacity_per_day=capacity)
        load = hub_load("hgh", now=arrived)
        assert (load.awaiting_sort, load.utilisation, load.status) == (3, utilisation, status)


def test_network_load_takes_a_constant_number_of_queries(
    scarf, batik, buyer_be, django_assert_max_num_queries
):
    in_transit(scarf, buyer_be, 2)
    in_transit(batik, buyer_be, 3)
    later = Shipment.objects.order_by("handed_over_at").last().handed_over_at + timedelta(days=2)
    shipments_advance(now=later)
    with django_assert_max_num_queries(5):
        network = network_load(now=later)
    assert len(network) == Hub.objects.count()
    assert sum(load.at_hub + load.inbound for load in network) == 5


def test_hub_load_api_is_public_and_404s_unknown_codes(
    client, scarf, buyer_be, django_assert_max_num_queries
):
    in_transit(scarf, buyer_be, 2)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("hub-load", args=["hgh"]))
    assert response.status_code == 200
    body = response.json()
    assert body["hub"] == "HGH" and body["inbound"] == 2 and body["at_hub"] == 0
    assert set(body) >= {
        "hub",
        "at_hub",
        "awaiting_sort",
        "inbound",
        "sort_capacity_per_day",
        "sorted_last_24h",
        "utilisation",
        "status",
        "held_in_customs",
        "late",
        "as_of",
    }
    assert body["status"] in LoadStatus.values
    assert body["utilisation"] is None or isinstance(body["utilisation"], str)
    missing = client.get(reverse("hub-load", args=["ZZZ"]))
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert "detail" in missing.json()

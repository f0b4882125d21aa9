import pytest

from logistics.models import Hub
from logistics.services.network import hub_suspend

pytestmark = pytest.mark.django_db


def test_hubs_list_is_paginated_and_sorted_in_two_queries(
    api_client, seeded_network, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/hubs/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 18
    assert [hub["code"] for hub in body["results"]] == [
        "ADD", "BKK", "CGK", "DEL", "DXB", "GRU", "HGH", "JFK", "KGL", "KUL", "LGG", "LHR", "LOS", "NBO",
        "NRT", "SYD", "SZX", "YYZ",
    ]  # fmt: skip


def test_hub_detail_by_code(api_client, seeded_network):
    hub_suspend(hub=Hub.objects.get(code="ADD"), reason="Runway works")
    response = api_client.get("/api/v1/hubs/add/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ADD"
    assert body["country"] == "ET"
    assert body["timezone"] == "Africa/Addis_Ababa"
    assert body["serves_countries"] == ["DJ", "ET"]
    assert body["capabilities"] == ["customs_clearance", "fulfilment"]
    assert body["latitude"] == "8.97790"
    assert (body["status"], body["status_reason"]) == ("suspended", "Runway works")
    assert api_client.get("/api/v1/hubs/XYZ/").status_code == 404


def test_lanes_list_filters_by_hubs_in_two_queries(api_client, seeded_network, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/lanes/", {"origin": "KUL", "destination": "bkk"})
    assert response.status_code == 200
    lanes = response.json()["results"]
    assert [(lane["mode"], lane["cost_per_kg"], lane["transit_hours"]) for lane in lanes] == [
        ("air", "1.5000", 6),
        ("road", "0.6000", 60),
    ]
    assert lanes[0]["schedule"] == {
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "departure_times": ["10:00", "22:00"],  # 14 a week: twice daily
        "timezone": "Asia/Kuala_Lumpur",
    }
    assert lanes[0]["currency"] == "USD"
    assert api_client.get("/api/v1/lanes/").json()["count"] == 64

import pytest

from logistics.models import Hub
from logistics.services.network import hub_suspend

pytestmark = pytest.mark.django_db
URL = "/api/v1/shipping/quotes/"
MONDAY_9AM_SHANGHAI = "2026-03-02T09:00:00+08:00"
READY_AT_BOUNDS = "Give a ready time from 2000 up to 366 days from now."


def post(api_client, **data):
    return api_client.post(URL, data, format="json")


def test_quote_api_shenzhen_to_kigali_via_addis_ababa(api_client, seeded_network):
    response = post(
        api_client,
        origin_country="CN",
        destination_country="RW",
        weight_kg="2",
        preference="cheapest",
        ready_at=MONDAY_9AM_SHANGHAI,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(leg["kind"], leg["from"], leg["to"], leg["mode"]) for leg in body["legs"]] == [
        ("first_mile", None, "SZX", "road"),
        ("line_haul", "SZX", "ADD", "air"),
        ("line_haul", "ADD", "KGL", "air"),
        ("last_mile", "KGL", None, "road"),
    ]
    assert body["legs"][1]["departs_at"] == "2026-03-03T14:00:00Z"  # 22:00 in Shenzhen
    assert body["legs"][1]["arrives_at"] == "2026-03-05T02:00:00Z"  # 36 h later
    assert (body["cost"], body["currency"], body["chargeable_weight_kg"]) == ("18.00", "USD", "2.000")
    assert body["estimated_delivery"] == body["legs"][-1]["arrives_at"]
    assert body["transit_hours"] == "146.3"  # import clearance in minutes: declared before arrival
    assert body["preference"] == "cheapest"
    assert 1 <= len(body["alternatives"]) <= 3
    alternative = body["alternatives"][0]
    assert set(alternative) == {
        "legs",
        "cost",
        "currency",
        "chargeable_weight_kg",
        "estimated_delivery",
        "promised_delivery",
        "transit_hours",
    }
    assert float(alternative["cost"]) >= 18.0


def test_quote_api_charges_volumetric_weight_by_air(api_client, seeded_network):
    response = post(
        api_client,
        origin_country="MY",
        destination_country="TH",
        weight_kg="2",
        dimensions_cm=[60, 40, 40],
        preference="fastest",
    )
    assert response.status_code == 200
    body = response.json()
    assert [leg["mode"] for leg in body["legs"]] == ["road", "air", "road"]
    assert body["chargeable_weight_kg"] == "16.000"


def test_quote_api_kuala_lumpur_to_bangkok_cheapest_by_road(api_client, seeded_network):
    body = post(
        api_client, origin_country="MY", destination_country="TH", weight_kg="5", preference="cheapest"
    ).json()
    assert [(leg["from"], leg["to"], leg["mode"]) for leg in body["legs"] if leg["kind"] == "line_haul"] == [
        ("KUL", "BKK", "road")
    ]


def test_quote_api_reroutes_when_addis_ababa_is_suspended(api_client, seeded_network):
    hub_suspend(hub=Hub.objects.get(code="ADD"), reason="strike")
    body = post(api_client, origin_country="CN", destination_country="RW", weight_kg="2").json()
    hubs = [leg["to"] for leg in body["legs"] if leg["to"]]
    assert "ADD" not in hubs
    assert hubs[-2:] == ["NBO", "KGL"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"origin_country": "XX"},
            "origin_country",
            "“XX” is not a country code (ISO-3166 alpha-2, e.g. KE).",
        ),
        (
            {"destination_country": "Narnia"},
            "destination_country",
            "“Narnia” is not a country code (ISO-3166 alpha-2, e.g. KE).",
        ),
        ({"weight_kg": "0"}, "weight_kg", "The weight must be more than 0 kg."),
        ({"weight_kg": "-3"}, "weight_kg", "The weight must be more than 0 kg."),
        (
            {"weight_kg": "1000.5"},
            "weight_kg",
            "A parcel weighs at most 1,000 kg; book heavier consignments as freight.",
        ),
        ({"dimensions_cm": [10, 0, 5]}, "dimensions_cm", "Every dimension must be more than 0 cm."),
        ({"preference": "scenic"}, "preference", '"scenic" is not a valid choice.'),
        # 9999-12-15 overflowed the planner's timeline (a 500 with an HTML body)
        ({"ready_at": "9999-12-15T00:00:00Z"}, "ready_at", READY_AT_BOUNDS),
        ({"ready_at": "2030-01-01T00:00:00Z"}, "ready_at", READY_AT_BOUNDS),
        ({"ready_at": "0001-01-02T00:00:00Z"}, "ready_at", READY_AT_BOUNDS),
    ],
)
def test_quote_api_refuses_bad_input_with_a_field_message(api_client, seeded_network, data, field, message):
    valid = {"origin_country": "CN", "destination_country": "RW", "weight_kg": "2"}
    response = post(api_client, **{**valid, **data})
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_quote_api_refuses_an_unserved_destination_saying_why(api_client, seeded_network):
    response = post(api_client, origin_country="CN", destination_country="MX", weight_kg="2")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_route"
    assert body["detail"].startswith("No e-hub serves Mexico yet")


def test_quote_api_refuses_when_every_path_is_blocked(api_client, seeded_network):
    for code in ("SZX", "HGH"):
        hub_suspend(hub=Hub.objects.get(code=code), reason="typhoon")
    response = post(api_client, origin_country="CN", destination_country="RW", weight_kg="2")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Every hub serving China is suspended; parcels cannot leave from there right now."
    )


def test_an_unhandled_error_under_the_api_is_a_json_500(api_client, seeded_network, monkeypatch, settings):
    """Whatever breaks, an API client gets JSON (the error page was HTML)."""
    from logistics.selectors import network

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(network, "shipping_quote", broken)
    settings.DEBUG = False
    api_client.raise_request_exception = False
    response = post(api_client, origin_country="CN", destination_country="RW", weight_kg="2")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"

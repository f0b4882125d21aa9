"""Lane filters answer what the schema says: `is_active` is a boolean (the fuzzer's
`?is_active=null` was read as no filter and answered 200), an empty value is no filter."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["null", "maybe", "2", "yes please"])
def test_lanes_is_active_that_is_not_a_boolean_is_400(api_client, seeded_network, value):
    response = api_client.get("/api/v1/lanes/", {"is_active": value})
    assert response.status_code == 400
    assert response.json()["is_active"] == ["Use true or false."]


def test_lanes_is_active_filters_and_empty_is_no_filter(api_client, seeded_network):
    everything = api_client.get("/api/v1/lanes/", {"page_size": 100}).json()["count"]
    active = api_client.get("/api/v1/lanes/", {"is_active": "true", "page_size": 100}).json()["count"]
    inactive = api_client.get("/api/v1/lanes/", {"is_active": "False"}).json()["count"]
    assert active + inactive == everything
    assert api_client.get("/api/v1/lanes/", {"is_active": ""}).json()["count"] == everything

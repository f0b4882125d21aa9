import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_network_page_shows_map_and_hubs_to_everyone(client, seeded_network):
    response = client.get(reverse("network"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<g class="hub ') == 12
    assert "Kigali e-Hub" in page and "Burundi" in page  # hubs with the countries they serve
    assert 'name="origin_country"' in page and 'name="weight_kg"' in page
    assert reverse("network") in page  # linked from the site header


def test_network_page_quotes_a_parcel_with_its_legs(client, seeded_network):
    response = client.get(
        reverse("network"),
        {"origin_country": "CN", "destination_country": "RW", "weight_kg": "2", "preference": "cheapest"},
    )
    quote = response.context["quote"]
    assert quote.route.hubs == ("SZX", "ADD", "KGL")
    page = response.content.decode()
    assert "USD 18.00" in page
    assert page.count("Line haul") >= 2


def test_network_page_explains_an_unserved_destination(client, seeded_network):
    response = client.get(
        reverse("network"), {"origin_country": "CN", "destination_country": "US", "weight_kg": "2"}
    )
    assert response.context["quote"] is None
    assert "No e-hub serves United States of America yet" in response.content.decode()


def test_network_page_refuses_an_absurd_weight(client, seeded_network):
    response = client.get(
        reverse("network"), {"origin_country": "CN", "destination_country": "RW", "weight_kg": "5000"}
    )
    assert response.context["form"].errors["weight_kg"] == [
        "A parcel weighs at most 1,000 kg; book heavier consignments as freight."
    ]

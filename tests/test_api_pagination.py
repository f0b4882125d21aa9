"""Every API list pages the same way: bad page numbers are a 400, past the end an empty page."""

import pytest

from logistics.demo.network import seed_network

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def network():
    seed_network(lambda message: None)


@pytest.mark.parametrize("url", ["/api/v1/hubs/", "/api/v1/lanes/", "/api/v1/shops/", "/api/v1/products/"])
@pytest.mark.parametrize("query", ["page=0", "page=-3", "page=abc", "page_size=null", "page_size=0"])
def test_malformed_page_numbers_are_a_400_everywhere(api_client, url, query):
    response = api_client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert set(response.json()) & {"page", "page_size"}


@pytest.mark.parametrize("url", ["/api/v1/hubs/", "/api/v1/lanes/", "/api/v1/shops/", "/api/v1/products/"])
def test_a_page_past_the_end_is_empty_not_a_404(api_client, url):
    response = api_client.get(f"{url}?page=999")
    assert response.status_code == 200
    assert response.json()["results"] == [] and response.json()["next"] is None


def test_page_size_is_honoured_and_capped(api_client):
    body = api_client.get("/api/v1/lanes/?page_size=5").json()
    assert len(body["results"]) == 5 and body["count"] == 64
    assert len(api_client.get("/api/v1/lanes/?page_size=1000").json()["results"]) == 64  # cap 100

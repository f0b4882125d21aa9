""""Made in" is chosen from country names (issue 19): the filter offers the countries goods are
made in, by name in the page's language, and a name typed into the URL or the API works too."""

from __future__ import annotations

import pytest

from tests.marketplace.factories import CatalogListingFactory as ListingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def test_made_in_is_a_list_of_country_names(client):
    ListingFactory(title="Kiondo basket", origin_country="KE")
    ListingFactory(title="Batik scarf", origin_country="MY")
    page = client.get("/").content.decode()
    start = page.index('<select id="f-origin"')
    picker = page[start : page.index("</select>", start)]
    assert '<option value="KE">Kenya</option>' in picker and '<option value="MY">Malaysia</option>' in picker
    assert 'value="BE"' not in picker  # nothing is made there
    page = client.get("/", {"origin_country": "KE"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="KE" selected>Kenya</option>' in page and "Kiondo basket" in page
    assert "Batik scarf" not in page


@pytest.mark.parametrize(("typed", "language"), [("Kenya", "en"), ("kenya", "en"), ("Kenya", "sw")])
def test_a_country_name_works_where_a_code_does(client, typed, language):
    ListingFactory(title="Kiondo basket", origin_country="KE")
    ListingFactory(title="Batik scarf", origin_country="MY")
    response = client.get("/", {"origin_country": typed}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiondo basket" in page and "Batik scarf" not in page
    api = client.get("/api/v1/products/", {"origin_country": typed})
    assert api.status_code == 200 and [p["title"] for p in api.json()["results"]] == ["Kiondo basket"]


def test_an_unknown_country_is_a_clear_400(client):
    response = client.get("/", {"origin_country": "Atlantis"})
    assert response.status_code == 400
    assert "Unknown country" in response.content.decode()
    assert "at most 2 characters" not in response.content.decode()

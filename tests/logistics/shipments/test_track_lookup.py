"""Tracking a parcel without the link (issue 19): a "Track a parcel" box on every page and a
`/track/` page that takes a tracking number."""

from __future__ import annotations

import pytest

from tests.logistics.shipments.conftest import pay

pytestmark = pytest.mark.django_db


def test_every_page_has_a_track_a_parcel_box(client):
    page = client.get("/").content.decode()
    assert 'action="/track/"' in page and 'name="number"' in page and "Track a parcel" in page


def test_the_track_page_without_a_number_shows_the_form(client):
    response = client.get("/track/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Track a parcel" in page and 'id="track-page-number"' in page and "starts with EW" in page


def test_a_number_goes_to_its_parcels_page(client, scarf, buyer_be):
    number = pay(buyer_be, (scarf, 1)).consignments.get().shipment.tracking_number
    response = client.get("/track/", {"number": number})
    assert response.status_code == 302 and response["Location"] == f"/track/{number}/"
    spaced = f" {number[:5].lower()} {number[5:]} "  # as read aloud or pasted from an e-mail
    response = client.get("/track/", {"number": spaced})
    assert response.status_code == 302 and response["Location"] == f"/track/{number}/"
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_number_is_a_404_with_the_form_and_a_clear_message(client):
    response = client.get("/track/", {"number": "EW1234567890X"}, follow=True)
    assert response.redirect_chain == [("/track/EW1234567890X/", 302)]
    assert response.status_code == 404
    page = response.content.decode()
    assert "No shipment has the tracking number EW1234567890X" in page
    assert 'id="track-page-number"' in page and 'value="EW1234567890X"' in page


@pytest.mark.parametrize("number", ["EW/../admin", "<script>", "x" * 500, "EW 12/34"])
def test_a_number_that_cannot_be_one_is_answered_with_the_form_never_an_error(client, number):
    response = client.get("/track/", {"number": number})
    assert response.status_code == 404
    page = response.content.decode()
    assert "<script>" not in page and 'id="track-page-number"' in page


def test_unknown_numbers_are_throttled_here_too(client, settings):
    settings.EWTP_THROTTLE_RATES = {**settings.EWTP_THROTTLE_RATES, "tracking": "3/minute"}
    codes = [client.get("/track/", {"number": f"EW{i:011d}"}, follow=True).status_code for i in range(3)]
    codes += [client.get("/track/", {"number": "not/a/number"}).status_code]
    assert codes == [404, 404, 404, 429]

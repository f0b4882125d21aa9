"""The buyer's display currency: profile for users, session for visitors, default from country."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.models import Role
from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)
from tests.marketplace.factories import (
    CatalogUserFactory as UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("rates")
def test_logged_in_buyer_defaults_to_their_country_currency(client):
    ListingFactory(price_amount=Decimal("4.00"))
    client.force_login(UserFactory(country="KE"))
    assert "≈ KES130.00" in client.get("/").content.decode()


@pytest.mark.usefixtures("rates")
def test_visitor_defaults_from_browser_region_then_usd(client):
    ListingFactory(price_amount=Decimal("4.00"))
    assert "≈ KES130.00" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-KE,en;q=0.8").content.decode()
    assert "≈ $1.00" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.usefixtures("rates")
def test_currency_picker_stores_choice_on_the_profile(client):
    user = UserFactory(country="KE", role=Role.BUYER)
    client.force_login(user)
    response = client.post("/currency/", {"currency": "eur", "next": "/?search=mug"})
    assert response.status_code == 302 and response["Location"] == "/?search=mug"
    user.refresh_from_db()
    assert user.display_currency == "EUR"


@pytest.mark.usefixtures("rates")
def test_currency_picker_stores_choice_in_the_session_for_visitors(client):
    ListingFactory(price_amount=Decimal("4.00"))
    client.post("/currency/", {"currency": "EUR", "next": "/"})
    assert client.session["display_currency"] == "EUR"
    assert "≈ €0.80" in client.get("/").content.decode()


@pytest.mark.usefixtures("rates")
def test_currency_picker_refuses_unknown_codes_and_foreign_redirects(client):
    response = client.post("/currency/", {"currency": "XYZ", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "display_currency" not in client.session
    assert client.get("/currency/").status_code == 405

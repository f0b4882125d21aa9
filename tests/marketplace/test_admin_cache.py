"""Operators' admin edits reach the catalog at once: admin saves go through the services, which
move the catalog version (each test asks twice first, so the answer was cached)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.models import Category, ExchangeRate
from tests.marketplace.factories import (
    CatalogListingFactory as ListingFactory,
)
from tests.marketplace.factories import (
    CatalogUserFactory as UserFactory,
)
from tests.marketplace.factories import (
    CategoryFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="op", role="operator", is_staff=True, is_superuser=True))
    return client


def home_twice(client) -> str:
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    return client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_category_renamed_in_the_admin_shows_at_once(
    client, operator_client, django_capture_on_commit_callbacks
):
    """Guards `CategoryAdmin.save_model` → `category_save` (categories are cached by version)."""
    category = CategoryFactory(slug="crafts", name="Crafts")
    ListingFactory(category=category)
    visitor = client.__class__()
    assert "Crafts" in home_twice(visitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("admin:marketplace_category_change", args=[category.pk]),
            {"slug": "crafts", "name": "Handicrafts", "position": "0"},
        )
    assert response.status_code == 302
    assert Category.objects.get(pk=category.pk).name == "Handicrafts"
    assert "Handicrafts" in visitor.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_listing_unpublished_in_the_admin_leaves_the_counts_at_once(
    client, operator_client, django_capture_on_commit_callbacks
):
    """Guards `ListingAdmin.save_model` → `listing_admin_save` (counts are cached by version)."""
    listing = ListingFactory(title="Kiondo basket", stock=3)
    ListingFactory(title="Soapstone bowl")
    visitor = client.__class__()
    assert "2 listings" in home_twice(visitor)
    data = {
        "shop": listing.shop.pk,
        "title": listing.title,
        "description": "",
        "category": listing.category.pk,
        "price_amount": "10.00",
        "stock": "3",
        "weight_kg": "0.5",
        "hs_code": "610910",
        "origin_country": "MY",
        # "is_active" left unticked: the operator unpublishes it
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("admin:marketplace_listing_change", args=[listing.pk]), data)
    assert response.status_code == 302
    page = visitor.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 listing" in page and "Kiondo basket" not in page


def test_rate_added_in_the_admin_changes_prices_at_once(
    client, operator_client, django_capture_on_commit_callbacks
):
    """Guards `ExchangeRateAdmin.save_model` → `exchange_rate_save` (rates are cached by version)."""
    ListingFactory(title="Kiondo basket", price_amount=Decimal("40.00"))  # MYR at 4 per USD: $10.00
    visitor = client.__class__()
    assert "$10.00" in home_twice(visitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("admin:marketplace_exchangerate_add"),
            {"currency": "MYR", "units_per_usd": "5", "valid_from": "2025-06-01", "source": "ops"},
        )
    assert response.status_code == 302
    assert ExchangeRate.objects.filter(currency="MYR").count() == 2
    assert "$8.00" in visitor.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

"""PATCH changes what it names and nothing else (issue 8: a generated client's PATCH `{"stock": 7}`
also sent the schema's default `is_active: true` and re-published an unpublished listing)."""

from __future__ import annotations

import pytest

from marketplace.models import Listing
from tests.marketplace.api_helpers import auth
from tests.marketplace.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_listing_patch_of_stock_leaves_an_unpublished_listing_unpublished(
    api_client, seller_a, shop_a, category
):
    """The server side: a partial update applies no serializer or model defaults."""
    listing = ListingFactory(shop=shop_a, category=category, is_active=False, stock=1)
    response = auth(api_client, seller_a).patch(
        f"/api/v1/products/{listing.pk}/", {"stock": 7}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is False
    listing = Listing.objects.get(pk=listing.pk)
    assert listing.stock == 7 and listing.is_active is False


def test_listing_patch_as_a_form_post_is_415(api_client, seller_a, shop_a, category):
    listing = ListingFactory(shop=shop_a, category=category, stock=1)
    response = auth(api_client, seller_a).patch(
        f"/api/v1/products/{listing.pk}/", {"stock": 7}, format="multipart"
    )
    assert response.status_code == 415
    assert Listing.objects.get(pk=listing.pk).stock == 1

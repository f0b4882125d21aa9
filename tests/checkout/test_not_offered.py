"""A listing no route can carry is not offered for sale (issue 20): where no lane takes it, the
product page says why instead of showing *Add to cart*, and the cart refuses it too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.models import CartItem, Listing

pytestmark = pytest.mark.django_db


def test_a_parcel_no_lane_carries_is_not_offered_and_cannot_be_added(client, scarf, buyer_be):
    client.force_login(buyer_be)  # delivers to Belgium
    page = client.get(reverse("listing-detail", args=[scarf.pk])).content.decode()
    assert "Add to cart" in page and "Not offered" not in page  # a scarf travels

    # Written before the editor's limits existed: far heavier than any lane takes.
    Listing.objects.filter(pk=scarf.pk).update(weight_kg=Decimal("99999"), length_cm=Decimal("99999"))
    page = client.get(reverse("listing-detail", args=[scarf.pk])).content.decode()
    assert "Not offered for delivery to Belgium" in page
    assert 'class="add-to-cart"' not in page
    assert reverse("deliver-to") in page  # the way out: deliver somewhere else

    response = client.post(reverse("cart-add", args=[scarf.pk]), {"quantity": "1"}, follow=True)
    assert "Not offered for delivery to you" in response.content.decode()
    assert not CartItem.objects.exists()

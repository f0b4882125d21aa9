"""Photos kept across a failed submit (issue 20): a seller who chose photos and made a mistake
elsewhere in the listing form does not pick them again — and nobody else can use them."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Listing, StagedImage
from marketplace.services.staged_images import staged_images_purge
from tests.marketplace.conftest import png_upload
from tests.marketplace.test_seller_pages import listing_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rates")]


def test_photos_chosen_before_an_error_are_kept_and_added_on_the_next_save(
    client, seller_a, seller_b, category, django_capture_on_commit_callbacks
):
    client.force_login(seller_a)
    bad = {
        **listing_post(category, price_amount="-3"),
        "images": [png_upload("loom.png"), png_upload("dye.png")],
    }
    page = client.post(reverse("seller-listing-create"), bad).content.decode()
    assert "2 photos you chose are kept" in page and "loom.png" in page and "dye.png" in page
    kept = list(StagedImage.objects.filter(owner=seller_a).values_list("pk", flat=True))
    assert len(kept) == 2
    for pk in kept:
        assert f'name="kept_images" value="{pk}"' in page

    fixed = {**listing_post(category, title="Kente stole"), "kept_images": [str(pk) for pk in kept]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seller-listing-create"), fixed)  # no file picked again
    assert response.status_code == 302
    listing = Listing.objects.get(title="Kente stole")
    assert listing.images.count() == 2 and listing.is_active  # published: the kept photos count
    assert not StagedImage.objects.exists()  # used once, then gone


def test_another_sellers_kept_photos_are_ignored(client, seller_a, seller_b, category):
    client.force_login(seller_a)
    bad = {**listing_post(category, price_amount="-3"), "images": [png_upload("mine.png")]}
    client.post(reverse("seller-listing-create"), bad)
    theirs = StagedImage.objects.get().pk
    client.force_login(seller_b)
    draft = {
        **listing_post(category, title="Borrowed"),
        "is_active": "",
        "kept_images": [str(theirs), "x", "99999"],
    }
    assert client.post(reverse("seller-listing-create"), draft).status_code == 302
    assert Listing.objects.get(title="Borrowed").images.count() == 0
    assert StagedImage.objects.filter(pk=theirs).exists()


def test_kept_photos_never_used_are_deleted_after_a_day(
    client, seller_a, category, django_capture_on_commit_callbacks
):
    client.force_login(seller_a)
    client.post(
        reverse("seller-listing-create"),
        {**listing_post(category, price_amount="-3"), "images": [png_upload()]},
    )
    staged = StagedImage.objects.get()
    path = staged.image.path
    assert staged_images_purge() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert staged_images_purge(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not StagedImage.objects.exists()
    assert not os.path.exists(path)

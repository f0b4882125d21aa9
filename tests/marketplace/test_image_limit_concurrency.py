"""Issue 7: the five-images limit holds under concurrent uploads (8 parallel uploads stored 6).

`listing_image_add` locks the listing row before it counts the images and takes the first free
position; the database refuses a repeated position or one past the limit (migration 0006).
Run against the real PostgreSQL, each thread on its own connection."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from marketplace.models import Listing, ListingImage, User
from marketplace.services.listings import listing_image_add, listing_image_remove
from tests.marketplace.api_helpers import auth
from tests.marketplace.conftest import png_upload
from tests.marketplace.factories import ListingFactory

THREADS = 8


def run_together(work, n: int = THREADS) -> list:
    """Run `work(i)` in n threads released at once; each thread closes its own connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # reported by the test, not swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_uploads_through_the_service_store_exactly_five(seller_a, category):
    listing_id, seller_id = ListingFactory(shop=seller_a.shop, category=category).pk, seller_a.pk

    def upload(i: int):
        listing = Listing.objects.select_related("shop").get(pk=listing_id)
        return listing_image_add(
            listing=listing, actor=User.objects.get(pk=seller_id), upload=png_upload(f"{i}.png")
        )

    results = run_together(upload)
    stored = [r for r in results if isinstance(r, ListingImage)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert not [r for r in results if r not in stored and r not in refused], results
    assert len(stored) == settings.EWTP_MAX_IMAGES_PER_LISTING == 5
    assert len(refused) == THREADS - 5
    assert all("at most 5 images" in str(r.message_dict["images"]) for r in refused)
    positions = sorted(ListingImage.objects.filter(listing_id=listing_id).values_list("position", flat=True))
    assert positions == [0, 1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_eight_parallel_uploads_over_the_api_store_five_and_answer_400_to_the_rest(seller_a, category):
    from rest_framework.test import APIClient

    item = ListingFactory(shop=seller_a.shop, category=category)

    def upload(i: int):
        client = auth(APIClient(), seller_a)
        return client.post(
            f"/api/v1/products/{item.pk}/images/", {"image": png_upload(f"{i}.png")}, format="multipart"
        )

    responses = run_together(upload)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.status_code for r in responses) == [201] * 5 + [400] * 3
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {"image": ["A listing has at most 5 images."]}
    assert item.images.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_freed_position_is_reused_and_the_limit_still_holds(seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    images = [listing_image_add(listing=item, actor=seller_a, upload=png_upload()) for _ in range(5)]
    listing_image_remove(image=images[2], actor=seller_a)
    again = listing_image_add(listing=item, actor=seller_a, upload=png_upload())
    assert again.position == 2
    with pytest.raises(ValidationError):
        listing_image_add(listing=item, actor=seller_a, upload=png_upload())
    assert sorted(item.images.values_list("position", flat=True)) == [0, 1, 2, 3, 4]


@pytest.mark.django_db
def test_the_database_refuses_a_repeated_position_or_one_past_the_limit(seller_a, category):
    item = ListingFactory(shop=seller_a.shop, category=category)
    ListingImage.objects.create(listing=item, position=0, image="listings/x/a.png", width=1, height=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingImage.objects.create(listing=item, position=0, image="listings/x/b.png", width=1, height=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingImage.objects.create(listing=item, position=5, image="listings/x/c.png", width=1, height=1)
    assert item.images.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_renumbers_old_positions_and_drops_images_past_the_fifth(seller_a, category):
    """Rows written before 0006: repeated positions (an upload after a delete) and a race's sixth."""
    from django.db.migrations.executor import MigrationExecutor

    crowded = ListingFactory(shop=seller_a.shop, category=category)
    gapped = ListingFactory(shop=seller_a.shop, category=category)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("marketplace")
    before = ("marketplace", "0006_orders_checkout_payments_ledger")
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        OldImage = old_apps.get_model("marketplace", "ListingImage")
        for position in (0, 1, 1, 2, 3, 4, 4):  # seven, two positions repeated
            OldImage.objects.create(
                listing_id=crowded.pk, position=position, image="listings/x/a.png", width=1, height=1
            )
        for position in (0, 2, 2):
            OldImage.objects.create(
                listing_id=gapped.pk, position=position, image="listings/x/b.png", width=1, height=1
            )
        first_ids = list(
            OldImage.objects.filter(listing_id=crowded.pk)
            .order_by("position", "id")
            .values_list("id", flat=True)
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    kept = list(
        ListingImage.objects.filter(listing=crowded).order_by("position").values_list("id", "position")
    )
    assert kept == list(zip(first_ids[:5], range(5), strict=True))
    assert sorted(gapped.images.values_list("position", flat=True)) == [0, 1, 2]

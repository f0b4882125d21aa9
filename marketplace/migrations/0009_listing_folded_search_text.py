"""Folded copies of each listing's title and description, for accent- and case-insensitive
search on SQLite (marketplace/folding.py); existing rows are filled here."""

from django.db import migrations, models

from marketplace.folding import fold


def backfill(apps, schema_editor):
    Listing = apps.get_model("marketplace", "Listing")
    batch = []
    for listing in Listing.objects.only("id", "title", "description").order_by("id").iterator(chunk_size=2000):
        listing.title_folded = fold(listing.title or "")
        listing.description_folded = fold(listing.description or "")
        batch.append(listing)
        if len(batch) == 1000:
            Listing.objects.bulk_update(batch, ["title_folded", "description_folded"])
            batch = []
    Listing.objects.bulk_update(batch, ["title_folded", "description_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0008_listing_image_limit_constraints"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="title_folded",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="listing",
            name="description_folded",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

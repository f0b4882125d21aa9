"""Before the database holds the images-per-listing limit (0006), make existing rows fit it.

Positions used to be "how many images the listing had" at upload time, so a deleted image left
a gap and the next upload could repeat a position; concurrent uploads could store more than five.
Each listing's images are renumbered 0, 1, 2… in their current order (position, then id); any
beyond the fifth — possible only through the race that 0006 closes — are removed (their rows;
the files stay on disk).
"""

from django.db import migrations

LIMIT = 5


def renumber(apps, schema_editor):
    ListingImage = apps.get_model("marketplace", "ListingImage")
    rows = ListingImage.objects.order_by("listing_id", "position", "id").values_list(
        "id", "listing_id", "position"
    )
    changed, extra = [], []
    current, index = None, 0
    for image_id, listing_id, position in rows.iterator(chunk_size=2000):
        if listing_id != current:
            current, index = listing_id, 0
        if index >= LIMIT:
            extra.append(image_id)
        elif position != index:
            changed.append(ListingImage(id=image_id, position=index))
        index += 1
    ListingImage.objects.filter(id__in=extra).delete()
    ListingImage.objects.bulk_update(changed, ["position"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_orders_checkout_payments_ledger"),
    ]

    operations = [
        migrations.RunPython(renumber, migrations.RunPython.noop),
    ]

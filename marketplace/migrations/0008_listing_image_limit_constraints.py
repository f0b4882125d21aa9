from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0007_listing_image_positions"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="listingimage",
            constraint=models.UniqueConstraint(fields=("listing", "position"), name="listing_image_unique_position"),
        ),
        migrations.AddConstraint(
            model_name="listingimage",
            constraint=models.CheckConstraint(
                condition=models.Q(("position__lt", 5)), name="listing_image_position_below_limit"
            ),
        ),
    ]

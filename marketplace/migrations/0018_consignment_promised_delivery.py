"""The delivery promise frozen on each consignment (issue 19: one date on every page, e-mail and
API). Consignments placed before it keep their quoted ETA as their promise."""

from django.db import migrations, models
from django.db.models import F


def promise_from_estimate(apps, schema_editor):
    Consignment = apps.get_model("marketplace", "Consignment")
    Consignment.objects.filter(promised_delivery__isnull=True).update(promised_delivery=F("estimated_delivery"))


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0017_idempotency_in_the_placing_transaction")]

    operations = [
        migrations.AddField(
            model_name="consignment",
            name="promised_delivery",
            field=models.DateTimeField(null=True, verbose_name="promised delivery"),
        ),
        migrations.RunPython(promise_from_estimate, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consignment",
            name="promised_delivery",
            field=models.DateTimeField(verbose_name="promised delivery"),
        ),
    ]

# The order is placed by one statement on PostgreSQL (marketplace.services.orders): it reserves
# the stock, writes the order and answers the idempotency key. A shortfall found under the row
# locks must abort that statement as a whole; this function raises the error that does it
# (SQLSTATE EWSTK, the listing's id as the detail), which the service turns into a 409.

import django.db.models.deletion
from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION marketplace_insufficient_stock(listing bigint) RETURNS boolean AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'EWSTK', MESSAGE = 'insufficient stock', DETAIL = listing::text;
END
$$ LANGUAGE plpgsql;
"""
DROP = "DROP FUNCTION IF EXISTS marketplace_insufficient_stock(bigint);"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0012_order_totals_rounded"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencykey",
            name="order",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="marketplace.order",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]

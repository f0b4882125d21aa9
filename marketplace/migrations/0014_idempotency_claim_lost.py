# A claim on an Idempotency-Key that has been in progress for too long (its worker died) may be
# taken over by a retry (marketplace.services.idempotency). The statement that places an order
# answers its key; when the key is no longer the one it claimed, this function aborts it
# (SQLSTATE EWKEY), so a worker that was only slow can never place a second order.

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION marketplace_idempotency_claim_lost(key bigint) RETURNS boolean AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'EWKEY', MESSAGE = 'idempotency claim lost', DETAIL = key::text;
END
$$ LANGUAGE plpgsql;
"""
DROP = "DROP FUNCTION IF EXISTS marketplace_idempotency_claim_lost(bigint);"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0013_order_placed_in_one_statement"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

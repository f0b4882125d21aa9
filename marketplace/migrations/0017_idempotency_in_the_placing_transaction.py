# An order is placed through the ORM in one transaction that also claims and answers its
# Idempotency-Key (marketplace.services.idempotency): keys no longer have an "in progress" state or
# a stored body, and the plpgsql functions the one-statement placing raised errors with go.

from django.db import migrations

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS marketplace_insufficient_stock(bigint);
DROP FUNCTION IF EXISTS marketplace_idempotency_claim_lost(bigint);
"""


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTIONS)


def forget_unanswered_keys(apps, schema_editor):
    """Claims left in progress (or with a stored body but no order) answer nothing any more."""
    apps.get_model("marketplace", "IdempotencyKey").objects.filter(order__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0016_payment_reconciliation"),
    ]

    operations = [
        migrations.RunPython(forget_unanswered_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="in_progress"),
        migrations.RemoveField(model_name="idempotencykey", name="response_body"),
        migrations.RemoveField(model_name="idempotencykey", name="response_status"),
        # Going back, 0013 and 0014 put the functions back themselves.
        migrations.RunPython(drop_functions, migrations.RunPython.noop),
    ]

"""Typo-tolerant search (issue 19): pg_trgm and a trigram index on listing titles, so that
`title %> 'cofee'` (word similarity) is answered from the index. PostgreSQL only: the
zero-config SQLite demo corrects words against the catalogue's vocabulary instead."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS listing_title_trgm ON marketplace_listing USING gin (title gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS listing_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0019_category_names")]

    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]

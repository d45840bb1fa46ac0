"""Trigram search on PostgreSQL: the pg_trgm extension and GIN indexes on names.

SQLite has no trigram index; catalog/search.py matches with rapidfuzz there instead.
"""

from django.db import migrations

INDEXES = [
    ("catalog_title_title_trgm", "catalog_title", "title"),
    ("catalog_title_original_title_trgm", "catalog_title", "original_title"),
    ("catalog_person_name_trgm", "catalog_person", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

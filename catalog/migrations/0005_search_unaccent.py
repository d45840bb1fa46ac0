"""Accent- and case-folded trigram search on PostgreSQL: the unaccent extension, an IMMUTABLE
`marquee_fold(text)` (unaccent is only STABLE, so it cannot be indexed directly) and GIN
trigram indexes on the folded names, which catalog/search.py matches against.

SQLite needs none of this: catalog/matching.py folds names in Python there.
"""

from django.db import migrations

INDEXES = [
    ("catalog_title_title_fold_trgm", "catalog_title", "title"),
    ("catalog_title_original_title_fold_trgm", "catalog_title", "original_title"),
    ("catalog_person_name_fold_trgm", "catalog_person", "name"),
]
# As catalog.matching.fold, apostrophes close up; sequels' roman numerals stay as written
# (six regexp_replace calls made the function ten times slower, and a search calls it several
# times on every candidate row). The dictionary is named with its schema so that the function
# does not depend on search_path.
FOLDED = "translate(lower(public.unaccent('public.unaccent'::regdictionary, $1)), '''\u2019', '')"
FOLD = f"""
CREATE OR REPLACE FUNCTION marquee_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT {FOLDED} $$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    schema_editor.execute(FOLD)
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (marquee_fold("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS marquee_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_trigram_operator_cost")]
    operations = [migrations.RunPython(create, drop)]

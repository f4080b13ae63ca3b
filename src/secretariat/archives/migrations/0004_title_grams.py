"""案名 words on PostgreSQL: a GIN index over each title's characters and character bigrams.

The trigram indexes of 0001 could not serve the commonest search — a two-character Chinese
word (「颱風」) has no trigram — so such a search walked the agency's whole catalogue (about a
second at 10,000,000 件, docs/performance.md). ``archives_grams(title)`` is every character
and every adjacent pair of the title; a word's own grams are contained in it exactly when
the title may hold the word, and ``title LIKE '%word%'`` decides. It replaces the trigram
indexes (one GIN index a catalogue, not two). SQLite scans, as before.
"""

from django.db import migrations

GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION archives_grams(title text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (
        SELECT substr(title, i, 1) AS gram FROM generate_series(1, length(title)) AS i
        UNION ALL
        SELECT substr(title, i, 2) FROM generate_series(1, length(title) - 1) AS i
    ) AS grams
$$
"""
FORWARD = [
    GRAMS_FUNCTION,
    "DROP INDEX IF EXISTS archive_item_title_trgm",
    "DROP INDEX IF EXISTS archive_folder_title_trgm",
    "CREATE INDEX IF NOT EXISTS archive_item_title_grams"
    " ON archives_item USING gin (archives_grams(title))",
    "CREATE INDEX IF NOT EXISTS archive_folder_title_grams"
    " ON archives_folder USING gin (archives_grams(title))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS archive_item_title_grams",
    "DROP INDEX IF EXISTS archive_folder_title_grams",
    "DROP FUNCTION IF EXISTS archives_grams(text)",
    "CREATE INDEX IF NOT EXISTS archive_item_title_trgm"
    " ON archives_item USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS archive_folder_title_trgm"
    " ON archives_folder USING gin (title gin_trgm_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archives", "0003_use")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

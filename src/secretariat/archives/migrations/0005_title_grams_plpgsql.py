"""``archives_grams`` in plpgsql: about 2 µs a title against 8 µs for 0004's SQL function.

The function is evaluated again on the rows of a lossy bitmap page and on each row of an
ordered walk of the catalogue, so its speed is the search's (docs/performance.md). The grams
are the same — every character and every adjacent pair of the title; duplicates are harmless
(GIN keeps each key once; ``@>`` ignores them) — so the GIN indexes of 0004 stay valid and
are not rebuilt.
"""

import importlib

from django.db import migrations

GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION archives_grams(title text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    grams text[] := string_to_array(title, NULL);
BEGIN
    FOR i IN 1 .. length(title) - 1 LOOP
        grams := grams || substr(title, i, 2);
    END LOOP;
    RETURN grams;
END
$$
"""
PREVIOUS = importlib.import_module(
    "secretariat.archives.migrations.0004_title_grams"
).GRAMS_FUNCTION


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archives", "0004_title_grams")]

    operations = [migrations.RunPython(_run(GRAMS_FUNCTION), _run(PREVIOUS))]

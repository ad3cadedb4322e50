"""Indexes for the organization typeahead (name substring, pinyin-initials substring) on
PostgreSQL; nothing on SQLite (LIKE there scans, which is fine at SQLite's scale).

- ``pg_trgm`` GIN indexes on ``name`` and ``name_initials`` serve ``LIKE '%term%'`` for terms of
  three or more characters.
- A trigram index cannot serve a two-character term (``'%江宁%'`` has no trigram), and two
  Chinese characters is the most common thing typed. ``zhicheng_bigrams(text)`` returns the
  distinct two-character substrings of a text; a GIN index over it answers "contains 江宁" as
  ``zhicheng_bigrams(name) @> ARRAY['江宁']`` — for a two-character term that is exactly the
  substring test. Its COST is set high so the planner never evaluates it row by row when the
  index can answer.

The USCC prefix search uses the ``varchar_pattern_ops`` index Django already creates for the
unique ``uscc`` column. The indexes are not declared on the model (they are PostgreSQL-only
expression/opclass indexes), so the autodetector does not see them; this migration owns them.
"""

from django.db import migrations

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION zhicheng_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""

INDEXES = {
    "orgs_org_name_trgm": "USING gin (name gin_trgm_ops)",
    "orgs_org_initials_trgm": "USING gin (name_initials gin_trgm_ops)",
    "orgs_org_name_bigram": "USING gin (zhicheng_bigrams(name))",
    "orgs_org_initials_bigram": "USING gin (zhicheng_bigrams(name_initials))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(BIGRAMS_FUNCTION)
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON orgs_organization {definition}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS zhicheng_bigrams(text)")
    # pg_trgm stays: other indexes may rely on it, and it costs nothing.


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

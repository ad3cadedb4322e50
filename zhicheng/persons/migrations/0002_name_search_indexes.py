"""Indexes for the 姓名 and 身份证号-prefix filters over a million people on PostgreSQL (``persons.selectors.
filter_by_name``); nothing on SQLite. A surname (one character) is a prefix: a
``varchar_pattern_ops`` B-tree, since the database collation is not C. Two characters: the
``zhicheng_bigrams`` GIN (function from orgs 0002). Three or more: pg_trgm GIN. Not declared on
the model (PostgreSQL-only opclass and expression indexes); this migration owns them."""

from django.db import migrations

INDEXES = {
    "persons_name_prefix": "(name varchar_pattern_ops)",
    # 身份证号 prefix search (holders of accounts.view_full_id_number): LIKE 'prefix%'.
    "persons_id_number_prefix": "(id_number varchar_pattern_ops)",
    "persons_name_bigram": "USING gin (zhicheng_bigrams(name))",
    "persons_name_trgm": "USING gin (name gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON persons_person {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0001_initial"),
        ("orgs", "0002_typeahead_search_indexes"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

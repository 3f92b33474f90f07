"""PostgreSQL: search text with accents folded, as SQLite's FTS5 table already does.

A text search configuration `exchange_folded`: PostgreSQL's 'english' with the
`unaccent` dictionary before its stemmer, so "informacion" finds "información" and
the other way round. `unaccent` ships with PostgreSQL and is a trusted extension (the
database's owner may create it). The vectors already stored are computed again.
SQLite: nothing to do (`remove_diacritics 2`).
"""

from django.db import migrations

TABLE = "exchange_search_searchdocument"


def vectors(config):
    return (
        f"UPDATE {TABLE} SET search_vector = "
        f"setweight(to_tsvector('{config}', coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}', coalesce(summary, '')), 'B') || "
        f"setweight(to_tsvector('{config}', coalesce(body, '')), 'C')"
    )


FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION exchange_folded (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION exchange_folded "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    vectors("exchange_folded"),
]
BACKWARD = [
    vectors("english"),
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS exchange_folded",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("exchange_search", "0002_full_text")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

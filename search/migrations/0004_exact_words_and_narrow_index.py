"""Faster embedded search: abbreviations checked in the index, matches read from an index.

- `exact_words`: each document's short words as written (`exact_words` of the search
  contract), filled here for the documents already indexed. SQLite's FTS5 table gains
  it as a fourth column, so "is 'BO' written, not just 'bos'?" is a lookup in the
  full-text index instead of a regular expression over every text with the stemmed word.
- `search_document_narrow`: a covering index of what ranking and facets read.

The tokens are computed with the live `exact_words`: they must be what the backend
asks for, whatever version wrote them (`manage.py rebuild` recomputes them too).
"""

from django.db import migrations, models

from search.backends.base import exact_words

TABLE = "exchange_search_searchdocument"


def _fts(columns):
    """The FTS5 table over `columns` and the triggers that keep it in step."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {listed},
            content='{TABLE}', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO search_fts(rowid, {listed}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {listed})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON {TABLE} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {listed})
            VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {listed}) VALUES (new.id, {new});
        END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


DROP_FTS = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def fill_exact_words(apps, schema_editor):
    SearchDocument = apps.get_model("exchange_search", "SearchDocument")
    sqlite = schema_editor.connection.vendor == "sqlite"
    if sqlite:  # dropped first: its triggers would re-index every row updated here
        for statement in DROP_FTS:
            schema_editor.execute(statement)
    batch = []
    for document in SearchDocument.objects.only("title", "summary", "body").iterator(500):
        document.exact_words = exact_words(document.title, document.summary, document.body)
        batch.append(document)
        if len(batch) == 500:
            SearchDocument.objects.bulk_update(batch, ["exact_words"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["exact_words"])
    if sqlite:
        for statement in _fts(["title", "summary", "body", "exact_words"]):
            schema_editor.execute(statement)


def back_to_three_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*DROP_FTS, *_fts(["title", "summary", "body"])]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("exchange_search", "0003_folded_text_search")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="exact_words",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=[
                    "id",
                    "type",
                    "country",
                    "region",
                    "income_group",
                    "starred",
                    "complete",
                    "opened_government",
                    "implemented",
                    "outcome_strength",
                    "year",
                    "doc_id",
                    "country_name",
                ],
                name="search_document_narrow",
            ),
        ),
        migrations.RunPython(fill_exact_words, back_to_three_columns),
    ]

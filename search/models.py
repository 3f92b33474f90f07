"""The embedded search index, kept in the site's own database.

`SearchDocument` rows are the documents of search/documents.py, stored
denormalised so that the embedded backend can filter and count facets with
plain SQL. Full text lives beside them: an FTS5 table on SQLite, a weighted
`tsvector` column on PostgreSQL (created by the migrations for the database in
use). `PendingIndexUpdate` keeps Elasticsearch updates that could not be
applied yet, so none is lost while the server is down.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    doc_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=1000)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    country = models.CharField(max_length=3, blank=True, db_index=True)
    country_name = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=60, blank=True, db_index=True)
    income_group = models.CharField(max_length=40, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    starred = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    opened_government = models.BooleanField(default=False)
    implemented = models.BooleanField(default=False)
    outcome_strength = models.FloatField(default=0.0)
    details = models.JSONField(default=dict, blank=True)
    # The short words as written (`search.backends.base.exact_words`), so that an
    # abbreviation is checked in the full-text index, not by reading every text.
    exact_words = models.TextField(blank=True, default="")
    # PostgreSQL only (NULL elsewhere): weighted title (A) > summary (B) > body (C).
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "country"]),
            # Everything ranking and filters read of a match, so that they never read the
            # rows themselves, whose texts (kilobytes each) come first.
            models.Index(
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
        ]

    def __str__(self):
        return self.doc_id


class SearchDocumentTheme(models.Model):
    """One theme of a document: a row each, for the theme filter and the facet counts."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "theme"], name="unique_document_theme")
        ]
        # The theme filter.
        indexes = [models.Index(fields=["theme", "document"], name="search_theme_documents")]

    def __str__(self):
        return f"{self.document_id}: {self.theme}"


class PendingIndexUpdate(models.Model):
    """An index change Elasticsearch has not acknowledged yet; replayed when it is back."""

    class Action(models.TextChoices):
        INDEX = "index"
        DELETE = "delete"

    doc_id = models.CharField(max_length=80, unique=True)
    action = models.CharField(max_length=10, choices=Action)
    queued_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.action} {self.doc_id}"

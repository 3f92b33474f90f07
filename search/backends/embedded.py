"""The embedded backend: full-text search inside the site's own database.

No search server needed: SQLite uses its FTS5 extension (porter stemming,
bm25 ranking with column weights), PostgreSQL its weighted `tsvector` with
`ts_rank`. Both share one SQL shape, so filters, facets, tiers and outcome
weighting behave the same; only the "text" part differs per database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils.html import escape

from search.backends.base import (
    DOCUMENT_TYPES,
    FIELD_WEIGHTS,
    OUTCOME_BOOST,
    OUTCOMES,
    FacetValue,
    IndexDocument,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from search.models import SearchDocument, SearchDocumentTheme

DOCS = SearchDocument._meta.db_table
THEMES = SearchDocumentTheme._meta.db_table
MARK_START, MARK_END = "\x02", "\x03"
SAFE_TERM = re.compile(r"[^\w]+", re.UNICODE)
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = (
    FIELD_WEIGHTS[name] for name in ("title", "summary", "body")
)
SNIPPET_TOKENS = 28  # about the 160 characters of an Elasticsearch fragment
BATCH_SIZE = 500
# Ties (and browsing) as the Elasticsearch backend orders them: newest, then by doc_id.
NEWEST_FIRST = "d.year IS NULL, d.year DESC, d.doc_id"
STRONGEST_FIRST = f"d.outcome_strength DESC, {NEWEST_FIRST}"

DOCUMENT_FIELDS = [
    "type",
    "title",
    "summary",
    "body",
    "url",
    "country",
    "country_name",
    "region",
    "income_group",
    "year",
    "starred",
    "complete",
    "opened_government",
    "implemented",
    "outcome_strength",
    "details",
]


def _tokens(phrase: str) -> list[str]:
    return [token for token in SAFE_TERM.split(phrase.lower()) if token]


def _clauses(query, phrase, alternatives):
    """One (expression, weight) per query part that has searchable tokens."""
    clauses = []
    for _, phrases, weight in query.weighted_parts:
        usable = [phrase(p) for p in phrases if _tokens(p)]
        if usable:
            clauses.append((alternatives(usable), weight))
    return clauses


class _SqliteText:
    """FTS5 match expressions: quoted tokens, phrases in quotes, OR between alternatives."""

    @staticmethod
    def phrase(phrase):
        return '"' + " ".join(_tokens(phrase)) + '"'

    def clauses(self, query):
        return _clauses(query, self.phrase, lambda items: "(" + " OR ".join(items) + ")")

    def any_expression(self, query):
        return " OR ".join(expression for expression, _ in self.clauses(query))

    def cte(self, query):
        clauses = self.clauses(query)
        coverage = " + ".join(
            f"(CASE WHEN rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
            f"THEN {weight} ELSE 0 END)"
            for _, weight in clauses
        )
        sql = (
            f"SELECT rowid AS id, -bm25(search_fts, {TITLE_WEIGHT}, {SUMMARY_WEIGHT}, "
            f"{BODY_WEIGHT}) AS rel, {coverage} AS cov FROM search_fts WHERE search_fts MATCH %s"
        )
        return sql, [*(expression for expression, _ in clauses), self.any_expression(query)]

    def snippets(self, query, ids):
        """(id, summary snippet, body snippet): the title is shown beside it anyway."""
        any_parts = self.any_expression(query)
        placeholders = ",".join(["%s"] * len(ids))
        sql = (
            "SELECT rowid, "
            f"snippet(search_fts, 1, char(2), char(3), '…', {SNIPPET_TOKENS}), "
            f"snippet(search_fts, 2, char(2), char(3), '…', {SNIPPET_TOKENS}) "
            f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({placeholders})"
        )
        return sql, [any_parts, *ids]

    def update_vectors(self, cursor, ids):
        """Triggers keep FTS5 in step; nothing to do."""


class _PostgresText:
    """tsquery expressions: words and phrases (`<->`), OR (|) between alternatives."""

    # ts_rank's weights for D (unused), C (body), B (summary), A (title): FIELD_WEIGHTS,
    # relative to the title's.
    weights = (
        f"'{{0.1, {BODY_WEIGHT / TITLE_WEIGHT:.2f}, {SUMMARY_WEIGHT / TITLE_WEIGHT:.2f}, 1.0}}'"
    )

    @staticmethod
    def phrase(phrase):
        return "(" + " <-> ".join(_tokens(phrase)) + ")"

    def clauses(self, query):
        return _clauses(query, self.phrase, lambda items: "(" + " | ".join(items) + ")")

    def any_expression(self, query):
        return " | ".join(expression for expression, _ in self.clauses(query))

    def cte(self, query):
        clauses = self.clauses(query)
        coverage = " + ".join(
            f"(CASE WHEN search_vector @@ to_tsquery('english', %s) THEN {weight} ELSE 0 END)"
            for _, weight in clauses
        )
        any_expression = self.any_expression(query)
        sql = (
            f"SELECT id, ts_rank({self.weights}, search_vector, to_tsquery('english', %s)) AS rel, "
            f"{coverage} AS cov FROM {DOCS} WHERE search_vector @@ to_tsquery('english', %s)"
        )
        return sql, [any_expression, *(e for e, _ in clauses), any_expression]

    def snippets(self, query, ids):
        """(id, summary snippet, body snippet), as SQLite gives them."""
        any_parts = self.any_expression(query)
        placeholders = ",".join(["%s"] * len(ids))
        options = (
            "'StartSel=\x02, StopSel=\x03, "
            f"MaxWords={SNIPPET_TOKENS + 7}, MinWords=15, MaxFragments=1'"
        )
        sql = (
            f"SELECT id, ts_headline('english', summary, to_tsquery('english', %s), {options}), "
            f"ts_headline('english', body, to_tsquery('english', %s), {options}) "
            f"FROM {DOCS} WHERE id IN ({placeholders})"
        )
        return sql, [any_parts, any_parts, *ids]

    def update_vectors(self, cursor, ids):
        if not ids:
            return
        placeholders = ",".join(["%s"] * len(ids))
        cursor.execute(
            f"UPDATE {DOCS} SET search_vector = "
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(body, '')), 'C') "
            f"WHERE id IN ({placeholders})",
            list(ids),
        )


def _mark(snippet: str) -> str:
    """Escape a database snippet, then turn its markers into <mark> tags."""
    return escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    @property
    def text(self):
        return _PostgresText() if connection.vendor == "postgresql" else _SqliteText()

    # Writing -----------------------------------------------------------------

    @transaction.atomic
    def index(self, documents: Iterable[IndexDocument]) -> int:
        written = 0
        batch: list[IndexDocument] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH_SIZE:
                written += self._write(batch)
                batch = []
        if batch:
            written += self._write(batch)
        return written

    def _write(self, documents: list[IndexDocument]) -> int:
        unique = {document.doc_id: document for document in documents}
        existing = dict(
            SearchDocument.objects.filter(doc_id__in=unique).values_list("doc_id", "id")
        )
        rows = [
            SearchDocument(
                id=existing.get(doc_id),
                doc_id=doc_id,
                **{name: getattr(document, name) for name in DOCUMENT_FIELDS},
            )
            for doc_id, document in unique.items()
        ]
        to_update = [row for row in rows if row.id]
        SearchDocument.objects.bulk_update(to_update, DOCUMENT_FIELDS)
        created = SearchDocument.objects.bulk_create([row for row in rows if not row.id])
        ids = [row.id for row in to_update] + [row.id for row in created]
        SearchDocumentTheme.objects.filter(document_id__in=ids).delete()
        SearchDocumentTheme.objects.bulk_create(
            SearchDocumentTheme(document_id=row.id, theme=slug)
            for row in [*to_update, *created]
            for slug in dict.fromkeys(unique[row.doc_id].themes)
        )
        with connection.cursor() as cursor:
            self.text.update_vectors(cursor, ids)
        return len(rows)

    def delete(self, doc_ids: Iterable[str]) -> None:
        SearchDocument.objects.filter(doc_id__in=list(doc_ids)).delete()

    def rebuild(self, documents, progress: Callable[[int], None] | None = None) -> int:
        """Replace everything in one transaction: readers see the old index until commit."""
        written = 0
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            batch: list[IndexDocument] = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BATCH_SIZE:
                    written += self._write(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                written += self._write(batch)
                if progress:
                    progress(len(batch))
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        return written

    def ping(self) -> bool:
        return True

    def count(self) -> int:
        return SearchDocument.objects.count()

    # Searching ---------------------------------------------------------------

    def _filters(self, query: SearchQuery) -> tuple[str, list]:
        clauses, params = [], []
        for column, values in (
            ("type", query.types),
            ("country", query.countries),
            ("region", query.regions),
            ("income_group", query.income_groups),
        ):
            if values:
                clauses.append(f"d.{column} IN ({','.join(['%s'] * len(values))})")
                params.extend(values)
        if query.themes:
            placeholders = ",".join(["%s"] * len(query.themes))
            clauses.append(
                f"d.id IN (SELECT document_id FROM {THEMES} WHERE theme IN ({placeholders}))"
            )
            params.extend(query.themes)
        for outcome in query.outcomes:
            if outcome in OUTCOMES:
                clauses.append(f"d.{outcome} = %s")
                params.append(True)
        return (" AND ".join(clauses) or "1=1"), params

    def _base(self, cursor, query: SearchQuery) -> tuple[str, list, bool]:
        """FROM ... WHERE ... of the matching documents, and whether text is involved.

        On SQLite the full-text matches are computed once into a temporary table: as a
        subquery, SQLite would re-run the match for every filtered row and again for each
        facet query (seconds instead of milliseconds at 10,000 documents).
        """
        where, params = self._filters(query)
        if not self.text.clauses(query):
            return f"FROM {DOCS} d WHERE {where}", params, False
        cte_sql, cte_params = self.text.cte(query)
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS search_hits "
                "(id INTEGER PRIMARY KEY, rel REAL, cov INTEGER)"
            )
            cursor.execute("DELETE FROM temp.search_hits")
            cursor.execute(f"INSERT INTO temp.search_hits (id, rel, cov) {cte_sql}", cte_params)
            # CROSS JOIN keeps the (small) hit table as the outer loop.
            return (
                f"FROM temp.search_hits t CROSS JOIN {DOCS} d ON d.id = t.id WHERE {where}",
                params,
                True,
            )
        return (
            f"FROM {DOCS} d JOIN ({cte_sql}) t ON t.id = d.id WHERE {where}",
            [*cte_params, *params],
            True,
        )

    def search(self, query: SearchQuery) -> SearchResults:
        query = query.with_plain_words()
        with connection.cursor() as cursor:
            return self._search(cursor, query)

    def _search(self, cursor, query: SearchQuery) -> SearchResults:
        from_where, params, has_text = self._base(cursor, query)
        if has_text:
            select = (
                f"t.cov AS coverage, t.rel * (1 + {OUTCOME_BOOST} * d.outcome_strength) AS score"
            )
            order = f"coverage DESC, score DESC, {NEWEST_FIRST}"
        else:
            # Browsing ranks nothing: no relevance to report (Elasticsearch gives none either).
            select = f"{query.total_weight or 1} AS coverage, 0.0 AS score"
            order = STRONGEST_FIRST if query.browse_order == "strongest" else NEWEST_FIRST
        sql = (
            f"SELECT d.id, d.doc_id, d.type, d.title, d.url, d.summary, d.country, "
            f"d.country_name, d.region, d.income_group, d.year, d.outcome_strength, d.starred, "
            f"d.complete, d.opened_government, d.implemented, d.details, {select}, "
            f"COUNT(*) OVER () AS total {from_where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        cursor.execute(sql, [*params, query.page_size, query.offset])
        rows = cursor.fetchall()
        total = rows[0][-1] if rows else self._count(cursor, from_where, params)
        ids = [row[0] for row in rows]
        themes = self._themes_of(cursor, ids)
        snippets = (
            self._snippets(cursor, query, ids) if has_text and query.highlight and ids else {}
        )
        facets = self._facets(cursor, from_where, params) if query.facets else {}
        json_field = SearchDocument._meta.get_field("details")
        hits = []
        for row in rows:
            (
                pk,
                doc_id,
                type_,
                title,
                url,
                summary,
                country,
                country_name,
                region,
                income,
                year,
                strength,
                starred,
                complete,
                opened,
                implemented,
                details,
                coverage,
                score,
                _total,
            ) = row
            if isinstance(details, str):
                details = json_field.from_db_value(details, None, connection)
            outcomes = tuple(
                name
                for name, flag in zip(
                    OUTCOMES, (starred, complete, opened, implemented), strict=True
                )
                if flag
            )
            hits.append(
                SearchHit(
                    doc_id=doc_id,
                    type=type_,
                    title=title,
                    url=url,
                    score=float(score or 0),
                    snippet=snippets.get(pk) or escape(summary),
                    coverage=min(1.0, (coverage or 0) / (query.total_weight or 1)),
                    country=country,
                    country_name=country_name,
                    region=region,
                    income_group=income,
                    themes=tuple(themes.get(pk, ())),
                    year=year,
                    outcome_strength=strength,
                    outcomes=outcomes,
                    details=details or {},
                )
            )
        return SearchResults(total=total, hits=hits, facets=facets, backend=self.name)

    def _count(self, cursor, from_where, params) -> int:
        cursor.execute(f"SELECT COUNT(*) {from_where}", params)
        return cursor.fetchone()[0]

    def _themes_of(self, cursor, ids) -> dict[int, list[str]]:
        if not ids:
            return {}
        cursor.execute(
            f"SELECT document_id, theme FROM {THEMES} WHERE document_id IN "
            f"({','.join(['%s'] * len(ids))}) ORDER BY id",
            ids,
        )
        themes: dict[int, list[str]] = {}
        for document_id, theme in cursor.fetchall():
            themes.setdefault(document_id, []).append(theme)
        return themes

    def _snippets(self, cursor, query, ids) -> dict[int, str]:
        sql, params = self.text.snippets(query, ids)
        cursor.execute(sql, params)
        snippets = {}
        for pk, *candidates in cursor.fetchall():
            # The summary's match if it has one, else the body's (as Elasticsearch picks).
            marked = next((text for text in candidates if text and MARK_START in text), None)
            if marked:
                snippets[pk] = _mark(marked)
        return snippets

    def _facets(self, cursor, from_where, params) -> dict[str, list[FacetValue]]:
        """Counts per value, labelled as the Elasticsearch backend labels them."""
        facets: dict[str, list[FacetValue]] = {}
        for name, column, label in (
            ("type", "d.type", "d.type"),
            ("country", "d.country", "MAX(d.country_name)"),
            ("region", "d.region", "d.region"),
            ("income_group", "d.income_group", "d.income_group"),
        ):
            cursor.execute(
                f"SELECT {column}, COUNT(*), {label} {from_where} AND {column} <> '' "
                f"GROUP BY {column} ORDER BY COUNT(*) DESC, {column}",
                params,
            )
            facets[name] = [
                FacetValue(value, count, text or value) for value, count, text in cursor.fetchall()
            ]
        facets["type"] = [
            FacetValue(facet.value, facet.count, DOCUMENT_TYPES.get(facet.value, facet.value))
            for facet in sorted(
                facets["type"],
                key=lambda facet: (
                    list(DOCUMENT_TYPES).index(facet.value)
                    if facet.value in DOCUMENT_TYPES
                    else len(DOCUMENT_TYPES),
                    facet.value,
                ),
            )
        ]
        cursor.execute(
            f"SELECT th.theme, COUNT(*) FROM {THEMES} th WHERE th.document_id IN "
            f"(SELECT d.id {from_where}) GROUP BY th.theme ORDER BY COUNT(*) DESC, th.theme",
            params,
        )
        facets["theme"] = [FacetValue(value, count) for value, count in cursor.fetchall()]
        sums = ", ".join(f"SUM(CASE WHEN d.{name} THEN 1 ELSE 0 END)" for name in OUTCOMES)
        cursor.execute(f"SELECT {sums} {from_where}", params)
        counts = cursor.fetchone()
        facets["outcome"] = [
            FacetValue(name, int(count or 0), label)
            for (name, label), count in zip(OUTCOMES.items(), counts, strict=True)
            if count
        ]
        return facets

"""The embedded backend: full-text search inside the site's own database.

No search server needed: SQLite uses its FTS5 extension (porter stemming,
bm25 ranking with column weights), PostgreSQL its weighted `tsvector` with
`ts_rank`. Both share one SQL shape, so filters, facets, tiers and outcome
weighting behave the same; only the "text" part differs per database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import connection, transaction
from django.utils.html import escape

from search.backends.base import (
    FIELD_WEIGHTS,
    OTHER_LANGUAGE_WEIGHT,
    OUTCOME_BOOST,
    OUTCOMES,
    FacetValue,
    IndexDocument,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    abbreviation_forms,
    abbreviation_tokens,
    exact_words,
    is_abbreviation,
)
from search.backends.facet_counts import facets_of, index_changed
from search.backends.fragments import best_fragment
from search.models import SearchDocument, SearchDocumentTheme

DOCS = SearchDocument._meta.db_table
THEMES = SearchDocumentTheme._meta.db_table
MARK_START, MARK_END = "\x02", "\x03"
# SQLite: the temporary table a search's matches are gathered in (`_base`).
HITS = "search_matches"
NO_FILTER = "1=1"
NARROW_INDEX = "search_document_narrow"  # SearchDocument.Meta.indexes
SAFE_TERM = re.compile(r"[^\w]+", re.UNICODE)
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = (
    FIELD_WEIGHTS[name] for name in ("title", "summary", "body")
)
# PostgreSQL's text search configuration: 'english' with accents folded
# (migration 0003_folded_text_search).
PG_CONFIG = "exchange_folded"
SNIPPET_TOKENS = 28  # about the 160 characters of an Elasticsearch fragment
BATCH_SIZE = 500
# Ties (and browsing) as the Elasticsearch backend orders them: newest, then by doc_id.
NEWEST_FIRST = "d.year IS NULL, d.year DESC, d.doc_id"
STRONGEST_FIRST = f"d.outcome_strength DESC, {NEWEST_FIRST}"

# What a hit shows, in the order `_search` unpacks it.
DISPLAY_COLUMNS = (
    "d.id, d.doc_id, d.type, d.title, d.url, d.summary, d.country, d.country_name, d.region, "
    "d.income_group, d.year, d.outcome_strength, d.starred, d.complete, d.opened_government, "
    "d.implemented, d.details"
)

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


def _abbreviation_words(phrase: str) -> list[str]:
    """What the full-text index is asked for an abbreviation: its forms, lower-cased (the
    index is), so that PostgreSQL's stemmer, which keeps "bos", finds "BOs" too."""
    return list(dict.fromkeys(form.lower() for form in abbreviation_forms(phrase)))


def _searched(kind: str, phrase: str) -> list[str]:
    if kind == "group" and is_abbreviation(phrase):
        return _abbreviation_words(phrase)
    return [phrase]


def _clauses(query, phrase, alternatives, preferred_only=False):
    """One (expression, weight) per query part that has searchable tokens.

    `preferred_only`: only the phrases that count fully for relevance
    (`SearchQuery.phrase_weight`), for the relevance of the reformer's languages.
    """
    clauses = []
    for kind, phrases, weight in query.weighted_parts:
        usable = [
            phrase(searched)
            for p in phrases
            if _tokens(p) and not (preferred_only and query.phrase_weight(p) < 1)
            for searched in _searched(kind, p)
        ]
        if usable:
            clauses.append((alternatives(usable), weight))
    return clauses


def _coverage(query, phrase, alternatives, condition, exact_condition):
    """(SQL, params) of the coverage of each part, and whether any part has abbreviations.

    A part counts when one of its phrases matches (`condition`, with one full-text
    expression); an abbreviation ("BO") only when the text also has it as a word
    (`exact_condition`, with the expression and the abbreviation's `exact_token`s): the
    stemmer would make it match "BOS".
    """
    terms, params, exact = [], [], False
    for kind, phrases, weight in query.weighted_parts:
        usable = [p for p in phrases if _tokens(p)]
        short = [p for p in usable if kind == "group" and is_abbreviation(p)]
        regular = [phrase(p) for p in usable if p not in short]
        conditions = []
        if regular:
            conditions.append(condition)
            params.append(alternatives(regular))
        if short:
            exact = True
            conditions.append(exact_condition)
            words = [phrase(word) for p in short for word in _abbreviation_words(p)]
            params += [alternatives(words), [t for p in short for t in abbreviation_tokens(p)]]
        if conditions:
            terms.append(f"(CASE WHEN {' OR '.join(conditions)} THEN {weight} ELSE 0 END)")
    return " + ".join(terms), params, exact


class _SqliteText:
    """FTS5 match expressions: quoted tokens, phrases in quotes, OR between alternatives."""

    @staticmethod
    def phrase(phrase):
        return '"' + " ".join(_tokens(phrase)) + '"'

    def clauses(self, query):
        return _clauses(query, self.phrase, lambda items: "(" + " OR ".join(items) + ")")

    def any_expression(self, query):
        return " OR ".join(expression for expression, _ in self.clauses(query))

    def fill_hits(self, cursor, query) -> None:
        """Gather the matches (id, rel, cov) in the temporary table, one query part at a time.

        FTS5's bm25 of an OR of phrases is the sum of each phrase's, so matching each
        part on its own and adding up gives the relevance of matching them all at once,
        and the coverage on the way: every phrase is looked up once (matching all parts
        together and then each part for its coverage looked each up twice). Within a
        part, phrases in other languages are matched apart and count
        OTHER_LANGUAGE_WEIGHT; abbreviations are matched apart and kept only where the
        text has them as written (its `exact_words` column holds their tokens).
        """
        bm25 = f"-bm25(search_fts, {TITLE_WEIGHT}, {SUMMARY_WEIGHT}, {BODY_WEIGHT}, 0)"
        for number, (kind, phrases, weight) in enumerate(query.weighted_parts):
            usable = [p for p in phrases if _tokens(p)]
            short = [p for p in usable if kind == "group" and is_abbreviation(p)]
            selects = []
            for factor, chosen in (
                (1.0, [p for p in usable if p not in short and query.phrase_weight(p) == 1]),
                (OTHER_LANGUAGE_WEIGHT, [p for p in usable if query.phrase_weight(p) < 1]),
            ):
                chosen = [p for p in chosen if p not in short]
                if chosen:
                    selects.append(
                        (
                            f"SELECT rowid AS id, {factor} * {bm25} AS rel FROM search_fts "
                            "WHERE search_fts MATCH %s",
                            [" OR ".join(self.phrase(p) for p in chosen)],
                        )
                    )
            if short:
                words = [word for p in short for word in _abbreviation_words(p)]
                tokens = [token for p in short for token in abbreviation_tokens(p)]
                written = " OR ".join(f'"{token}"' for token in tokens)
                stemmed = " OR ".join(self.phrase(word) for word in words)
                selects.append(
                    (
                        f"SELECT rowid AS id, {bm25} AS rel FROM search_fts "
                        "WHERE search_fts MATCH %s",
                        [f"({stemmed}) AND exact_words : ({written})"],
                    )
                )
            for select, select_params in selects:
                # A document the part already counted (through another of its
                # selects) gains relevance, not coverage. WHERE true: SQLite's parser
                # needs it before ON CONFLICT after a SELECT.
                cursor.execute(
                    f"INSERT INTO temp.{HITS} (id, rel, cov, part) "
                    f"SELECT id, rel, {weight}, {number} FROM ({select}) WHERE true "
                    "ON CONFLICT (id) DO UPDATE SET rel = rel + excluded.rel, "
                    "cov = cov + CASE WHEN part = excluded.part THEN 0 ELSE excluded.cov END, "
                    "part = excluded.part",
                    select_params,
                )

    def snippets(self, query, ids):
        """(id, summary snippet, body with its matches marked): the title is shown beside
        it anyway. The body's fragment is chosen by `body_fragment` (search.backends.fragments:
        FTS5's snippet() costs a long text's matches squared).

        `+rowid`: not a constraint FTS5 sees. Given `rowid IN (...)`, FTS5 evaluates the
        whole expression again for each id, and a thesaurus group in three languages is
        twenty to fifty phrases: one pass over the matches, keeping the page's ids, costs
        half as much on the real data (3.6 ms instead of 6.7 for "access to information").
        """
        any_parts = self.any_expression(query)
        placeholders = ",".join(["%s"] * len(ids))
        sql = (
            "SELECT rowid, "
            f"snippet(search_fts, 1, char(2), char(3), '…', {SNIPPET_TOKENS}), "
            "highlight(search_fts, 2, char(2), char(3)) "
            f"FROM search_fts WHERE search_fts MATCH %s AND +rowid IN ({placeholders})"
        )
        return sql, [any_parts, *ids]

    @staticmethod
    def body_fragment(body: str | None) -> str:
        return best_fragment(body, SNIPPET_TOKENS, MARK_START, MARK_END) if body else ""

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

    def clauses(self, query, preferred_only=False):
        return _clauses(
            query, self.phrase, lambda items: "(" + " | ".join(items) + ")", preferred_only
        )

    def any_expression(self, query, preferred_only=False):
        return " | ".join(expression for expression, _ in self.clauses(query, preferred_only))

    def cte(self, query):
        coverage, coverage_params, exact = _coverage(
            query,
            self.phrase,
            lambda items: "(" + " | ".join(items) + ")",
            f"search_vector @@ to_tsquery('{PG_CONFIG}', %s)",
            f"(search_vector @@ to_tsquery('{PG_CONFIG}', %s) AND "
            "string_to_array(exact_words, ' ') && %s::text[])",
        )
        any_expression = self.any_expression(query)
        preferred = self.any_expression(query, preferred_only=True)
        rank = f"ts_rank({self.weights}, search_vector, to_tsquery('{PG_CONFIG}', %s))"
        if preferred == any_expression:
            relevance, rank_params = rank, [any_expression]
        else:  # as on SQLite: other languages' phrases count OTHER_LANGUAGE_WEIGHT
            relevance = f"{rank} + {OTHER_LANGUAGE_WEIGHT} * {rank}"
            rank_params = [preferred or "''", any_expression]
        sql = (
            f"SELECT id, {relevance} AS rel, "
            f"{coverage} AS cov FROM {DOCS} WHERE search_vector @@ to_tsquery('{PG_CONFIG}', %s)"
        )
        params = [*rank_params, *coverage_params, any_expression]
        if exact:  # a document matching only a stemmed abbreviation ("fois") is no hit
            return f"SELECT * FROM ({sql}) matched WHERE cov > 0", params
        return sql, params

    def snippets(self, query, ids):
        """(id, summary snippet, body snippet), as SQLite gives them."""
        any_parts = self.any_expression(query)
        placeholders = ",".join(["%s"] * len(ids))
        options = (
            "'StartSel=\x02, StopSel=\x03, "
            f"MaxWords={SNIPPET_TOKENS + 7}, MinWords=15, MaxFragments=1'"
        )
        tsquery = f"to_tsquery('{PG_CONFIG}', %s)"
        sql = (
            f"SELECT id, ts_headline('{PG_CONFIG}', summary, {tsquery}, {options}), "
            f"ts_headline('{PG_CONFIG}', body, {tsquery}, {options}) "
            f"FROM {DOCS} WHERE id IN ({placeholders})"
        )
        return sql, [any_parts, any_parts, *ids]

    @staticmethod
    def body_fragment(body: str | None) -> str:
        """ts_headline has cut it already; "" when it marks nothing."""
        return body if body and MARK_START in body else ""

    def update_vectors(self, cursor, ids):
        if not ids:
            return
        placeholders = ",".join(["%s"] * len(ids))
        cursor.execute(
            f"UPDATE {DOCS} SET search_vector = "
            f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('{PG_CONFIG}', coalesce(summary, '')), 'B') || "
            f"setweight(to_tsvector('{PG_CONFIG}', coalesce(body, '')), 'C') "
            f"WHERE id IN ({placeholders})",
            list(ids),
        )


class _Matches(NamedTuple):
    """The documents a search matches, as SQL: `FROM ... WHERE ...` and its parameters,
    whether text was searched (there is a relevance), and optionally a shorter query of
    their ids alone (`ids`)."""

    from_where: str
    params: list
    has_text: bool
    ids_sql: str | None = None

    @property
    def ids(self) -> str:
        return self.ids_sql or f"SELECT d.id {self.from_where}"

    @property
    def ids_params(self) -> list:
        return [] if self.ids_sql else self.params


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
        if written:
            index_changed()
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
                exact_words=exact_words(document.title, document.summary, document.body),
                **{name: getattr(document, name) for name in DOCUMENT_FIELDS},
            )
            for doc_id, document in unique.items()
        ]
        to_update = [row for row in rows if row.id]
        SearchDocument.objects.bulk_update(to_update, [*DOCUMENT_FIELDS, "exact_words"])
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
        deleted, _ = SearchDocument.objects.filter(doc_id__in=list(doc_ids)).delete()
        if deleted:
            index_changed()

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
            index_changed()
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
        return (" AND ".join(clauses) or NO_FILTER), params

    def _base(self, cursor, query: SearchQuery) -> _Matches:
        """The matching documents (`_Matches`).

        On SQLite the full-text matches are computed once into a temporary table: as a
        subquery, SQLite would re-run the match for every filtered row and again for each
        facet query (seconds instead of milliseconds at 10,000 documents).
        """
        where, params = self._filters(query)
        if not self.text.clauses(query):
            return _Matches(f"FROM {DOCS} d WHERE {where}", params, has_text=False)
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {HITS} "
                "(id INTEGER PRIMARY KEY, rel REAL, cov INTEGER, part INTEGER)"
            )
            cursor.execute(f"DELETE FROM temp.{HITS}")
            self.text.fill_hits(cursor, query)
            # CROSS JOIN keeps the (small) hit table as the outer loop; the narrow index
            # has every column ranking, filters and facets read (SQLite would otherwise
            # read each matching row, texts and all, without statistics to tell it).
            return _Matches(
                f"FROM temp.{HITS} t CROSS JOIN {DOCS} d INDEXED BY {NARROW_INDEX} "
                f"ON d.id = t.id WHERE {where}",
                params,
                has_text=True,
                # Unfiltered, the hits are the matches: no need to join the documents.
                ids_sql=f"SELECT id FROM temp.{HITS}" if where == NO_FILTER else None,
            )
        cte_sql, cte_params = self.text.cte(query)
        return _Matches(
            f"FROM {DOCS} d JOIN ({cte_sql}) t ON t.id = d.id WHERE {where}",
            [*cte_params, *params],
            has_text=True,
        )

    def search(self, query: SearchQuery) -> SearchResults:
        with connection.cursor() as cursor:
            return self._search(cursor, query)

    def _search(self, cursor, query: SearchQuery) -> SearchResults:
        matches = self._base(cursor, query)
        from_where, params, has_text = matches.from_where, matches.params, matches.has_text
        if has_text:
            select = (
                f"t.cov AS coverage, t.rel * (1 + {OUTCOME_BOOST} * d.outcome_strength) AS score"
            )
            order = f"coverage DESC, score DESC, {NEWEST_FIRST}"
        else:
            # Browsing ranks nothing: no relevance to report (Elasticsearch gives none either).
            select = f"{query.total_weight or 1} AS coverage, 0.0 AS score"
            order = STRONGEST_FIRST if query.browse_order == "strongest" else NEWEST_FIRST
        # Rank (and count) on narrow rows, then read the page's documents: sorting every
        # hit with its text costs tens of milliseconds on broad queries. With facets, they
        # give the total (every document has a type) and the window is not needed.
        count = "0" if query.facets else "COUNT(*) OVER ()"
        cursor.execute(
            f"SELECT {DISPLAY_COLUMNS}, r.coverage, r.score, r.total FROM "
            f"(SELECT d.id AS id, {select}, {count} AS total {from_where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s) r "
            f"JOIN {DOCS} d ON d.id = r.id ORDER BY {order}",
            [*params, query.page_size, query.offset],
        )
        rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        facets = self._facets(cursor, matches) if query.facets else {}
        if facets:
            total = sum(value.count for value in facets["type"])
        elif rows:
            total = rows[0][-1]
        else:
            total = self._count(cursor, from_where, params)
        themes = self._themes_of(cursor, ids)
        snippets = (
            self._snippets(cursor, query, ids) if has_text and query.highlight and ids else {}
        )
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
        for pk, summary, body in cursor.fetchall():
            # The summary's match if it has one, else the body's (as Elasticsearch picks).
            if summary and MARK_START in summary:
                snippets[pk] = _mark(summary)
            elif fragment := self.text.body_fragment(body):
                snippets[pk] = _mark(fragment)
        return snippets

    def _facets(self, cursor, matches: _Matches) -> dict[str, list[FacetValue]]:
        """Counts per value over every match: their ids, read once, counted against this
        process's copy of the facet columns (search/backends/facet_counts.py)."""
        cursor.execute(matches.ids, matches.ids_params)
        return facets_of(pk for (pk,) in cursor.fetchall())

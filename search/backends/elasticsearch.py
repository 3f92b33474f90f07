"""The Elasticsearch backend: production search that can scale out.

Searches go through an alias (`search.documents.index_name()`); the data lives in
versioned indexes `<alias>-<UTC timestamp>-<random>`. `rebuild` fills a fresh
version and swaps the alias in one atomic call, so search never goes dark, and
writes made while a rebuild runs go to both the serving and the new index, so no
edit is lost by the swap.

Analyzers are set per field and carry no synonym filter: the theme thesaurus is
expanded at query time by the search service (`SearchQuery.groups`). Besides
keeping both backends alike, this is what the in-memory test server (osmem)
supports: it ignores synonym filters and an index-level default analyzer, and has
no scripting, so outcome strength is folded in with `field_value_factor`.

Ranking (see the contract on `SearchQuery`): each query part is also a named
`constant_score` clause worth `weight x TIER_BOOST`, so documents sort by coverage
first, then by text relevance times (1 + OUTCOME_BOOST x outcome_strength). Hits report
their coverage (from `matched_queries`) and their score without the coverage
bonus, as the embedded backend does: peer matching reads `SearchHit.score` as
relevance times the outcome factor.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import import_module

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.dsl import (
    Boolean,
    Document,
    Float,
    Index,
    Integer,
    Keyword,
    Object,
    Text,
    analyzer,
    char_filter,
    token_filter,
)
from elasticsearch.helpers import streaming_bulk

from search.backends.base import (
    DOCUMENT_TYPES,
    FIELD_WEIGHTS,
    GROUP_WEIGHT,
    MAX_PAGE_SIZE,
    OUTCOME_BOOST,
    OUTCOMES,
    WORD_WEIGHT,
    BackendUnavailable,
    FacetValue,
    IndexDocument,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResults,
    abbreviation_forms,
    is_abbreviation,
)
from search.documents import index_name
from search.thesaurus import ENGLISH_SPELLINGS, FOREIGN_STOPWORDS

TEXT_FIELDS = [f"{name}^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
EXACT_FIELDS = [f"{name}.exact^{weight:g}" for name, weight in FIELD_WEIGHTS.items()]
HIGHLIGHT_FIELDS = ["summary", "body"]  # in the order a snippet prefers them
SNIPPET_LENGTH = 160
CHUNK_SIZE = 500
# Per unit of coverage weight: larger than any realistic text relevance, so coverage
# always ranks first; small enough that float32 scores still tell documents apart.
TIER_BOOST = 1000.0
# Elasticsearch's default index.max_result_window: deeper pages are refused.
MAX_RESULT_WINDOW = 10_000
PART_NAME = "part-{}"  # names each coverage clause, so hits tell which parts they matched
# The version a first `index()` creates when no rebuild has run yet. Fixed, so that
# two workers racing to create it end up with one index; it sorts before any rebuild.
FIRST_VERSION = "00000000000000-000000"
KEYWORD_FILTERS = {
    "types": "type",
    "themes": "themes",
    "countries": "country",
    "regions": "region",
    "income_groups": "income_group",
}
OPTIONAL_KEYWORDS = ("country", "country_name", "region", "income_group")


# Lucene's English stop words (the "english" analyzer's), as folded words.
ENGLISH_STOPWORDS = """a an and are as at be but by for if in into is it no not of on or such
that the their then there these they this to was will with""".split()  # noqa: SIM905
# Letters a French elision leaves once apostrophes split words ("l'accès": "l", "accès").
ELIDED = "c d j l m n s t qu jusqu lorsqu puisqu".split()  # noqa: SIM905

# Elasticsearch's "english" analyzer, rebuilt for text and queries in English, French and
# Spanish: apostrophes split words ("l'information" is "l" and "information"), accents
# are folded ("información" is "informacion"), and the function words of the three
# languages are dropped (so "a" in "acceso a la información" is never a match of its
# own; a phrase still matches by position), then English stemming. Only standard parts
# that real Elasticsearch 8 and the osmem test server both support: a pattern_replace
# character filter rather than the elision filter, a stop list rather than _english_.
APOSTROPHES = char_filter("apostrophes", type="pattern_replace", pattern="['’]", replacement=" ")
FOLDED = analyzer(
    "folded",
    tokenizer="standard",
    char_filter=[APOSTROPHES],
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "trilingual_stop",
            type="stop",
            stopwords=sorted(
                {*ENGLISH_STOPWORDS, *ELIDED, *(FOREIGN_STOPWORDS - ENGLISH_SPELLINGS)}
            ),
        ),
        token_filter("english_stemmer", type="stemmer", language="english"),
    ],
)


# The words as written, case included, for abbreviations (`abbreviation_forms`): each
# text field has it as its "exact" sub-field.
EXACT = analyzer("exact", tokenizer="standard", char_filter=[APOSTROPHES], filter=["asciifolding"])


def searchable_text():
    return Text(analyzer=FOLDED, fields={"exact": Text(analyzer=EXACT)})


class ExchangeDocument(Document):
    """The index mapping; one document per `IndexDocument`."""

    doc_id = Keyword()
    type = Keyword()
    title = searchable_text()
    summary = searchable_text()
    body = searchable_text()
    url = Keyword(index=False)
    country = Keyword()
    country_name = Keyword()
    region = Keyword()
    income_group = Keyword()
    themes = Keyword(multi=True)
    year = Integer()
    starred = Boolean()
    complete = Boolean()
    opened_government = Boolean()
    implemented = Boolean()
    outcome_strength = Float()
    # Display-only: carried back in hits, never searched, never mapped field by field.
    details = Object(enabled=False)


def to_source(doc: IndexDocument) -> dict:
    source = {
        "doc_id": doc.doc_id,
        "type": doc.type,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "url": doc.url,
        "themes": list(doc.themes),
        "year": doc.year,
        "outcome_strength": doc.outcome_strength,
        "details": doc.details,
        **{name: getattr(doc, name) for name in OUTCOMES},
    }
    # Missing rather than "", so facets do not list an empty country or region.
    for name in OPTIONAL_KEYWORDS:
        source[name] = getattr(doc, name) or None
    return source


def resolve_node_class(node_class):
    """A dotted path from settings, a class, or one of the client's names ("urllib3")."""
    if isinstance(node_class, str) and "." in node_class:
        module, _, name = node_class.rpartition(".")
        return getattr(import_module(module), name)
    return node_class or None


@contextmanager
def unavailable_on_failure(action: str):
    """Turn "the server cannot answer" into BackendUnavailable; let real bugs through."""
    try:
        yield
    except TransportError as exc:  # refused, timed out, TLS, unreadable response
        raise BackendUnavailable(f"Elasticsearch {action} failed: {exc}") from exc
    except ApiError as exc:
        if exc.meta.status == 429 or exc.meta.status >= 500:
            raise BackendUnavailable(f"Elasticsearch {action} failed: {exc}") from exc
        raise


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        index: str | None = None,
        node_class=None,
        timeout: float = 5.0,
        max_retries: int = 1,
        refresh: bool = True,
    ):
        """`index` is the alias (default `search.documents.index_name()`).

        `refresh` makes writes searchable as soon as `index`/`delete` return, so an
        editor who publishes and then searches finds the page.
        """
        if index is None:
            index = index_name()
        self.alias = index
        self.refresh = refresh
        self._version_name = re.compile(rf"^{re.escape(index)}-\d{{14}}-[0-9a-f]{{6}}$")
        options = {"request_timeout": timeout, "max_retries": max_retries}
        node_class = resolve_node_class(node_class)
        if node_class:
            options["node_class"] = node_class
        # A timed-out request is not retried: the site answers with its fallback instead.
        self.client = Elasticsearch(url, retry_on_timeout=False, **options)

    # Index versions

    def new_version_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        return f"{self.alias}-{stamp}-{uuid.uuid4().hex[:6]}"

    def versions(self) -> dict[str, bool]:
        """Versioned indexes, oldest first, each with whether the alias points at it."""
        found = self.client.indices.get_alias(index=f"{self.alias}-*")
        return {
            name: self.alias in (found[name].get("aliases") or {})
            for name in sorted(found)
            if self._version_name.match(name)
        }

    def create_version(self, name: str, *, serving: bool = False, loading: bool = False):
        index = Index(name)
        index.document(ExchangeDocument)
        settings = {"number_of_shards": 1}
        if loading:  # bulk loads faster without periodic refreshes
            settings["refresh_interval"] = "-1"
        index.settings(**settings)
        if serving:
            index.aliases(**{self.alias: {}})
        index.create(using=self.client)

    def write_targets(self, create: bool = True) -> tuple[list[str], list[str]]:
        """(serving indexes, all indexes a write must reach), creating the first one."""
        versions = self.versions()
        serving = [name for name, aliased in versions.items() if aliased]
        if not serving and not create:
            return [], list(versions)
        if not serving:
            first = f"{self.alias}-{FIRST_VERSION}"
            try:
                self.create_version(first, serving=True)
            except ApiError as exc:
                if exc.meta.status != 400 or "already_exists" not in str(exc):
                    raise
            return [first], [first, *(name for name in versions if name > first)]
        # Versions newer than the serving one are rebuilds in progress: they must see
        # this write too, or the alias swap would undo it.
        building = [name for name in versions if name > serving[-1]]
        return serving, serving + building

    # Writes

    def _bulk(self, actions: Iterable[dict], **kwargs) -> Iterator[tuple[bool, dict]]:
        return streaming_bulk(self.client, actions, chunk_size=CHUNK_SIZE, **kwargs)

    def index(self, documents: Iterable[IndexDocument]) -> int:
        with unavailable_on_failure("indexing"):
            serving, targets = self.write_targets()
            written = 0

            def actions():
                nonlocal written
                for doc in documents:
                    written += 1
                    source = to_source(doc)
                    for target in targets:
                        yield {"_index": target, "_id": doc.doc_id, "_source": source}

            for _ in self._bulk(actions()):  # a failed item raises BulkIndexError
                pass
            if self.refresh and written:
                self.client.indices.refresh(index=serving)
        return written

    def delete(self, doc_ids: Iterable[str]) -> None:
        with unavailable_on_failure("delete"):
            serving, targets = self.write_targets(create=False)
            actions = (
                {"_op_type": "delete", "_index": target, "_id": doc_id}
                for doc_id in doc_ids
                for target in targets
            )
            deleted = sum(1 for _ in self._bulk(actions, ignore_status=(404,)))
            if self.refresh and deleted and serving:
                self.client.indices.refresh(index=serving)

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Load a new version, then swap the alias to it atomically.

        `progress(n)` is called after each chunk with the number of documents just
        written (an increment, as `tqdm.update` expects).
        """
        with unavailable_on_failure("rebuild"):
            new = self.new_version_name()
            self.create_version(new, loading=True)
            try:
                written = self._load(new, documents, progress)
                self.client.indices.put_settings(
                    index=new, settings={"index": {"refresh_interval": None}}
                )
                self.client.indices.refresh(index=new)
                self._swap_alias_to(new)
            except BaseException:
                with suppress(TransportError, ApiError):  # keep the original error
                    self.client.indices.delete(index=new, ignore_unavailable=True)
                raise
            # Older versions: the one just unaliased and any left by a failed rebuild.
            old = [name for name in self.versions() if name < new]
            if old:
                self.client.indices.delete(index=old, ignore_unavailable=True)
        return written

    def _load(self, index: str, documents, progress) -> int:
        actions = (
            {"_index": index, "_id": doc.doc_id, "_source": to_source(doc)} for doc in documents
        )
        written = pending = 0
        for _ok, _item in self._bulk(actions, max_retries=3):
            written += 1
            pending += 1
            if pending == CHUNK_SIZE:
                if progress:
                    progress(pending)
                pending = 0
        if progress and pending:
            progress(pending)
        return written

    def _swap_alias_to(self, new: str) -> None:
        serving = [name for name, aliased in self.versions().items() if aliased]
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in serving]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)

    # Reads

    def count(self) -> int:
        with unavailable_on_failure("count"):
            try:
                return self.client.count(index=self.alias)["count"]
            except NotFoundError:
                return 0

    def ping(self) -> bool:
        try:
            self.client.info()
        except (TransportError, ApiError):
            return False
        return True

    def search(self, query: SearchQuery) -> SearchResults:
        body = self.search_body(query)
        with unavailable_on_failure("search"):
            try:
                response = self.client.search(index=self.alias, **body)
            except NotFoundError:  # nothing indexed yet: an empty site, not an outage
                return SearchResults(total=0, hits=[], backend=self.name)
        weights = [weight for _, _, weight in query.weighted_parts]
        return SearchResults(
            total=response["hits"]["total"]["value"],
            hits=[self._hit(hit, weights) for hit in response["hits"]["hits"]],
            facets=self._facets(response.get("aggregations") or {}),
            backend=self.name,
        )

    def search_body(self, query: SearchQuery) -> dict:
        """The keyword arguments of `client.search` for `query` (public for debugging)."""
        words, groups = query.words, query.groups
        filters = self._filters(query)
        size = max(0, min(query.page_size, MAX_PAGE_SIZE))
        offset = max(0, query.offset)
        if offset + size > MAX_RESULT_WINDOW:
            offset = size = 0  # beyond the deepest page: totals and facets only
        body: dict = {
            "from_": offset,
            "size": size,
            "track_total_hits": True,
            "source_excludes": ["body"],
        }
        if words or groups:
            body["query"] = self._text_query(query, filters)
            body["sort"] = ["_score", {"year": {"order": "desc"}}, {"doc_id": "asc"}]
            if query.highlight:
                body["highlight"] = {
                    "encoder": "html",
                    "pre_tags": ["<mark>"],
                    "post_tags": ["</mark>"],
                    "fields": {
                        name: {"fragment_size": SNIPPET_LENGTH, "number_of_fragments": 1}
                        for name in HIGHLIGHT_FIELDS
                    },
                }
        else:
            body["query"] = {"bool": {"filter": filters}} if filters else {"match_all": {}}
            newest = [{"year": {"order": "desc"}}, {"doc_id": "asc"}]
            if query.browse_order == "strongest":
                body["sort"] = [{"outcome_strength": {"order": "desc"}}, *newest]
            else:
                body["sort"] = newest
        if query.facets:
            body["aggs"] = self._aggregations()
        return body

    @staticmethod
    def _filters(query: SearchQuery) -> list[dict]:
        """Any of the values within one facet, every facet, every outcome asked for."""
        filters = [
            {"terms": {field: list(getattr(query, name))}}
            for name, field in KEYWORD_FILTERS.items()
            if getattr(query, name)
        ]
        filters += [{"term": {name: True}} for name in query.outcomes if name in OUTCOMES]
        return filters

    @staticmethod
    def _text_query(query: SearchQuery, filters: list[dict]) -> dict:
        words, groups = query.words, query.groups

        def phrase_query(phrase: str) -> dict:
            if is_abbreviation(phrase):  # as written, unstemmed: "BO" is not "BOS"
                return {
                    "multi_match": {
                        "query": " ".join(abbreviation_forms(phrase)),
                        "fields": EXACT_FIELDS,
                        "boost": query.phrase_weight(phrase),
                    }
                }
            return {
                "multi_match": {
                    "query": phrase,
                    "fields": TEXT_FIELDS,
                    "type": "phrase",
                    "boost": query.phrase_weight(phrase),
                }
            }

        def parts(zero_terms: str) -> list[dict]:
            # A stopword-only word ("the") analyses to nothing: it must not keep a
            # document out of the top tier, nor on its own make everything a hit.
            clauses = [
                {
                    "multi_match": {
                        "query": word,
                        "fields": TEXT_FIELDS,
                        "operator": "and",
                        "zero_terms_query": zero_terms,
                    }
                }
                for word in words
            ]
            clauses += [
                # dis_max: a document naming two phrases of a group is no more relevant.
                {"dis_max": {"queries": [phrase_query(phrase) for phrase in group]}}
                for group in groups
            ]
            return clauses

        relevance = {
            "function_score": {
                "query": {"bool": {"should": parts("none"), "minimum_should_match": 1}},
                # 1 + OUTCOME_BOOST x outcome_strength, without scripts.
                "functions": [
                    {"weight": 1},
                    {
                        "field_value_factor": {
                            "field": "outcome_strength",
                            "factor": OUTCOME_BOOST,
                            "modifier": "none",
                            "missing": 0,
                        }
                    },
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        }
        weights = [WORD_WEIGHT] * len(words) + [GROUP_WEIGHT] * len(groups)
        coverage = [
            {
                "constant_score": {
                    "filter": clause,
                    "boost": weight * TIER_BOOST,
                    "_name": PART_NAME.format(number),
                }
            }
            for number, (clause, weight) in enumerate(zip(parts("all"), weights, strict=True))
        ]
        return {"bool": {"must": [relevance], "should": coverage, "filter": filters}}

    @staticmethod
    def _aggregations() -> dict:
        return {
            "type": {"terms": {"field": "type", "size": 50}},
            "theme": {"terms": {"field": "themes", "size": 100}},
            "country": {
                "terms": {"field": "country", "size": 250},
                "aggs": {"name": {"terms": {"field": "country_name", "size": 1}}},
            },
            "region": {"terms": {"field": "region", "size": 50}},
            "income_group": {"terms": {"field": "income_group", "size": 50}},
            "outcome": {
                "filters": {"filters": {name: {"term": {name: True}} for name in OUTCOMES}}
            },
        }

    @staticmethod
    def _facets(aggregations: dict) -> dict[str, list[FacetValue]]:
        if not aggregations:
            return {}

        def buckets(name: str) -> list[dict]:
            return aggregations[name]["buckets"]

        facets: dict[str, list[FacetValue]] = {}
        types = {bucket["key"]: bucket["doc_count"] for bucket in buckets("type")}
        order = list(DOCUMENT_TYPES) + sorted(set(types) - set(DOCUMENT_TYPES))
        facets["type"] = [
            FacetValue(name, types[name], DOCUMENT_TYPES.get(name, name))
            for name in order
            if types.get(name)
        ]
        facets["theme"] = [FacetValue(b["key"], b["doc_count"]) for b in buckets("theme")]
        facets["country"] = [
            FacetValue(
                b["key"],
                b["doc_count"],
                b["name"]["buckets"][0]["key"] if b["name"]["buckets"] else b["key"],
            )
            for b in buckets("country")
        ]
        for name in ("region", "income_group"):
            facets[name] = [FacetValue(b["key"], b["doc_count"], b["key"]) for b in buckets(name)]
        outcomes = buckets("outcome")
        facets["outcome"] = [
            FacetValue(name, outcomes[name]["doc_count"], label)
            for name, label in OUTCOMES.items()
            if outcomes.get(name, {}).get("doc_count")
        ]
        return facets

    @staticmethod
    def _hit(hit: dict, weights: list[int]) -> SearchHit:
        source = hit["_source"]
        score = hit.get("_score") or 0.0
        matched = hit.get("matched_queries") or ()  # a list, or a dict in newer ES
        covered = sum(
            weight for number, weight in enumerate(weights) if PART_NAME.format(number) in matched
        )
        score -= covered * TIER_BOOST
        fragments = hit.get("highlight") or {}
        snippet = next(
            (fragments[name][0] for name in HIGHLIGHT_FIELDS if fragments.get(name)),
            html.escape(source.get("summary") or ""),
        )
        return SearchHit(
            doc_id=source["doc_id"],
            type=source["type"],
            title=source["title"],
            url=source.get("url") or "",
            score=score,
            snippet=snippet,
            coverage=covered / sum(weights) if weights else 1.0,
            country=source.get("country") or "",
            country_name=source.get("country_name") or "",
            region=source.get("region") or "",
            income_group=source.get("income_group") or "",
            themes=tuple(source.get("themes") or ()),
            year=source.get("year"),
            outcome_strength=source.get("outcome_strength") or 0.0,
            outcomes=tuple(name for name in OUTCOMES if source.get(name)),
            details=source.get("details") or {},
        )

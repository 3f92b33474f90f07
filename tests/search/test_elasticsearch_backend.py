"""The Elasticsearch backend against osmem, an in-memory Elasticsearch stand-in.

The corpus is synthetic: made-up countries with private-use ISO3 codes (XA…),
written so that each ranking rule has exactly one pair of documents to decide.
"""

import time
from dataclasses import replace

import pytest
from elasticsearch import ApiError, Elasticsearch

from search.backends.base import BackendUnavailable, IndexDocument, SearchQuery
from search.backends.elasticsearch import FIRST_VERSION, TIER_BOOST, ElasticsearchBackend
from search.documents import index_name
from search.transport import PlainJsonHttpNode, plain_mimetype

MAPPING = {"properties": {"title": {"type": "text"}}}
FOI = ("freedom of information", "right to information", "foi")

CORPUS = [
    IndexDocument(
        doc_id="casestudy-1",
        type="casestudy",
        title="Open procurement portal",
        url="/case-studies/open-procurement-portal/",
        summary="Every public tender published as open data.",
        body="Tenders, awards and contracts are published within a week of signature.",
        country="XAA",
        country_name="Testland Alpha",
        region="North Testia",
        income_group="High income",
        themes=("open-contracting",),
        year=2019,
        outcome_strength=0.3,
        details={"status": "planned", "sample": True},
    ),
    IndexDocument(
        doc_id="casestudy-2",
        type="casestudy",
        title="Citizen budget for schools",
        url="/case-studies/citizen-budget/",
        summary="A plain-language budget for parents.",
        body=(
            "Parents read the school budget. Later the ministry also reformed procurement "
            "of school meals, although that was not the focus of the reform."
        ),
        country="XBB",
        country_name="Testland Beta",
        region="South Testia",
        income_group="Low income",
        themes=("fiscal-openness",),
        year=2021,
        implemented=True,
        outcome_strength=1.0,
    ),
    IndexDocument(
        doc_id="commitment-XAA0001",
        type="commitment",
        title="Right to information law",
        url="/countries/xaa/#XAA0001",
        summary="Testland Alpha, action plan 2018-2020",
        body="Ministry of Justice <Information Unit> & partners",
        country="XAA",
        country_name="Testland Alpha",
        region="North Testia",
        income_group="High income",
        themes=("right-to-information",),
        year=2018,
        starred=True,
        complete=True,
        opened_government=True,
        outcome_strength=0.9,
    ),
    IndexDocument(
        doc_id="commitment-XBB0001",
        type="commitment",
        title="Beneficial ownership disclosure",
        url="/countries/xbb/#XBB0001",
        summary="Testland Beta, action plan 2020-2022",
        body="Company owners declared to the companies office.",
        country="XBB",
        country_name="Testland Beta",
        region="South Testia",
        income_group="Low income",
        themes=("beneficial-ownership",),
        year=2020,
        outcome_strength=0.2,
    ),
    IndexDocument(
        doc_id="commitment-XBB0002",
        type="commitment",
        title="Public registry of company owners",
        url="/countries/xbb/#XBB0002",
        summary="Testland Beta, action plan 2022-2024",
        body="A public registry of the beneficial ownership of companies.",
        country="XBB",
        country_name="Testland Beta",
        region="South Testia",
        income_group="Low income",
        themes=("beneficial-ownership",),
        year=2022,
        complete=True,
        outcome_strength=0.7,
    ),
    # Two documents identical in text: only their outcome strength can order them.
    IndexDocument(
        doc_id="commitment-XCC0001",
        type="commitment",
        title="Audit follow-up tracker",
        url="/countries/xcc/#XCC0001",
        summary="Testland Gamma, action plan 2016-2018",
        body="Supreme audit institution",
        country="XCC",
        country_name="Testland Gamma",
        region="North Testia",
        income_group="Upper middle income",
        themes=("fiscal-openness",),
        year=2016,
        outcome_strength=0.1,
    ),
    IndexDocument(
        doc_id="commitment-XCC0002",
        type="commitment",
        title="Audit follow-up tracker",
        url="/countries/xcc/#XCC0002",
        summary="Testland Gamma, action plan 2016-2018",
        body="Supreme audit institution",
        country="XCC",
        country_name="Testland Gamma",
        region="North Testia",
        income_group="Upper middle income",
        themes=("fiscal-openness",),
        year=2016,
        outcome_strength=0.9,
    ),
    IndexDocument(
        doc_id="course-1",
        type="course",
        title="Reformer basics",
        url="/learning/reformer-basics/",
        summary="How co-creation with civil society works.",
    ),
]
BY_ID = {doc.doc_id: doc for doc in CORPUS}


def synthetic_documents(count: int, start: int = 0) -> list[IndexDocument]:
    return [
        IndexDocument(
            doc_id=f"commitment-XZZ{n:05d}",
            type="commitment",
            title=f"Synthetic commitment {n} on open data",
            url=f"/countries/xzz/#XZZ{n:05d}",
            summary="Testland Zeta, action plan 2030-2032",
            body="Open data portal, procurement and budget transparency. " * 5,
            country="XZZ",
            country_name="Testland Zeta",
            themes=("open-data",),
            year=2030,
            outcome_strength=(n % 10) / 10,
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def backend(elasticsearch_backend):
    elasticsearch_backend.index(CORPUS)
    return elasticsearch_backend


def ids(results) -> list[str]:
    return [hit.doc_id for hit in results.hits]


def facet(results, name) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


# Talking to osmem at all


def test_plain_json_node_class_is_what_makes_osmem_accept_requests(elasticsearch_url):
    """Why search.transport exists: osmem refuses the client's vendor content type."""
    default = Elasticsearch(elasticsearch_url, max_retries=0)
    with pytest.raises(ApiError) as refused:
        default.indices.create(index="probe", mappings=MAPPING)
    assert refused.value.meta.status == 406

    plain = Elasticsearch(elasticsearch_url, max_retries=0, node_class=PlainJsonHttpNode)
    assert plain.indices.create(index="probe", mappings=MAPPING)["acknowledged"]
    assert plain.info()["cluster_name"] == "osmem"


def test_backend_uses_node_class_named_in_settings(elasticsearch_backend):
    nodes = elasticsearch_backend.client.transport.node_pool.all()
    assert all(isinstance(node, PlainJsonHttpNode) for node in nodes)
    assert elasticsearch_backend.ping()


def test_plain_mimetype_rewrites_json_and_ndjson_only():
    assert plain_mimetype("application/vnd.elasticsearch+json; compatible-with=8") == (
        "application/json"
    )
    assert plain_mimetype("application/vnd.elasticsearch+x-ndjson; compatible-with=8") == (
        "application/x-ndjson"
    )
    assert plain_mimetype("text/plain") == "text/plain"


# Writing


def test_empty_backend_answers_with_no_results(elasticsearch_backend):
    results = elasticsearch_backend.search(SearchQuery(words=("procurement",)))
    assert (results.total, results.hits, results.backend) == (0, [], "elasticsearch")
    assert elasticsearch_backend.count() == 0


def test_first_index_creates_a_versioned_index_behind_the_alias(backend):
    assert backend.alias == index_name()
    assert backend.versions() == {f"{index_name()}-{FIRST_VERSION}": True}
    assert backend.count() == len(CORPUS)


def test_reindexing_a_document_replaces_it(backend):
    edited = replace(BY_ID["course-1"], title="Reformer essentials", summary="Renamed course.")
    assert backend.index([edited]) == 1

    assert ids(backend.search(SearchQuery(words=("essentials",)))) == ["course-1"]
    assert backend.search(SearchQuery(words=("basics",))).total == 0
    assert backend.count() == len(CORPUS)


def test_delete_removes_documents_and_ignores_unknown_ids(backend):
    backend.delete(["casestudy-1", "casestudy-999"])

    assert backend.count() == len(CORPUS) - 1
    assert "casestudy-1" not in ids(backend.search(SearchQuery(words=("procurement",))))


def test_delete_before_anything_was_indexed_is_a_no_op(elasticsearch_backend):
    elasticsearch_backend.delete(["casestudy-1"])
    assert elasticsearch_backend.count() == 0


# Reading: hits, filters, facets, snippets


def test_hit_carries_display_fields_and_details(backend):
    (hit,) = backend.search(SearchQuery(words=("portal",))).hits

    assert (hit.doc_id, hit.type, hit.title, hit.url) == (
        "casestudy-1",
        "casestudy",
        "Open procurement portal",
        "/case-studies/open-procurement-portal/",
    )
    assert (hit.country, hit.country_name, hit.region, hit.income_group) == (
        "XAA",
        "Testland Alpha",
        "North Testia",
        "High income",
    )
    assert hit.themes == ("open-contracting",)
    assert hit.year == 2019
    assert hit.outcomes == ()
    assert hit.outcome_strength == 0.3
    assert hit.details == {"status": "planned", "sample": True}


def test_english_stemming_matches_other_word_forms(backend):
    assert ids(backend.search(SearchQuery(words=("audits",)))) == [
        "commitment-XCC0002",
        "commitment-XCC0001",
    ]
    assert "commitment-XBB0002" in ids(backend.search(SearchQuery(words=("registries",))))


def test_browsing_without_words_lists_newest_first(backend):
    results = backend.search(SearchQuery())

    assert results.total == len(CORPUS)
    assert ids(results)[:3] == ["commitment-XBB0002", "casestudy-2", "commitment-XBB0001"]
    assert ids(results)[-1] == "course-1"  # no year at all comes last


def test_pages_do_not_overlap(backend):
    first = backend.search(SearchQuery(page=1, page_size=3))
    second = backend.search(SearchQuery(page=2, page_size=3))

    assert first.total == second.total == len(CORPUS)
    assert len(first.hits) == len(second.hits) == 3
    assert not set(ids(first)) & set(ids(second))


def test_filters_combine_values_with_or_and_facets_with_and(backend):
    query = SearchQuery(types=("commitment",), countries=("XAA", "XBB"))
    assert sorted(ids(backend.search(query))) == [
        "commitment-XAA0001",
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]

    query = SearchQuery(regions=("South Testia",), income_groups=("Low income",))
    assert sorted(ids(backend.search(query))) == [
        "casestudy-2",
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]

    query = SearchQuery(themes=("beneficial-ownership", "right-to-information"))
    assert backend.search(query).total == 3


def test_outcome_filters_each_require_their_outcome(backend):
    assert sorted(ids(backend.search(SearchQuery(outcomes=("complete",))))) == [
        "commitment-XAA0001",
        "commitment-XBB0002",
    ]
    assert ids(backend.search(SearchQuery(outcomes=("complete", "starred")))) == [
        "commitment-XAA0001"
    ]


def test_filters_apply_to_text_search(backend):
    results = backend.search(SearchQuery(words=("procurement",), types=("casestudy",)))
    assert sorted(ids(results)) == ["casestudy-1", "casestudy-2"]
    assert backend.search(SearchQuery(words=("procurement",), types=("course",))).total == 0


def test_facets_count_the_filtered_results(backend):
    results = backend.search(SearchQuery())

    assert [(v.value, v.count, v.label) for v in results.facets["type"]] == [
        ("casestudy", 2, "Case study"),
        ("commitment", 5, "Commitment"),
        ("course", 1, "Course"),
    ]
    assert facet(results, "theme") == {
        "open-contracting": 1,
        "fiscal-openness": 3,
        "right-to-information": 1,
        "beneficial-ownership": 2,
    }
    assert facet(results, "country") == {"XAA": 2, "XBB": 3, "XCC": 2}
    labels = {v.value: v.label for v in results.facets["country"]}
    assert labels["XCC"] == "Testland Gamma"
    assert facet(results, "region") == {"North Testia": 4, "South Testia": 3}
    assert facet(results, "income_group") == {
        "High income": 2,
        "Low income": 3,
        "Upper middle income": 2,
    }
    assert facet(results, "outcome") == {
        "starred": 1,
        "complete": 2,
        "opened_government": 1,
        "implemented": 1,
    }

    filtered = backend.search(SearchQuery(countries=("XBB",)))
    assert facet(filtered, "type") == {"casestudy": 1, "commitment": 2}
    assert facet(filtered, "outcome") == {"complete": 1, "implemented": 1}


def test_no_facets_when_not_asked(backend):
    assert backend.search(SearchQuery(facets=False)).facets == {}


def test_snippet_marks_matches_and_escapes_the_text(backend):
    (hit,) = backend.search(SearchQuery(words=("unit",))).hits

    assert "<mark>Unit</mark>" in hit.snippet
    assert "&lt;Information" in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<Information" not in hit.snippet


def test_snippet_is_a_short_fragment_of_a_long_body(elasticsearch_backend):
    long_body = "Filler sentence about nothing in particular. " * 40 + "The lighthouse reform."
    elasticsearch_backend.index(
        [IndexDocument(doc_id="course-9", type="course", title="Long", url="/", body=long_body)]
    )
    (hit,) = elasticsearch_backend.search(SearchQuery(words=("lighthouse",))).hits

    assert "<mark>lighthouse</mark>" in hit.snippet
    assert len(hit.snippet) < 300


def test_snippet_falls_back_to_escaped_summary(backend):
    (hit,) = backend.search(SearchQuery(words=("tracker",), countries=("XCC",), page_size=1)).hits
    assert hit.snippet == "Testland Gamma, action plan 2016-2018"

    plain = backend.search(SearchQuery(words=("portal",), highlight=False)).hits[0]
    assert plain.snippet == "Every public tender published as open data."


# Synonym groups and ranking


def test_synonym_group_matches_any_phrase_of_the_group(backend):
    assert backend.search(SearchQuery(words=("freedom",))).total == 0

    results = backend.search(SearchQuery(text="freedom of information", groups=(FOI,)))
    assert ids(results) == ["commitment-XAA0001"]
    assert results.hits[0].title == "Right to information law"


def test_phrases_of_a_group_match_only_as_phrases(backend):
    assert backend.search(SearchQuery(words=("unit", "information"))).total == 1
    assert backend.search(SearchQuery(groups=(("information unit",),))).total == 1
    assert backend.search(SearchQuery(groups=(("unit information",),))).total == 0


def test_documents_matching_every_word_rank_before_partial_matches(backend):
    """XBB0001 has 'beneficial ownership' in its title but no registry: it comes second."""
    results = backend.search(SearchQuery(words=("beneficial", "ownership", "registry")))

    assert ids(results) == ["commitment-XBB0002", "commitment-XBB0001"]


def test_scores_are_relevance_times_outcome_without_the_tier_bonus(backend):
    """Peer matching divides the outcome factor back out of SearchHit.score."""
    results = backend.search(SearchQuery(words=("beneficial", "ownership", "registry")))
    full, partial = results.hits

    assert 0 < full.score < TIER_BOOST
    assert 0 < partial.score < TIER_BOOST


def test_any_word_or_group_finds_a_document(backend):
    query = SearchQuery(words=("law",), groups=(FOI, ("beneficial ownership",)))
    assert set(ids(backend.search(query))) == {
        "commitment-XAA0001",
        "commitment-XBB0001",
        "commitment-XBB0002",
    }


def test_documents_matching_words_and_groups_rank_before_group_only_matches(backend):
    """XBB0001 names beneficial ownership in its title, yet lacks the registry."""
    query = SearchQuery(words=("registry",), groups=(("beneficial ownership",),))
    assert ids(backend.search(query)) == ["commitment-XBB0002", "commitment-XBB0001"]


def test_title_match_ranks_before_body_only_match(backend):
    results = backend.search(SearchQuery(words=("procurement",)))
    assert ids(results) == ["casestudy-1", "casestudy-2"]


def test_stronger_outcome_breaks_ties_in_relevance(backend):
    results = backend.search(SearchQuery(words=("audit", "tracker")))

    assert ids(results) == ["commitment-XCC0002", "commitment-XCC0001"]
    strong, weak = (hit.score for hit in results.hits)
    assert strong / weak == pytest.approx((1 + 0.5 * 0.9) / (1 + 0.5 * 0.1), rel=1e-3)


def test_stopwords_neither_block_nor_widen_a_search(backend):
    results = backend.search(SearchQuery(words=("the", "procurement")))
    assert ids(results) == ["casestudy-1", "casestudy-2"]


def test_unparsed_text_is_searched_as_plain_words(backend):
    assert ids(backend.search(SearchQuery(text="Procurement!"))) == ["casestudy-1", "casestudy-2"]


# Rebuild


def test_rebuild_swaps_the_alias_and_removes_the_old_index(backend):
    old_versions = set(backend.versions())
    reported = []

    written = backend.rebuild(CORPUS[:3], progress=reported.append)

    assert written == 3
    assert sum(reported) == 3
    (new_version,) = backend.versions()
    assert new_version not in old_versions
    assert backend.versions() == {new_version: True}
    assert backend.count() == 3
    assert sorted(ids(backend.search(SearchQuery()))) == sorted(d.doc_id for d in CORPUS[:3])


def test_search_keeps_answering_during_rebuild_and_no_edit_is_lost(backend):
    documents = synthetic_documents(1200)
    seen_during = []

    def progress(n):
        if not seen_during:
            # Mid-rebuild: the old index still serves, and edits go to both indexes.
            seen_during.append(backend.search(SearchQuery(words=("procurement",))).total)
            seen_during.append(backend.count())
            backend.index([replace(CORPUS[0], doc_id="casestudy-77")])
            backend.delete(["commitment-XZZ00000"])

    assert backend.rebuild(documents, progress=progress) == 1200

    assert seen_during == [2, len(CORPUS)]
    assert backend.count() == 1200  # 1200 rebuilt - 1 deleted + 1 added meanwhile
    assert backend.search(SearchQuery(words=("synthetic",))).total == 1199
    assert ids(backend.search(SearchQuery(words=("tender",)))) == ["casestudy-77"]
    assert len(backend.versions()) == 1


def test_failed_rebuild_leaves_the_serving_index_alone(backend):
    def broken_documents():
        yield from CORPUS[:2]
        raise RuntimeError("database went away")

    versions = backend.versions()
    with pytest.raises(RuntimeError):
        backend.rebuild(broken_documents())

    assert backend.versions() == versions
    assert backend.count() == len(CORPUS)


def test_rebuild_of_an_empty_cluster_creates_the_alias(elasticsearch_backend):
    assert elasticsearch_backend.rebuild(CORPUS) == len(CORPUS)
    assert elasticsearch_backend.search(SearchQuery(words=("portal",))).total == 1


# Outages


def test_unreachable_server_raises_backend_unavailable_quickly():
    backend = ElasticsearchBackend(
        "http://127.0.0.1:1", index="offline", node_class=PlainJsonHttpNode, timeout=2
    )
    started = time.monotonic()

    assert not backend.ping()
    with pytest.raises(BackendUnavailable):
        backend.search(SearchQuery(words=("procurement",)))
    with pytest.raises(BackendUnavailable):
        backend.index(CORPUS[:1])
    with pytest.raises(BackendUnavailable):
        backend.count()

    assert time.monotonic() - started < 3

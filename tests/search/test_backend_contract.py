"""The search contract (search/backends/base.py), run against every backend.

The same tests run on the embedded backend (SQLite FTS5 or PostgreSQL full text,
whichever database the test run uses) and on Elasticsearch (osmem, an in-memory
stand-in: skipped locally when it cannot start, required under CI=true). A
difference between the backends is a bug in one of them: views, the API and peer
matching never ask which backend they have.

The corpus is synthetic: made-up countries with private-use ISO3 codes (XAA…),
written so that each rule has one pair of documents to decide it.
"""

from dataclasses import replace

import pytest
from django.core.cache import cache

from search import service
from search.backends import facet_counts
from search.backends.base import IndexDocument, SearchQuery
from search.backends.embedded import EmbeddedBackend
from search.models import SearchDocument
from search.thesaurus import parse

pytestmark = pytest.mark.django_db

NORTH, SOUTH = "North Testia", "South Testia"

CORPUS = [
    IndexDocument(
        doc_id="casestudy-9001",
        type="casestudy",
        title="Open procurement portal",
        url="/case-studies/xaa-open-procurement-portal/",
        summary="Every public tender published as open data.",
        body="Tenders, awards and contracts appear within a week of signature.",
        country="XAA",
        country_name="Testland Alpha",
        region=NORTH,
        income_group="High income",
        themes=("open-contracting", "public-procurement"),
        year=2019,
        outcome_strength=0.3,
        details={"status": "planned", "sample": True},
    ),
    IndexDocument(
        doc_id="casestudy-9002",
        type="casestudy",
        title="Citizen budget for schools",
        url="/case-studies/xbb-citizen-budget/",
        summary="A plain-language budget for parents.",
        body=(
            "Parents read the school budget. Later the ministry also reformed procurement "
            "of school meals, although that was not the focus of the reform."
        ),
        country="XBB",
        country_name="Testland Beta",
        region=SOUTH,
        income_group="Low income",
        themes=("fiscal-openness",),
        year=2021,
        implemented=True,
        outcome_strength=1.0,
        details={"status": "implemented", "sample": True},
    ),
    IndexDocument(
        doc_id="commitment-XAA0001",
        type="commitment",
        title="Right to information law",
        url="/countries/xaa/#XAA0001",
        summary="Testland Alpha, action plan 2018-2020",
        body="Ministry of Justice and the national archives",
        country="XAA",
        country_name="Testland Alpha",
        region=NORTH,
        income_group="High income",
        themes=("right-to-information",),
        year=2018,
        starred=True,
        complete=True,
        opened_government=True,
        outcome_strength=0.9,
        details={"irm": {"completion": "complete", "starred": True}},
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
        region=SOUTH,
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
        region=SOUTH,
        income_group="Low income",
        themes=("beneficial-ownership",),
        year=2022,
        complete=True,
        outcome_strength=0.7,
    ),
    # Identical in text: only their outcome strength can order them.
    IndexDocument(
        doc_id="commitment-XCC0001",
        type="commitment",
        title="Audit follow-up tracker",
        url="/countries/xcc/#XCC0001",
        summary="Testland Gamma, action plan 2014-2016",
        body="Supreme audit institution",
        country="XCC",
        country_name="Testland Gamma",
        region=NORTH,
        income_group="Upper middle income",
        themes=("fiscal-openness",),
        year=2014,
        outcome_strength=0.1,
    ),
    IndexDocument(
        doc_id="commitment-XCC0002",
        type="commitment",
        title="Audit follow-up tracker",
        url="/countries/xcc/#XCC0002",
        summary="Testland Gamma, action plan 2015-2017",
        body="Supreme audit institution",
        country="XCC",
        country_name="Testland Gamma",
        region=NORTH,
        income_group="Upper middle income",
        themes=("fiscal-openness",),
        year=2015,
        outcome_strength=0.9,
    ),
    IndexDocument(
        doc_id="course-9001",
        type="course",
        title="Lighthouse manual for editors",
        url="/learning/xaa-lighthouse/",
        summary="A course with no country and no year.",
        body='Editors once pasted <script>alert("owned")</script> into the lighthouse manual & '
        "it must come back as text.",
    ),
]
BY_ID = {doc.doc_id: doc for doc in CORPUS}


@pytest.fixture(params=["embedded", "elasticsearch"])
def backend(request):
    """A backend holding exactly the synthetic corpus."""
    if request.param == "embedded":
        backend = EmbeddedBackend()
        backend.rebuild(CORPUS)  # also drops what the session's real data put there
    else:
        backend = request.getfixturevalue("elasticsearch_backend")
        backend.index(CORPUS)
    return backend


def search(backend, **kwargs):
    return backend.search(SearchQuery(**kwargs))


def ids(results) -> list[str]:
    return [hit.doc_id for hit in results.hits]


def facet(results, name) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


# --- Writing ----------------------------------------------------------------------------


def test_index_makes_documents_countable_and_findable(backend):
    assert backend.count() == len(CORPUS)
    assert ids(search(backend, words=("portal",))) == ["casestudy-9001"]


def test_reindexing_a_document_replaces_it(backend):
    edited = replace(BY_ID["course-9001"], title="Beacon handbook", themes=("open-data",))

    assert backend.index([edited]) == 1

    assert ids(search(backend, words=("beacon",))) == ["course-9001"]
    assert search(backend, words=("editors",), types=("course",)).total == 1
    assert search(backend, words=("lighthouse",)).hits[0].title == "Beacon handbook"
    assert ids(search(backend, themes=("open-data",))) == ["course-9001"]
    assert backend.count() == len(CORPUS)


def test_reindexing_a_document_forgets_its_old_words(backend):
    """A word only the old title had no longer finds the document."""
    edited = replace(BY_ID["casestudy-9001"], title="Open tender noticeboard")

    backend.index([edited])

    assert search(backend, words=("portal",)).total == 0
    assert ids(search(backend, words=("noticeboard",))) == ["casestudy-9001"]


def test_delete_removes_documents_and_ignores_unknown_ids(backend):
    backend.delete(["casestudy-9001", "casestudy-999999"])

    assert backend.count() == len(CORPUS) - 1
    assert ids(search(backend, words=("procurement",))) == ["casestudy-9002"]


def test_hit_carries_the_display_fields_of_its_document(backend):
    (hit,) = search(backend, words=("portal",)).hits

    assert (hit.doc_id, hit.type, hit.title, hit.url) == (
        "casestudy-9001",
        "casestudy",
        "Open procurement portal",
        "/case-studies/xaa-open-procurement-portal/",
    )
    assert (hit.country, hit.country_name, hit.region, hit.income_group) == (
        "XAA",
        "Testland Alpha",
        NORTH,
        "High income",
    )
    assert hit.themes == ("open-contracting", "public-procurement")
    assert (hit.year, hit.outcome_strength, hit.outcomes) == (2019, 0.3, ())
    assert hit.details == {"status": "planned", "sample": True}
    (starred,) = search(backend, words=("archives",)).hits
    assert starred.outcomes == ("starred", "complete", "opened_government")


def test_words_match_other_forms_of_the_same_word(backend):
    assert ids(search(backend, words=("audits",))) == ["commitment-XCC0002", "commitment-XCC0001"]
    assert ids(search(backend, words=("registries",))) == ["commitment-XBB0002"]


# --- Filters and facets -----------------------------------------------------------------


def test_type_filter(backend):
    assert sorted(ids(search(backend, types=("casestudy",)))) == [
        "casestudy-9001",
        "casestudy-9002",
    ]
    assert search(backend, types=("casestudy", "course")).total == 3


def test_theme_filter_matches_any_of_the_themes(backend):
    assert sorted(ids(search(backend, themes=("beneficial-ownership",)))) == [
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]
    assert search(backend, themes=("beneficial-ownership", "right-to-information")).total == 3
    assert ids(search(backend, themes=("public-procurement",))) == ["casestudy-9001"]


def test_country_region_and_income_filters_combine(backend):
    query = {"types": ("commitment",), "countries": ("XAA", "XBB")}
    assert sorted(ids(search(backend, **query))) == [
        "commitment-XAA0001",
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]
    assert sorted(ids(search(backend, regions=(SOUTH,)))) == [
        "casestudy-9002",
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]
    assert sorted(ids(search(backend, income_groups=("Upper middle income",)))) == [
        "commitment-XCC0001",
        "commitment-XCC0002",
    ]
    assert search(backend, regions=(NORTH,), income_groups=("Low income",)).total == 0


def test_outcome_filters_each_require_their_outcome(backend):
    assert sorted(ids(search(backend, outcomes=("complete",)))) == [
        "commitment-XAA0001",
        "commitment-XBB0002",
    ]
    assert ids(search(backend, outcomes=("complete", "starred"))) == ["commitment-XAA0001"]
    assert ids(search(backend, outcomes=("implemented",))) == ["casestudy-9002"]
    assert ids(search(backend, outcomes=("opened_government",))) == ["commitment-XAA0001"]


def test_filters_apply_to_text_search(backend):
    assert ids(search(backend, words=("procurement",), types=("casestudy",))) == [
        "casestudy-9001",
        "casestudy-9002",
    ]
    assert ids(search(backend, words=("procurement",), countries=("XBB",))) == ["casestudy-9002"]
    assert search(backend, words=("procurement",), types=("course",)).total == 0


def test_facets_count_every_match_not_only_the_page(backend):
    results = search(backend, page_size=1)

    assert len(results.hits) == 1
    assert [(v.value, v.count, v.label) for v in results.facets["type"]] == [
        ("casestudy", 2, "Case study"),
        ("commitment", 5, "Commitment"),
        ("course", 1, "Course"),
    ]
    assert facet(results, "theme") == {
        "open-contracting": 1,
        "public-procurement": 1,
        "fiscal-openness": 3,
        "right-to-information": 1,
        "beneficial-ownership": 2,
    }
    assert facet(results, "country") == {"XAA": 2, "XBB": 3, "XCC": 2}
    assert {v.value: v.label for v in results.facets["country"]}["XCC"] == "Testland Gamma"
    assert facet(results, "region") == {NORTH: 4, SOUTH: 3}
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


def test_facets_follow_filters_and_text(backend):
    filtered = search(backend, countries=("XBB",))
    assert facet(filtered, "type") == {"casestudy": 1, "commitment": 2}
    assert facet(filtered, "outcome") == {"complete": 1, "implemented": 1}

    text = search(backend, words=("procurement",))
    assert facet(text, "country") == {"XAA": 1, "XBB": 1}
    assert facet(text, "theme") == {
        "open-contracting": 1,
        "public-procurement": 1,
        "fiscal-openness": 1,
    }


def test_embedded_facets_follow_a_change_another_process_made():
    """Each process counts facets on its own copy of the facet columns: a change another
    process made reaches it through the shared token that process's write retired."""
    backend = EmbeddedBackend()
    backend.rebuild(CORPUS)
    assert facet(search(backend, countries=("XCC",)), "region") == {NORTH: 2}

    # What another process's reindexing leaves: the rows changed, the shared token gone.
    SearchDocument.objects.filter(country="XCC").update(region="East Testia")
    cache.delete(facet_counts.TOKEN_KEY)

    assert facet(search(backend, countries=("XCC",)), "region") == {"East Testia": 2}
    assert facet(search(backend), "region") == {NORTH: 2, SOUTH: 3, "East Testia": 2}


def test_embedded_facets_count_a_document_indexed_since_the_copy_was_made(monkeypatch):
    """A match the copy does not know makes it read again: no count leaves it out, even
    when the write's notice never reached this process."""
    backend = EmbeddedBackend()
    backend.rebuild(CORPUS)
    assert facet(search(backend, words=("lighthouse",)), "type") == {"course": 1}

    monkeypatch.setattr("search.backends.embedded.index_changed", lambda: None)
    backend.index([replace(BY_ID["course-9001"], doc_id="course-9002", country="XBB")])

    results = search(backend, words=("lighthouse",))
    assert results.total == 2
    assert facet(results, "type") == {"course": 2}
    assert facet(results, "country") == {"XBB": 1}


def test_no_match_gives_no_hits_and_empty_facets(backend):
    results = search(backend, words=("xyzzyplugh",))

    assert (results.total, results.hits) == (0, [])
    assert all(values == [] for values in results.facets.values())


def test_no_facets_when_not_asked(backend):
    assert search(backend, facets=False).facets == {}


# --- Snippets ---------------------------------------------------------------------------


def test_snippet_marks_the_match(backend):
    (hit,) = search(backend, words=("signature",)).hits

    assert "<mark>signature</mark>" in hit.snippet


def test_snippet_escapes_markup_in_the_document(backend):
    """The only tags in a snippet are <mark>s; the document's own text is escaped.

    PostgreSQL's ts_headline drops tag-like text instead of keeping it; SQLite and
    Elasticsearch keep it, escaped. Either way nothing from a document runs.
    """
    (hit,) = search(backend, words=("lighthouse",)).hits

    assert "<mark>lighthouse</mark>" in hit.snippet
    assert "<script" not in hit.snippet
    unmarked = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in unmarked and ">" not in unmarked
    assert "manual &amp; it must" in unmarked
    assert "&quot;owned&quot;" in unmarked
    if "script" in unmarked:
        assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;" in unmarked


def test_snippet_without_highlighting_is_the_escaped_summary(backend):
    (hit,) = search(backend, words=("portal",), highlight=False).hits

    assert hit.snippet == "Every public tender published as open data."


def test_snippet_is_the_summary_when_only_the_title_matches(backend):
    (hit,) = search(backend, words=("portal",)).hits

    assert hit.snippet == "Every public tender published as open data."


def test_snippet_is_a_short_fragment_of_a_long_body(backend):
    """The mark keeps the document's own case around the match."""
    body = "Filler sentence about nothing in particular. " * 40 + "The Beacon reform."
    backend.index(
        [IndexDocument(doc_id="course-9002", type="course", title="Long", url="/", body=body)]
    )

    (hit,) = search(backend, words=("beacon",)).hits

    assert "<mark>Beacon</mark>" in hit.snippet
    assert len(hit.snippet) < 300


# --- Thesaurus expansion ----------------------------------------------------------------


def test_group_matches_a_document_using_another_phrase_of_the_group(backend, real_data):
    """'freedom of information' finds the law titled 'right to information' (one theme)."""
    parsed = parse("freedom of information")
    assert "right to information" in parsed.groups[0]
    assert search(backend, words=("freedom",)).total == 0

    results = search(backend, text="freedom of information", groups=parsed.groups)

    assert ids(results) == ["commitment-XAA0001"]
    assert results.hits[0].coverage == 1.0


def test_phrases_of_a_group_match_only_as_phrases(backend):
    assert search(backend, groups=(("national archives",),)).total == 1
    assert search(backend, groups=(("archives national",),)).total == 0


def test_any_word_or_group_finds_a_document(backend):
    query = {"words": ("law",), "groups": (("beneficial ownership", "company owners"),)}
    assert sorted(ids(search(backend, **query))) == [
        "commitment-XAA0001",
        "commitment-XBB0001",
        "commitment-XBB0002",
    ]


def test_text_a_caller_did_not_parse_is_parsed_by_the_service(backend, monkeypatch):
    """Backends search parsed parts only; the service parses a prepared query's text."""
    monkeypatch.setattr(service, "get_search_backend", lambda: backend)
    found = service.search_query(SearchQuery(text="Procurement!"))
    assert ids(found) == ["casestudy-9001", "casestudy-9002"]
    assert ids(found) == ids(service.search("Procurement!").results)


# --- Ranking ----------------------------------------------------------------------------


def test_documents_matching_every_word_rank_before_partial_matches(backend):
    """XBB0001 has 'beneficial ownership' in its title but no registry: it comes second."""
    results = search(backend, words=("beneficial", "ownership", "registry"))

    assert ids(results) == ["commitment-XBB0002", "commitment-XBB0001"]
    assert [hit.coverage for hit in results.hits] == [1.0, pytest.approx(2 / 3)]


def test_a_group_weighs_twice_a_word(backend):
    """Matching the group (2 of 3) beats matching the word (1 of 3), whatever the text."""
    results = search(backend, words=("archives",), groups=(("company owners",),))

    assert ids(results) == ["commitment-XBB0002", "commitment-XBB0001", "commitment-XAA0001"]
    assert [hit.coverage for hit in results.hits] == [
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
        pytest.approx(1 / 3),
    ]


def test_words_and_groups_together_rank_before_the_group_alone(backend):
    query = {"words": ("registry",), "groups": (("beneficial ownership",),)}
    results = search(backend, **query)

    assert ids(results) == ["commitment-XBB0002", "commitment-XBB0001"]
    assert [hit.coverage for hit in results.hits] == [1.0, pytest.approx(2 / 3)]


def test_title_match_ranks_before_body_only_match(backend):
    """Even though the body-only document has the stronger outcome (1.0 against 0.3)."""
    results = search(backend, words=("procurement",))

    assert ids(results) == ["casestudy-9001", "casestudy-9002"]
    assert results.hits[0].score > results.hits[1].score > 0


def test_stronger_outcome_breaks_ties_in_relevance(backend):
    results = search(backend, words=("audit", "tracker"))

    assert ids(results) == ["commitment-XCC0002", "commitment-XCC0001"]
    strong, weak = (hit.score for hit in results.hits)
    assert strong / weak == pytest.approx((1 + 0.5 * 0.9) / (1 + 0.5 * 0.1), rel=1e-3)
    assert all(hit.coverage == 1.0 for hit in results.hits)


# --- Browsing and pages -----------------------------------------------------------------


def test_browsing_without_words_lists_newest_first(backend):
    results = search(backend)

    assert results.total == len(CORPUS)
    assert ids(results) == [
        "commitment-XBB0002",  # 2022
        "casestudy-9002",  # 2021
        "commitment-XBB0001",  # 2020
        "casestudy-9001",
        "commitment-XAA0001",
        "commitment-XCC0002",
        "commitment-XCC0001",  # 2014
        "course-9001",  # no year: last
    ]


def test_browsing_with_filters_keeps_newest_first(backend):
    assert ids(search(backend, countries=("XCC",))) == ["commitment-XCC0002", "commitment-XCC0001"]


def test_pages_split_the_results_without_overlap(backend):
    pages = [search(backend, page=number, page_size=3) for number in (1, 2, 3)]

    assert [results.total for results in pages] == [len(CORPUS)] * 3
    assert [len(results.hits) for results in pages] == [3, 3, 2]
    seen = [doc_id for results in pages for doc_id in ids(results)]
    assert seen == ids(search(backend))


def test_a_page_past_the_end_is_empty_but_keeps_the_total(backend):
    results = search(backend, words=("procurement",), page=5, page_size=10)

    assert (results.total, results.hits) == (2, [])


def test_text_results_are_paginated_in_rank_order(backend):
    query = {"words": ("company", "owners", "archives")}
    first = search(backend, page=1, page_size=1, **query)
    second = search(backend, page=2, page_size=1, **query)

    assert first.total == second.total == 3
    assert ids(first) + ids(second) == ids(search(backend, **query))[:2]


# --- Rebuild ----------------------------------------------------------------------------


def test_rebuild_replaces_the_whole_index(backend):
    reported = []

    written = backend.rebuild(CORPUS[:3], progress=reported.append)

    assert written == 3
    assert sum(reported) == 3
    assert backend.count() == 3
    assert sorted(ids(search(backend))) == sorted(doc.doc_id for doc in CORPUS[:3])
    assert search(backend, words=("audit",)).total == 0


def test_rebuild_with_nothing_empties_the_index(backend):
    assert backend.rebuild([]) == 0

    assert backend.count() == 0
    assert search(backend).total == 0


def test_failed_rebuild_keeps_the_documents_it_had(backend):
    def broken_documents():
        yield from CORPUS[:2]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken_documents())

    assert backend.count() == len(CORPUS)
    assert ids(search(backend, words=("audit",))) == ["commitment-XCC0002", "commitment-XCC0001"]


def test_backend_reports_its_name_and_answers(backend):
    assert backend.ping()
    results = search(backend, words=("portal",))
    assert results.backend == backend.name
    assert results.notice == ""

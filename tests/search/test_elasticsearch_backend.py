"""What only the Elasticsearch backend has, against osmem (an in-memory stand-in).

Everything a backend promises (filters, facets, snippets, ranking, rebuilds
replacing the index) is asserted on both backends by test_backend_contract.py,
on its synthetic corpus; this file reuses that corpus and covers what the
contract cannot see: the plain-JSON transport osmem needs, versioned indexes
behind an alias, the work done during a rebuild, the English analyzer's
stopwords, the score without the coverage bonus, and an unreachable server.
"""

import time
from dataclasses import replace

import pytest
from elasticsearch import ApiError, Elasticsearch

from search.backends.base import BackendUnavailable, IndexDocument
from search.backends.elasticsearch import FIRST_VERSION, TIER_BOOST, ElasticsearchBackend
from search.documents import index_name
from search.transport import PlainJsonHttpNode, plain_mimetype
from tests.search.test_backend_contract import CORPUS, ids, search

MAPPING = {"properties": {"title": {"type": "text"}}}


def synthetic_documents(count: int) -> list[IndexDocument]:
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
        for n in range(count)
    ]


@pytest.fixture
def backend(elasticsearch_backend):
    """The contract's corpus, indexed without a rebuild: one version behind the alias."""
    elasticsearch_backend.index(CORPUS)
    return elasticsearch_backend


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


# Before the first write: no alias, no index


def test_empty_backend_answers_with_no_results(elasticsearch_backend):
    results = search(elasticsearch_backend, words=("procurement",))
    assert (results.total, results.hits, results.backend) == (0, [], "elasticsearch")
    assert elasticsearch_backend.count() == 0


def test_delete_before_anything_was_indexed_is_a_no_op(elasticsearch_backend):
    elasticsearch_backend.delete(["casestudy-9001"])
    assert elasticsearch_backend.count() == 0


def test_first_index_creates_a_versioned_index_behind_the_alias(backend):
    assert backend.alias == index_name()
    assert backend.versions() == {f"{index_name()}-{FIRST_VERSION}": True}
    assert backend.count() == len(CORPUS)


def test_rebuild_of_an_empty_cluster_creates_the_alias(elasticsearch_backend):
    assert elasticsearch_backend.rebuild(CORPUS) == len(CORPUS)
    assert search(elasticsearch_backend, words=("portal",)).total == 1


# Analysis and scores


def test_stopwords_neither_block_nor_widen_a_search(backend):
    """'the' analyses to nothing: it keeps no document out of the top tier, adds none."""
    assert ids(search(backend, words=("the", "procurement"))) == [
        "casestudy-9001",
        "casestudy-9002",
    ]


def test_scores_are_relevance_times_outcome_without_the_tier_bonus(backend):
    """Peer matching divides the outcome factor back out of SearchHit.score."""
    full, partial = search(backend, words=("beneficial", "ownership", "registry")).hits

    assert 0 < full.score < TIER_BOOST
    assert 0 < partial.score < TIER_BOOST


# Rebuild: a new version, then one atomic alias swap


def test_rebuild_swaps_the_alias_and_removes_the_old_index(backend):
    old_versions = set(backend.versions())

    backend.rebuild(CORPUS[:3])

    (new_version,) = backend.versions()
    assert new_version not in old_versions
    assert backend.versions() == {new_version: True}


def test_search_keeps_answering_during_rebuild_and_no_edit_is_lost(backend):
    seen_during = []

    def progress(n):
        if not seen_during:
            # Mid-rebuild: the old index still serves, and edits go to both indexes.
            seen_during.append(search(backend, words=("procurement",)).total)
            seen_during.append(backend.count())
            backend.index([replace(CORPUS[0], doc_id="casestudy-77")])
            backend.delete(["commitment-XZZ00000"])

    assert backend.rebuild(synthetic_documents(1200), progress=progress) == 1200

    assert seen_during == [2, len(CORPUS)]
    assert backend.count() == 1200  # 1200 rebuilt - 1 deleted + 1 added meanwhile
    assert search(backend, words=("synthetic",)).total == 1199
    assert ids(search(backend, words=("tender",))) == ["casestudy-77"]
    assert len(backend.versions()) == 1


def test_failed_rebuild_leaves_the_serving_index_alone(backend):
    def broken_documents():
        yield from CORPUS[:2]
        raise RuntimeError("database went away")

    versions = backend.versions()

    with pytest.raises(RuntimeError):
        backend.rebuild(broken_documents())

    assert backend.versions() == versions


# Outages


def test_unreachable_server_raises_backend_unavailable_quickly():
    backend = ElasticsearchBackend(
        "http://127.0.0.1:1", index="offline", node_class=PlainJsonHttpNode, timeout=2
    )
    started = time.monotonic()

    assert not backend.ping()
    with pytest.raises(BackendUnavailable):
        search(backend, words=("procurement",))
    with pytest.raises(BackendUnavailable):
        backend.index(CORPUS[:1])
    with pytest.raises(BackendUnavailable):
        backend.count()

    assert time.monotonic() - started < 3

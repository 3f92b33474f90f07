"""Elasticsearch with the embedded index as its fallback (`FallbackBackend`).

First the backend contract suite (test_backend_contract.py), collected again here,
against the fallback: it is a backend like the other two, so nothing that uses
one asks which it has. Then what only the fallback does, against osmem:
- a reachable server whose index is missing or nearly empty (restarted without its
  data) does not answer searches: the embedded index does, with a notice;
- writes the server missed replay by themselves after a response once it is back,
  one bounded batch at a time, and a missing index is rebuilt from the database.
"""

import logging
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command

from casestudies.factories import CaseStudyPageFactory
from casestudies.models import CaseStudyIndexPage, Commitment, Country
from search import documents, sync
from search.backends import (
    FALLBACK_NOTICE,
    INCOMPLETE_NOTICE,
    FallbackBackend,
    get_search_backend,
)
from search.backends.base import BackendUnavailable, SearchQuery
from search.backends.embedded import EmbeddedBackend
from search.models import PendingIndexUpdate
from search.service import search
from tests.search import test_backend_contract as contract
from tests.search.test_backend_contract import BY_ID, CORPUS

pytestmark = pytest.mark.django_db

# The contract suite, against the `backend` fixture below.
globals().update({name: test for name, test in vars(contract).items() if name.startswith("test_")})


class Corpus:
    """A document source over a fixed list (the registry plays this part in the site)."""

    def __init__(self, documents):
        self.documents = {document.doc_id: document for document in documents}

    def documents_for_ids(self, doc_ids):
        doc_ids = list(doc_ids)
        found = [self.documents[doc_id] for doc_id in doc_ids if doc_id in self.documents]
        return found, [doc_id for doc_id in doc_ids if doc_id not in self.documents]

    def all_documents(self):
        return list(self.documents.values())

    def count_documents(self):
        return len(self.documents)


@pytest.fixture
def backend(elasticsearch_backend):
    """The fallback over an osmem clone and the embedded index, both holding the corpus."""
    fallback = FallbackBackend(elasticsearch_backend, EmbeddedBackend(), source=Corpus(CORPUS))
    fallback.rebuild(CORPUS)
    return fallback


def delete_elasticsearch_index(backend):
    """What a search server restarted without its data looks like: no index at all."""
    backend.primary.client.indices.delete(index=f"{backend.primary.alias}-*")


def words(backend, *terms):
    return backend.search(SearchQuery(text=" ".join(terms), words=terms))


def ids(results):
    return [hit.doc_id for hit in results.hits]


def errors(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "search" and r.levelno >= 40]


# --- Writing through the fallback --------------------------------------------------------


def test_writes_reach_both_indexes_and_leave_nothing_queued(backend):
    edited = replace(BY_ID["casestudy-9001"], title="Beacon tender portal")

    backend.index([edited])
    backend.delete(["commitment-XAA0001"])

    for index in (backend.primary, backend.fallback):
        assert ids(words(index, "beacon")) == ["casestudy-9001"]
        assert index.count() == len(CORPUS) - 1
    assert not PendingIndexUpdate.objects.exists()


# --- A reachable server without its index ------------------------------------------------


def test_a_deleted_index_is_noticed_and_the_embedded_index_answers_with_a_notice(backend, caplog):
    backend.check_seconds = 0
    delete_elasticsearch_index(backend)

    results = [words(backend, "portal") for _ in range(3)]

    for result in results:
        assert ids(result) == ["casestudy-9001"]
        assert (result.backend, result.notice) == ("embedded", INCOMPLETE_NOTICE)
    (logged,) = errors(caplog)  # once, not per search
    assert "index holds 0 documents" in logged
    assert backend.count() == len(CORPUS)  # what answers searches holds everything


def test_a_few_documents_in_a_recreated_index_still_count_as_incomplete(backend):
    """The first edit after a restart creates a new index holding just that document."""
    backend.check_seconds = 0
    delete_elasticsearch_index(backend)

    backend.index([BY_ID["commitment-XAA0001"]])

    assert backend.primary.count() == 1
    assert words(backend, "archives").notice == INCOMPLETE_NOTICE
    assert words(backend, "portal").hits  # from the embedded index


def test_completeness_is_checked_at_most_every_check_seconds(elasticsearch_backend, monkeypatch):
    elasticsearch_backend.index(CORPUS)
    EmbeddedBackend().rebuild(CORPUS)
    now = [1000.0]
    backend = FallbackBackend(
        elasticsearch_backend, EmbeddedBackend(), source=Corpus(CORPUS), clock=lambda: now[0]
    )
    counted = []
    count = elasticsearch_backend.count
    monkeypatch.setattr(elasticsearch_backend, "count", lambda: counted.append(1) or count())

    for _ in range(5):
        assert words(backend, "portal").backend == "elasticsearch"
    assert len(counted) == 1

    now[0] += backend.check_seconds
    words(backend, "portal")
    assert len(counted) == 2


def test_catch_up_rebuilds_a_deleted_index_from_its_source(backend):
    backend.check_seconds = 0
    delete_elasticsearch_index(backend)
    assert words(backend, "portal").notice == INCOMPLETE_NOTICE

    assert backend.catch_up_due()
    sent = backend.catch_up()

    assert sent == len(CORPUS)
    assert backend.primary.count() == len(CORPUS)
    result = words(backend, "portal")
    assert (ids(result), result.backend, result.notice) == (
        ["casestudy-9001"],
        "elasticsearch",
        "",
    )


def test_a_missing_index_too_large_to_rebuild_by_itself_is_left_to_the_operator(
    backend, monkeypatch, caplog
):
    monkeypatch.setattr("search.backends.AUTO_REBUILD_LIMIT", len(CORPUS) - 1)
    backend.check_seconds = 0
    delete_elasticsearch_index(backend)
    words(backend, "portal")

    assert backend.catch_up() == 0

    assert backend.primary.count() == 0
    assert any("run `manage.py search_index rebuild`" in message for message in errors(caplog))
    state = backend.describe()["elasticsearch index state"]
    assert state.startswith(f"INCOMPLETE (0 of {len(CORPUS)} documents)")
    assert "run `manage.py search_index rebuild`" in state


def test_writes_while_the_server_is_down_are_queued_then_replayed(backend, monkeypatch):
    def refuse(*args, **kwargs):
        raise BackendUnavailable("refused")

    monkeypatch.setattr(backend.primary, "index", refuse)
    backend.index([BY_ID["course-9001"]])
    assert PendingIndexUpdate.objects.get().doc_id == "course-9001"
    assert words(backend, "portal").notice == FALLBACK_NOTICE
    monkeypatch.undo()
    backend.retry_seconds = 0

    assert backend.catch_up_due()
    assert backend.catch_up() == 1

    assert not PendingIndexUpdate.objects.exists()
    assert words(backend, "portal").notice == ""


# --- The site: a server that goes away and comes back ------------------------------------


@pytest.fixture
def site_on_elasticsearch(embedded_index, elasticsearch_at, switchable_server):
    """The site on a search server holding everything, which the test can stop and start."""
    backend = elasticsearch_at(switchable_server.url)
    backend.rebuild(documents.all_documents())
    backend.retry_seconds = backend.check_seconds = 0  # no waiting in tests
    return backend


def publish_case_study(commit, title):
    def create():
        page = CaseStudyPageFactory(
            parent=CaseStudyIndexPage.objects.get(),
            title=title,
            live=False,
            country=Country.objects.get(iso3="ZMB"),
            summary=f"{title}, as published while the search server was away.",
        )
        page.save_revision().publish()
        return page

    return commit(create)


def test_edits_while_the_server_is_down_replay_after_a_response_once_it_is_back(
    site_on_elasticsearch, switchable_server, commit, client
):
    backend = site_on_elasticsearch
    switchable_server.stop()
    page = publish_case_study(commit, "Zephyr registry of company owners")
    assert PendingIndexUpdate.objects.get().doc_id == f"casestudy-{page.pk}"
    down = search("zephyr").results
    assert (down.backend, down.notice, len(down.hits)) == ("embedded", FALLBACK_NOTICE, 1)

    switchable_server.start()
    response = client.get("/search/", {"q": "zephyr"})

    # That visitor still read the embedded index (the server lacked the edit), then the
    # edit was replayed after their response: nobody ran `search_index sync`.
    assert response.status_code == 200
    assert "not up to date" in response.content.decode()
    assert "Zephyr registry of company owners" in response.content.decode()
    assert not PendingIndexUpdate.objects.exists()
    results = search("zephyr").results
    assert (results.backend, results.notice) == ("elasticsearch", "")
    assert [hit.doc_id for hit in results.hits] == [f"casestudy-{page.pk}"]
    assert backend.primary.count() == documents.count_documents()


def test_a_server_restarted_without_its_data_is_rebuilt_after_a_response(
    site_on_elasticsearch, switchable_server, commit, client, caplog
):
    caplog.set_level(logging.WARNING, logger="search")
    backend = site_on_elasticsearch
    total = documents.count_documents()
    switchable_server.stop()
    switchable_server.start(switchable_server.fresh_url())  # empty
    publish_case_study(commit, "Zephyr registry of company owners")  # creates an index of one
    assert backend.primary.count() == 1

    first = client.get("/api/v1/search/", {"q": "access to information act"}).json()

    assert first["notice"] == INCOMPLETE_NOTICE
    assert first["results"]  # from the embedded index
    assert backend.primary.count() == total + 1  # rebuilt from the database after it
    second = client.get("/api/v1/search/", {"q": "zephyr"}).json()
    assert "notice" not in second
    assert [result["title"] for result in second["results"]] == [
        "Zephyr registry of company owners"
    ]
    logged = " | ".join(r.getMessage() for r in caplog.records if r.name == "search")
    assert "Rebuilding the search server's index from the database" in logged
    assert f"index rebuilt: {total + 1} documents" in logged


def test_replay_after_a_response_is_one_bounded_batch(
    site_on_elasticsearch, switchable_server, commit, client, monkeypatch
):
    monkeypatch.setattr(sync, "REPLAY_BATCH", 2)
    switchable_server.stop()
    edited = []
    for commitment in Commitment.objects.filter(country__iso3="KEN").order_by("pk")[:5]:
        commitment.title = f"{commitment.title} (edited)"
        commit(commitment.save)
        edited.append(commitment.title)
    assert PendingIndexUpdate.objects.count() == 5
    switchable_server.start()

    client.get("/search/", {"q": "edited"})
    assert PendingIndexUpdate.objects.count() == 3
    client.get("/search/", {"q": "edited"})
    client.get("/search/", {"q": "edited"})
    assert PendingIndexUpdate.objects.count() == 0

    results = search("edited", countries=["KEN"], types=["commitment"]).results
    assert results.backend == "elasticsearch"
    assert set(edited) <= {hit.title for hit in results.hits}


def test_status_flags_a_missing_index(site_on_elasticsearch):
    delete_elasticsearch_index(site_on_elasticsearch)
    out = StringIO()

    call_command("search_index", "status", stdout=out)

    total = documents.count_documents()
    lines = out.getvalue().splitlines()
    assert "backend: elasticsearch" in lines
    assert "elasticsearch index: 0" in lines
    assert f"elasticsearch index state: INCOMPLETE (0 of {total} documents)" in out.getvalue()
    assert "queued updates: 0" in lines


def test_asking_for_a_catch_up_after_a_response_costs_no_query(
    site_on_elasticsearch, django_assert_num_queries, settings
):
    site_on_elasticsearch.check_seconds = 60
    assert not get_search_backend().catch_up_due()  # looks at the queue once a minute
    with django_assert_num_queries(0):
        sync.catch_up_after_response()
    settings.ELASTICSEARCH_URL = ""
    with django_assert_num_queries(0):
        sync.catch_up_after_response()

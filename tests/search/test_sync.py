"""The index follows the database: publishing, editing, deleting, importing, rebuilding,
and the reference data and page tree that documents copy (a country's name and region,
a theme's slug, a page's URL and visibility).

These run with the real embedded backend over the demo site (real commitments and
the sample case studies). Changes reach the index once the transaction commits, so
each change runs inside `django_capture_on_commit_callbacks(execute=True)`, which
plays the commit hooks of these (rolled back) tests.

The last part breaks Elasticsearch on purpose: pages keep publishing and answering
from the embedded index, and the queued updates reach the search server once it is
back.
"""

import csv
import logging
import socket
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from casestudies.factories import CaseStudyPageFactory
from casestudies.importers.commitments import default_path
from casestudies.models import CaseStudyPage, Commitment, Country, Theme
from casestudies.signals import countries_imported
from search import documents, registry, sync
from search.backends import FALLBACK_NOTICE
from search.backends.base import SearchQuery
from search.backends.embedded import EmbeddedBackend
from search.models import PendingIndexUpdate, SearchDocument
from search.service import search
from tests.search.conftest import DEAD_URL

pytestmark = pytest.mark.django_db

TITLE = "Zephyr registry of company owners"


@pytest.fixture
def draft(embedded_index, case_study_index):
    """An unpublished case study from Zambia on beneficial ownership."""
    return CaseStudyPageFactory(
        parent=case_study_index,
        title=TITLE,
        slug="zephyr-registry",
        live=False,
        country=Country.objects.get(iso3="ZMB"),
        summary="Zambia opened its zephyr registry of who owns companies.",
        themes=[Theme.objects.get(slug="beneficial-ownership")],
    )


def publish(page):
    page.save_revision().publish()


def titles(text, **filters) -> list[str]:
    return [hit.title for hit in search(text, **filters).results.hits]


def ids(text, **filters) -> list[str]:
    return [hit.doc_id for hit in search(text, **filters).results.hits]


@pytest.fixture
def silent_server():
    """An address that accepts connections and never answers (a hung search server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


# --- Case studies -----------------------------------------------------------------------


def test_a_draft_is_not_searchable(draft):
    assert titles("zephyr") == []


def test_publishing_a_case_study_makes_it_searchable(draft, commit):
    commit(publish, draft)

    results = search("zephyr").results
    (hit,) = results.hits
    assert (hit.doc_id, hit.title, hit.type) == (f"casestudy-{draft.pk}", TITLE, "casestudy")
    assert hit.url == CaseStudyPage.objects.get(pk=draft.pk).url
    assert (hit.country, hit.region) == ("ZMB", "Sub-Saharan Africa")
    assert hit.themes == ("beneficial-ownership",)
    assert "<mark>zephyr</mark>" in hit.snippet


def test_a_published_case_study_is_found_through_the_thesaurus(draft, commit):
    commit(publish, draft)

    assert TITLE in titles("beneficial ownership", countries=["ZMB"])


def test_editing_and_republishing_updates_the_hit(draft, commit):
    commit(publish, draft)
    page = CaseStudyPage.objects.get(pk=draft.pk)
    page.title = "Kestrel register of real owners"

    commit(publish, page)

    assert titles("kestrel") == ["Kestrel register of real owners"]
    assert titles("zephyr") == ["Kestrel register of real owners"]  # the summary is unchanged
    assert SearchDocument.objects.filter(doc_id=f"casestudy-{draft.pk}").count() == 1


def test_saving_a_draft_of_a_live_page_does_not_change_the_hit(draft, commit):
    commit(publish, draft)
    page = CaseStudyPage.objects.get(pk=draft.pk)
    page.title = "Kestrel register of real owners"

    commit(page.save_revision)

    assert titles("kestrel") == []
    assert titles("zephyr") == [TITLE]


def test_unpublishing_removes_the_case_study(draft, commit):
    commit(publish, draft)
    page = CaseStudyPage.objects.get(pk=draft.pk)

    commit(page.unpublish)

    assert titles("zephyr") == []
    assert not SearchDocument.objects.filter(doc_id=f"casestudy-{draft.pk}").exists()


def test_deleting_removes_the_case_study(draft, commit):
    commit(publish, draft)
    page = CaseStudyPage.objects.get(pk=draft.pk)

    commit(page.delete)

    assert titles("zephyr") == []
    assert not SearchDocument.objects.filter(doc_id=f"casestudy-{draft.pk}").exists()


def test_deleting_a_sample_case_study_removes_it(embedded_index, commit):
    page = CaseStudyPage.objects.get(country__iso3="KEN")
    doc_id = f"casestudy-{page.pk}"
    assert doc_id in ids("access to information act")
    count = embedded_index.count()

    commit(page.delete)

    assert doc_id not in ids("access to information act")
    assert embedded_index.count() == count - 1


# --- Commitments ------------------------------------------------------------------------


@pytest.fixture
def commitment(embedded_index):
    return Commitment.objects.filter(country__iso3="KEN").order_by("identifier").first()


def test_saving_a_commitment_updates_its_document(commitment, commit):
    count = EmbeddedBackend().count()
    commitment.title = "Kenya publishes the quetzal ledger"

    commit(commitment.save)

    (hit,) = search("quetzal").results.hits
    assert hit.doc_id == f"commitment-{commitment.identifier}"
    assert hit.country == "KEN"
    assert EmbeddedBackend().count() == count


def test_changing_a_commitments_themes_updates_its_facets(commitment, commit):
    theme = Theme.objects.get(slug="whistleblower-protections")
    assert commitment.themes.filter(pk=theme.pk).count() == 0

    commit(commitment.themes.add, theme)

    doc_ids = ids("", themes=["whistleblower-protections"], countries=["KEN"])
    assert f"commitment-{commitment.identifier}" in doc_ids


def test_deleting_a_commitment_removes_its_document(commitment, commit):
    doc_id = f"commitment-{commitment.identifier}"
    assert SearchDocument.objects.filter(doc_id=doc_id).exists()

    commit(commitment.delete)

    assert not SearchDocument.objects.filter(doc_id=doc_id).exists()


def test_reimporting_commitments_keeps_the_index_in_step(embedded_index, commit, tmp_path):
    rows = list(csv.DictReader(StringIO(default_path().read_text(encoding="utf-8-sig"))))
    edited = rows[0]
    identifier = edited["Commitment Unique Identifier"]
    edited["Commitment Title"] = "Open quetzal ledger of public contracts"
    path = tmp_path / "commitments.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    count = embedded_index.count()

    commit(call_command, "import_commitments", str(path), verbosity=0)

    (hit,) = search("quetzal ledger").results.hits
    assert hit.doc_id == f"commitment-{identifier}"
    assert embedded_index.count() == count
    assert embedded_index.count() == documents.count_documents()


def test_reimporting_unchanged_commitments_leaves_the_index_alone(embedded_index, commit):
    before = dict(SearchDocument.objects.values_list("doc_id", "title"))

    commit(call_command, "import_commitments", verbosity=0)

    assert dict(SearchDocument.objects.values_list("doc_id", "title")) == before


# --- Reference data and the page tree --------------------------------------------------


def hits_in(country: str, **filters):
    return search("", countries=[country], page_size=200, **filters).results.hits


def hits_in_region(region: str):
    return search("", regions=[region], page_size=200).results.hits


def test_renaming_a_country_reindexes_every_document_in_it(embedded_index, commit):
    kenya = Country.objects.get(iso3="KEN")
    before = {hit.type for hit in hits_in("KEN")}
    assert {"casestudy", "commitment"} <= before
    kenya.name = "Republic of Kenya"

    commit(kenya.save)

    hits = hits_in("KEN")
    assert {hit.type for hit in hits} == before
    assert {hit.country_name for hit in hits} == {"Republic of Kenya"}
    commitments = hits_in("KEN", types=["commitment"])
    assert len(commitments) == Commitment.objects.filter(country=kenya).count()
    (facet,) = search("", countries=["KEN"]).results.facets["country"]
    assert facet.label == "Republic of Kenya"


def test_moving_a_country_to_another_region_moves_its_documents_facets(embedded_index, commit):
    kenya = Country.objects.get(iso3="KEN")
    count = len(hits_in("KEN"))
    kenya.region, kenya.income_group = "Testing region", "Testing income"

    commit(kenya.save)

    assert len(search("", regions=["Testing region"], page_size=200).results.hits) == count
    assert search("", income_groups=["Testing income"]).results.total == count
    assert "KEN" not in {hit.country for hit in hits_in_region("Sub-Saharan Africa")}


def test_a_country_import_reindexes_only_the_countries_whose_copied_fields_changed(
    embedded_index, commit, monkeypatch
):
    """Importers write countries in bulk (no post_save) and send `countries_imported`."""
    scheduled = []
    schedule_ids = sync.schedule_ids
    monkeypatch.setattr(
        sync, "schedule_ids", lambda ids: scheduled.extend(ids) or schedule_ids(ids)
    )
    kenya, zambia = Country.objects.get(iso3="KEN"), Country.objects.get(iso3="ZMB")
    kenya.name = "Republic of Kenya"
    zambia.population += 1

    def bulk_import():
        Country.objects.bulk_update([kenya, zambia], ["name", "population"])
        transaction.on_commit(lambda: countries_imported.send(sender=Country))

    commit(bulk_import)

    assert {hit.country_name for hit in hits_in("KEN")} == {"Republic of Kenya"}
    assert set(scheduled) == set(registry.related_doc_ids(Country, [kenya.pk]))  # not Zambia's


def test_editing_a_country_field_no_document_copies_reindexes_nothing(
    embedded_index, commit, monkeypatch
):
    scheduled = []
    monkeypatch.setattr("search.sync.schedule_ids", scheduled.append)
    kenya = Country.objects.get(iso3="KEN")
    kenya.population += 1

    commit(kenya.save)

    assert scheduled == []


def test_renaming_a_theme_slug_reindexes_everything_tagged_with_it(embedded_index, commit):
    theme = Theme.objects.get(slug="beneficial-ownership")
    tagged = search("", themes=["beneficial-ownership"]).results.total
    assert tagged > 0
    theme.slug = "who-owns-companies"

    commit(theme.save)

    assert search("", themes=["beneficial-ownership"]).results.total == 0
    assert search("", themes=["who-owns-companies"]).results.total == tagged


def test_tagging_commitments_from_the_theme_side_updates_their_facets(commitment, commit):
    theme = Theme.objects.get(slug="whistleblower-protections")
    doc_id = f"commitment-{commitment.identifier}"
    assert doc_id not in ids("", themes=[theme.slug], countries=["KEN"])

    commit(theme.commitments.add, commitment)
    assert doc_id in ids("", themes=[theme.slug], countries=["KEN"])

    commit(theme.commitments.clear)
    assert ids("", themes=[theme.slug], countries=["KEN"]) == []


def test_moving_the_case_study_section_changes_every_case_study_url(
    draft, commit, home, case_study_index
):
    commit(publish, draft)
    archive = home.add_child(instance=Page(title="Archive", slug="archive"))

    commit(case_study_index.move, archive, pos="last-child")

    (hit,) = search("zephyr").results.hits
    assert hit.url == "/archive/case-studies/zephyr-registry/"
    assert hit.url == CaseStudyPage.objects.get(pk=draft.pk).url
    urls = [hit.url for hit in search("", types=["casestudy"], page_size=50).results.hits]
    assert len(urls) == CaseStudyPage.objects.live().count()
    assert all(url.startswith("/archive/case-studies/") for url in urls)


def test_renaming_the_section_slug_changes_the_case_study_urls(draft, commit, case_study_index):
    commit(publish, draft)
    case_study_index.slug = "stories"

    commit(publish, case_study_index)

    (hit,) = search("zephyr").results.hits
    assert hit.url == "/stories/zephyr-registry/"


def test_a_private_section_leaves_the_index(draft, commit, case_study_index):
    commit(publish, draft)

    restriction = commit(
        PageViewRestriction.objects.create,
        page=case_study_index,
        restriction_type=PageViewRestriction.LOGIN,
    )
    assert search("", types=["casestudy"]).results.total == 0

    commit(restriction.delete)
    assert titles("zephyr") == [TITLE]


# --- Rebuild ----------------------------------------------------------------------------


def test_rebuild_prints_progress_and_recreates_the_index_from_the_database(embedded_index):
    SearchDocument.objects.filter(type="casestudy").delete()  # the index drifted…
    EmbeddedBackend().index([documents.IndexDocument("course-404", "course", "Stale", "/")])
    out, err = StringIO(), StringIO()

    call_command("search_index", "rebuild", stdout=out, stderr=err)

    total = documents.count_documents()
    assert "Indexing (embedded)" in err.getvalue()
    assert f"{total}/{total}" in err.getvalue()
    assert f"embedded: {total} documents indexed" in out.getvalue()
    assert EmbeddedBackend().count() == total
    assert not SearchDocument.objects.filter(doc_id="course-404").exists()
    assert search("", types=["casestudy"]).results.total == 16


def test_status_reports_what_is_indexed(embedded_index):
    out = StringIO()

    call_command("search_index", "status", stdout=out)

    total = documents.count_documents()
    assert "backend: embedded" in out.getvalue()
    assert f"database documents: {total}" in out.getvalue()
    assert f"embedded index: {total}" in out.getvalue()


# --- Elasticsearch down, then back ------------------------------------------------------


def test_publishing_with_elasticsearch_down_is_quick_and_queues_the_update(
    draft, commit, elasticsearch_at
):
    elasticsearch_at(DEAD_URL)
    started = time.monotonic()

    commit(publish, draft)

    assert time.monotonic() - started < 2
    (queued,) = PendingIndexUpdate.objects.all()
    assert (queued.doc_id, queued.action) == (f"casestudy-{draft.pk}", "index")
    assert queued.attempts >= 1
    assert titles("zephyr") == [TITLE]  # the embedded index has it already


def test_search_answers_from_the_embedded_index_with_a_notice_and_logs_once(
    draft, commit, elasticsearch_at, client, caplog
):
    backend = elasticsearch_at(DEAD_URL)
    commit(publish, draft)
    caplog.set_level(logging.WARNING, logger="search")

    results = [search("zephyr").results for _ in range(3)]
    pages = [client.get("/search/", {"q": "zephyr"}) for _ in range(3)]
    api = client.get("/api/v1/search/", {"q": "zephyr"}).json()

    assert backend.is_down()
    for result in results:
        assert (result.backend, result.notice) == ("embedded", FALLBACK_NOTICE)
        assert [hit.title for hit in result.hits] == [TITLE]
    for page in pages:
        assert page.status_code == 200
        assert "The search server is not answering" in page.content.decode()
        assert TITLE in page.content.decode()
    assert api["notice"] == FALLBACK_NOTICE
    assert [result["title"] for result in api["results"]] == [TITLE]
    failures = [r for r in caplog.records if r.name == "search" and r.levelno >= logging.ERROR]
    assert len(failures) == 1
    assert "Search server unavailable" in failures[0].getMessage()


def test_edits_while_elasticsearch_hangs_do_not_each_wait_for_it(
    draft, commit, elasticsearch_at, silent_server, commitment
):
    """A server that accepts and never answers costs one timeout, not one per edit."""
    elasticsearch_at(silent_server, timeout=1.0)
    started = time.monotonic()
    commit(publish, draft)
    first = time.monotonic() - started

    started = time.monotonic()
    commitment.title = "Kenya publishes the quetzal ledger"
    commit(commitment.save)
    page = CaseStudyPage.objects.get(pk=draft.pk)
    page.title = "Kestrel register of real owners"
    commit(publish, page)
    search("kestrel")
    later = time.monotonic() - started

    assert first < 3
    assert later < 0.8
    assert PendingIndexUpdate.objects.count() == 2
    assert titles("kestrel") == ["Kestrel register of real owners"]
    assert titles("quetzal") == ["Kenya publishes the quetzal ledger"]


@pytest.fixture
def full_elasticsearch(embedded_index, elasticsearch_at, elasticsearch_url):
    """Elasticsearch holding everything, as after `search_index rebuild`."""
    backend = elasticsearch_at(elasticsearch_url)
    backend.rebuild(documents.all_documents())
    return elasticsearch_url


def primary_ids(backend, *words) -> list[str]:
    results = backend.primary.search(SearchQuery(text=" ".join(words), words=words))
    return [hit.doc_id for hit in results.hits]


def test_queued_updates_reach_elasticsearch_when_it_is_back(
    draft, commit, commitment, elasticsearch_at, full_elasticsearch
):
    elasticsearch_at(DEAD_URL)
    commit(publish, draft)
    commitment.title = "Kenya publishes the quetzal ledger"
    commit(commitment.save)
    assert PendingIndexUpdate.objects.count() == 2

    backend = elasticsearch_at(full_elasticsearch)
    out = StringIO()
    call_command("search_index", "sync", stdout=out)

    assert "2 document(s) sent, 0 update(s) still queued" in out.getvalue()
    assert not PendingIndexUpdate.objects.exists()
    assert backend.primary.count() == documents.count_documents()
    results = search("zephyr").results
    assert (results.backend, results.notice) == ("elasticsearch", "")
    assert [hit.doc_id for hit in results.hits] == [f"casestudy-{draft.pk}"]
    assert titles("quetzal") == ["Kenya publishes the quetzal ledger"]


def test_sync_with_elasticsearch_still_down_keeps_the_queue(draft, commit, elasticsearch_at):
    elasticsearch_at(DEAD_URL)
    commit(publish, draft)

    out = StringIO()
    with pytest.raises(CommandError, match="stay queued"):
        call_command("search_index", "sync", stdout=out)

    assert "0 document(s) sent, 1 update(s) still queued" in out.getvalue()
    queued = PendingIndexUpdate.objects.get()
    assert (queued.doc_id, queued.attempts) == (f"casestudy-{draft.pk}", 1)


def test_unpublishing_while_down_reaches_elasticsearch_as_a_delete(
    draft, commit, elasticsearch_at, full_elasticsearch
):
    backend = elasticsearch_at(full_elasticsearch)
    commit(publish, draft)
    assert primary_ids(backend, "zephyr") == [f"casestudy-{draft.pk}"]  # sent at once

    elasticsearch_at(DEAD_URL)
    commit(CaseStudyPage.objects.get(pk=draft.pk).unpublish)
    assert PendingIndexUpdate.objects.get().action == "delete"

    backend = elasticsearch_at(full_elasticsearch)
    call_command("search_index", "sync", stdout=StringIO())

    assert primary_ids(backend, "zephyr") == []
    assert backend.primary.count() == documents.count_documents()
    assert titles("zephyr") == []


def test_rebuild_fills_elasticsearch_from_the_database_and_clears_the_queue(
    draft, commit, elasticsearch_at, elasticsearch_url
):
    elasticsearch_at(DEAD_URL)
    commit(publish, draft)
    backend = elasticsearch_at(elasticsearch_url)
    out, err = StringIO(), StringIO()

    call_command("search_index", "rebuild", stdout=out, stderr=err)

    total = documents.count_documents()
    assert "Indexing (elasticsearch)" in err.getvalue()
    assert f"elasticsearch: {total} documents indexed" in out.getvalue()
    assert backend.primary.count() == total
    assert not PendingIndexUpdate.objects.exists()
    assert titles("zephyr") == [TITLE]

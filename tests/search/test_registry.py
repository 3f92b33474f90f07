"""The registry of searchable types (search/registry.py): one list that sync, signals,
rebuild and counts loop over.

Run over the demo site (real commitments and reform records, the sample case studies)
plus a course and a fellowship, so that every type has documents.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from casestudies.factories import CaseStudyPageFactory
from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    Commitment,
    Country,
    ReformRecord,
    Theme,
)
from learning.factories import CoursePageFactory, FellowshipPageFactory
from learning.models import CourseIndexPage, CoursePage, FellowshipIndexPage, FellowshipPage
from search import documents, registry
from search.backends.base import DOCUMENT_TYPES
from search.backends.embedded import EmbeddedBackend
from search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_type(demo_site):
    """A published course on beneficial ownership and a fellowship hosted in Kenya."""
    themes = [Theme.objects.get(slug="beneficial-ownership")]
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(), themes=themes)
    course.save_revision().publish()
    fellowship = FellowshipPageFactory(
        parent=FellowshipIndexPage.objects.get(),
        host_country=Country.objects.get(iso3="KEN"),
        themes=themes,
    )
    fellowship.save_revision().publish()
    return {"course": course, "fellowship": fellowship}


def test_the_registry_lists_every_document_type_in_facet_order():
    assert [searchable.name for searchable in registry.TYPES] == list(DOCUMENT_TYPES)
    models = {searchable.name: searchable.model_class for searchable in registry.TYPES}
    assert models == {
        "casestudy": CaseStudyPage,
        "commitment": Commitment,
        "course": CoursePage,
        "fellowship": FellowshipPage,
        "reform": ReformRecord,
    }


def test_counts_match_what_a_rebuild_indexes_type_by_type(every_type):
    EmbeddedBackend().rebuild(documents.all_documents())

    counts = registry.counts()
    assert all(counts.values())
    for name, count in counts.items():
        assert SearchDocument.objects.filter(type=name).count() == count, name
    assert documents.count_documents() == sum(counts.values()) == EmbeddedBackend().count()


def test_a_draft_is_neither_counted_nor_found_by_id(every_type):
    before = registry.counts()["casestudy"]
    draft = CaseStudyPageFactory(
        parent=CaseStudyIndexPage.objects.get(), live=False, country=Country.objects.get(iso3="KEN")
    )

    assert registry.counts()["casestudy"] == before
    assert registry.documents_for_ids([f"casestudy-{draft.pk}"]) == ([], [f"casestudy-{draft.pk}"])


def test_documents_for_ids_reads_each_type_afresh_and_names_the_gone(every_type):
    commitment = Commitment.objects.order_by("identifier").first()
    record = ReformRecord.objects.order_by("pk").first()
    commitment.title = "Retitled in the database only"
    commitment.save()
    wanted = [
        f"commitment-{commitment.identifier}",
        f"reform-{record.pk}",
        f"course-{every_type['course'].pk}",
        f"fellowship-{every_type['fellowship'].pk}",
    ]
    stale = ["course-999999", "casestudy-not-a-number", "unknowntype-1", "nonsense"]

    found, gone = registry.documents_for_ids(wanted + stale)

    assert sorted(document.doc_id for document in found) == sorted(wanted)
    assert sorted(gone) == sorted(stale)
    (written,) = [document for document in found if document.type == "commitment"]
    assert written.title == "Retitled in the database only"


def test_a_country_reaches_every_document_that_copies_it(every_type):
    kenya = Country.objects.get(iso3="KEN")

    doc_ids = set(registry.related_doc_ids(Country, [kenya.pk]))

    expected = {
        *(f"commitment-{c.identifier}" for c in Commitment.objects.filter(country=kenya)),
        *(
            f"casestudy-{pk}"
            for pk in CaseStudyPage.objects.filter(country=kenya).values_list("pk", flat=True)
        ),
        *(
            f"reform-{pk}"
            for pk in ReformRecord.objects.filter(country=kenya).values_list("pk", flat=True)
        ),
        f"fellowship-{every_type['fellowship'].pk}",
    }
    assert {doc_id.partition("-")[0] for doc_id in expected} == {
        "commitment",
        "casestudy",
        "reform",
        "fellowship",
    }
    assert doc_ids == expected


def test_a_country_field_no_document_copies_reaches_nothing(every_type):
    kenya = Country.objects.get(iso3="KEN")

    assert registry.related_doc_ids(Country, [kenya.pk], fields=["population"]) == []
    assert registry.related_doc_ids(Country, [kenya.pk], fields=["name"])


def test_a_theme_reaches_everything_tagged_with_it(every_type):
    theme = Theme.objects.get(slug="beneficial-ownership")

    doc_ids = set(registry.related_doc_ids(Theme, [theme.pk]))

    types = {doc_id.partition("-")[0] for doc_id in doc_ids}
    assert types == {"casestudy", "commitment", "course", "fellowship", "reform"}
    tagged = set(Commitment.objects.filter(themes=theme).values_list("identifier", flat=True))
    assert {
        doc_id[len("commitment-") :] for doc_id in doc_ids if doc_id.startswith("commitment-")
    } == tagged
    assert {f"reform-{pk}" for pk in theme.reform_records.values_list("pk", flat=True)} <= doc_ids


def test_a_section_reaches_the_pages_below_it(every_type):
    index = CaseStudyIndexPage.objects.get()

    doc_ids = registry.subtree_doc_ids(index)

    assert sorted(doc_ids) == sorted(
        f"casestudy-{pk}" for pk in CaseStudyPage.objects.values_list("pk", flat=True)
    )
    assert registry.subtree_doc_ids(every_type["course"]) == [f"course-{every_type['course'].pk}"]


def test_status_counts_each_type_from_the_registry(every_type):
    EmbeddedBackend().rebuild(documents.all_documents())
    out = StringIO()

    call_command("search_index", "status", stdout=out)

    lines = out.getvalue().splitlines()
    for name, count in registry.counts().items():
        assert f"  {name}: {count}" in lines
    assert f"embedded index: {documents.count_documents()}" in lines

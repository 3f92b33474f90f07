"""Reform records are searchable documents, and the index follows their imports.

The embedded index is built from the demo site, whose real data includes the reform
records of the Open Contracting Partnership and Open Ownership.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command

from casestudies.models import ReformRecord, ReformSource
from search import documents
from search.models import SearchDocument
from search.service import search

pytestmark = pytest.mark.django_db

OC_FOLDER = Path(settings.DATA_DIR) / "open_contracting" / "oc-status"


@pytest.fixture
def prozorro():
    return ReformRecord.objects.get(country__iso3="UKR", kind="ocds-publisher")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_search_api_finds_a_publisher_as_a_reform_record(client, embedded_index, prozorro):
    data = client.get("/api/v1/search/", {"q": "ProZorro"}).json()

    (result,) = [r for r in data["results"] if r["type"] == "reform"]
    assert result["title"] == "Publishes open contracting data (OCDS): Ukraine: ProZorro"
    assert result["url"] == f"http://testserver/countries/UKR/#reform-{prozorro.pk}"
    assert result["country"] == {"iso3": "UKR", "name": "Ukraine"}
    assert result["themes"] == ["open-contracting"]
    assert result["year"] == 2024
    assert result["source"]["name"] == "Open Contracting Partnership"
    assert result["evidence_url"].startswith("https://public-api.prozorro.gov.ua/")
    types = {facet["value"]: facet["label"] for facet in data["facets"]["type"]}
    assert types["reform"] == "Reform record"


def test_search_page_shows_a_reform_hit_with_its_type_country_and_source(client, embedded_index):
    html = BeautifulSoup(client.get("/search/", {"q": "ProZorro"}).content, "html.parser")

    title = "Publishes open contracting data (OCDS): Ukraine: ProZorro"
    hit = next(li for li in html.select("li.hit") if li.h3.get_text(strip=True) == title)
    label = hit.select_one(".hit__type").get_text(" ", strip=True)
    assert label.startswith("Reform record · Ukraine · since 2024")
    assert "Source: Open Contracting Partnership" in label


def test_the_index_holds_one_document_per_reform_record(embedded_index):
    assert SearchDocument.objects.filter(type="reform").count() == ReformRecord.objects.count()
    assert embedded_index.count() == documents.count_documents()


def test_a_reform_document_carries_the_records_source_and_strength(prozorro):
    document = documents.from_reform_record(prozorro)

    assert document.doc_id == f"reform-{prozorro.pk}"
    assert document.summary == "Open Contracting Partnership, 2024"
    assert document.outcome_strength == prozorro.strength
    assert not document.outcomes  # a tracker's fact is no IRM outcome
    assert document.details == {
        "kind": "ocds-publisher",
        "source": "Open Contracting Partnership",
        "source_url": "https://www.open-contracting.org/worldwide/",
        "as_of": "2021-04-28",
        "evidence_url": prozorro.url,
    }


def test_reimporting_a_source_reindexes_it_and_drops_what_the_file_dropped(
    embedded_index, commit, tmp_path, prozorro
):
    folder = tmp_path / "oc-status"
    folder.mkdir()
    ukraine = json.loads((OC_FOLDER / "ua.json").read_text(encoding="utf-8"))
    ukraine["results"]["publishers"][0]["publisher"] = "Ukraine: ProZorro quetzal portal"
    (folder / "ua.json").write_text(json.dumps(ukraine), encoding="utf-8")
    kenya = ReformRecord.objects.get(country__iso3="KEN", kind="ocds-publisher")

    commit(
        call_command,
        "import_reform_records",
        "--source",
        ReformSource.OPEN_CONTRACTING,
        str(folder),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    # A renamed publisher is a new record (its key is its name); the old one is gone.
    renamed = ReformRecord.objects.get(country__iso3="UKR", kind="ocds-publisher")
    (hit,) = search("quetzal").results.hits
    assert hit.doc_id == f"reform-{renamed.pk}" != f"reform-{prozorro.pk}"
    for dropped in (prozorro, kenya):
        assert not SearchDocument.objects.filter(doc_id=f"reform-{dropped.pk}").exists()
    assert embedded_index.count() == documents.count_documents()


def test_deleting_a_reform_record_removes_its_document(embedded_index, commit, prozorro):
    doc_id = f"reform-{prozorro.pk}"
    assert SearchDocument.objects.filter(doc_id=doc_id).exists()

    commit(prozorro.delete)

    assert not SearchDocument.objects.filter(doc_id=doc_id).exists()

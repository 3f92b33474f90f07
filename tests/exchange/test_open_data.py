"""Open data at /data/: the files read back (csv, json) match the database, filter like the
pages, carry their licences, and stream. Run on both databases (DATABASE_URL=postgres://...)."""

import csv
import io
import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.factories import CaseStudyPageFactory
from casestudies.models import Commitment, Country, ReformRecord
from casestudies.opendata import datasets

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_json(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_commitments_csv_holds_every_commitment_with_its_irm_ratings(client, real_data):
    rows = read_csv(client.get("/data/commitments.csv"))

    assert list(rows[0]) == datasets.DATASETS["commitments"].column_names
    assert len(rows) == Commitment.objects.count() > 500
    by_id = {row["identifier"]: row for row in rows}
    kenya = Commitment.objects.get(identifier="KE0012")
    row = by_id["KE0012"]
    assert row["country_iso3"] == "KEN"
    assert row["title"] == kenya.title
    assert row["completion"] == kenya.completion
    assert row["did_it_open_government"] == kenya.opened_government
    assert row["themes"].split("; ") == sorted(kenya.themes.values_list("slug", flat=True))
    assert row["source_url"] == kenya.source_url


def test_a_rating_the_irm_never_gave_is_empty_not_a_zero_or_a_no(client, real_data):
    unrated = Commitment.objects.filter(potential_impact__isnull=True).first()
    rows = read_csv(client.get(f"/data/commitments.csv?country={unrated.country.iso3}"))
    row = next(row for row in rows if row["identifier"] == unrated.identifier)
    assert row["potential_impact"] == ""
    assert row["starred"] == ""  # the star was never assessed: unknown, not "false"


def test_commitments_download_filters_like_the_country_and_theme_pages(client, real_data):
    kenya = read_json(client.get("/data/commitments.json?country=KEN"))
    assert {row["identifier"] for row in kenya["data"]} == set(
        Commitment.objects.filter(country__iso3="KEN").values_list("identifier", flat=True)
    )
    assert kenya["meta"]["filters"] == {"country": ["KEN"]}

    on_theme = read_csv(client.get("/data/commitments.csv?theme=open-parliaments"))
    expected = set(
        Commitment.objects.filter(themes__slug="open-parliaments").values_list(
            "identifier", flat=True
        )
    )
    assert len(on_theme) == len(expected) > 0  # one row per commitment, never repeated
    assert {row["identifier"] for row in on_theme} == expected


def test_filters_combine_and_repeat_like_the_search_filters(client, real_data):
    rows = read_csv(
        client.get(
            "/data/commitments.csv?region=Europe+%26+Central+Asia"
            "&outcome=starred&country=GEO&country=UKR"
        )
    )
    expected = set(
        Commitment.objects.filter(
            country__iso3__in=["GEO", "UKR"],
            country__region="Europe & Central Asia",
            starred=True,
        ).values_list("identifier", flat=True)
    )
    assert expected, "the real data has starred commitments from Georgia or Ukraine"
    assert {row["identifier"] for row in rows} == expected
    assert all(row["starred"] == "true" for row in rows)


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("country=XXX", "country"),
        ("theme=no-such-theme", "theme"),
        ("outcome=implemented", "outcome"),  # a case-study outcome: no commitment has it
        ("region=Atlantis", "region"),
    ],
)
def test_an_unknown_filter_is_a_400_naming_the_parameter(client, real_data, query, param):
    response = client.get(f"/data/commitments.json?{query}")
    assert response.status_code == 400
    assert json.loads(response.content)["param"] == param
    as_csv = client.get(f"/data/commitments.csv?{query}")
    assert as_csv.status_code == 400
    assert f"'{param}'" in as_csv.content.decode()


def test_an_unknown_file_is_a_404(client, db):
    assert client.get("/data/commitments.xlsx").status_code == 404
    assert client.get("/data/secrets.csv").status_code == 404


def test_countries_file_has_their_context_and_leaves_unknowns_empty(client, real_data):
    rows = read_csv(client.get("/data/countries.csv"))
    assert len(rows) == Country.objects.count() > 200
    by_iso3 = {row["iso3"]: row for row in rows}
    kenya = Country.objects.get(iso3="KEN")
    assert by_iso3["KEN"]["region"] == kenya.region
    assert by_iso3["KEN"]["income_group"] == kenya.income_group
    assert int(by_iso3["KEN"]["population"]) == kenya.population
    assert float(by_iso3["KEN"]["wgi_rule_of_law"]) == pytest.approx(kenya.rule_of_law)
    assert by_iso3["KEN"]["ogp_member"] == "true"
    assert by_iso3["ETH"]["income_group"] == ""  # the World Bank gives none: not guessed

    members = read_json(client.get("/data/countries.json?members=1"))["data"]
    assert len(members) == Country.objects.ogp_members().count()
    assert all(row["ogp_member"] is True for row in members)


def test_reform_records_name_their_source_on_every_row(client, real_data):
    rows = read_csv(client.get("/data/reform-records.csv"))
    assert len(rows) == ReformRecord.objects.count() > 0
    assert {row["source_name"] for row in rows} == {
        "Open Contracting Partnership",
        "Open Ownership",
    }
    assert all(row["source_url"].startswith("https://") for row in rows)
    only_ocp = read_csv(client.get("/data/reform-records.csv?source=open-contracting-partnership"))
    assert (
        len(only_ocp) == ReformRecord.objects.filter(source="open-contracting-partnership").count()
    )


def test_case_study_file_lists_published_metadata_without_the_story(client, real_data, home):
    from casestudies.models import CaseStudyIndexPage

    index = CaseStudyIndexPage.objects.get()
    kenya = Country.objects.get(iso3="KEN")
    published = CaseStudyPageFactory(
        parent=index, title="Open budget hearings", country=kenya, is_sample=True
    )
    CaseStudyPageFactory(parent=index, title="A draft nobody may see yet", live=False)

    data = read_json(client.get("/data/case-studies.json"))["data"]

    assert [row["title"] for row in data] == ["Open budget hearings"]
    row = data[0]
    assert row["url"] == f"http://testserver{published.url}"
    assert row["country_iso3"] == "KEN"
    assert row["sample"] is True
    assert row["status"] == published.status
    assert "body" not in row and "summary" not in row


def test_every_json_file_carries_its_licence_and_attribution(client, real_data):
    for slug in datasets.DATASETS:
        meta = read_json(client.get(f"/data/{slug}.json"))["meta"]
        assert meta["licences"] and meta["attribution"], slug
        assert meta["documentation"].endswith(f"/data/#{slug}")
    countries = read_json(client.get("/data/countries.json"))["meta"]
    assert "CC BY 4.0" in [licence["terms"] for licence in countries["licences"]]
    records = read_json(client.get("/data/reform-records.json"))["meta"]
    ocp = next(item for item in records["licences"] if item["terms"] == "BSD-3-Clause")
    assert "Development Seed" in ocp["notice"]  # the notice BSD-3-Clause says must travel


def test_every_csv_links_its_licence_which_names_every_source(client, real_data):
    response = client.get("/data/countries.csv")
    assert '<http://testserver/data/LICENSE.txt>; rel="license"' in response["Link"]
    assert response["Content-Disposition"] == (
        'attachment; filename="reform-exchange-countries.csv"'
    )
    first_line = b"".join(response.streaming_content).decode().splitlines()[0]
    assert first_line.startswith("iso3,name,")  # no comment line before the header

    licence = client.get("/data/LICENSE.txt").content.decode()
    for expected in (
        "CC BY 4.0",
        "Open Government Partnership, IRM data",
        "Open Contracting Partnership",
        "Development Seed",
        "Open Ownership",
    ):
        assert expected in licence


def test_a_large_export_streams_a_chunk_at_a_time(client, real_data, monkeypatch):
    monkeypatch.setattr(datasets, "CHUNK_SIZE", 100)
    total = Commitment.objects.count()

    response = client.get("/data/commitments.csv")
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        next(chunks)  # the header
        next(chunks)  # the first rows
        theme_reads_so_far = sum('"casestudies_theme"' in q["sql"] for q in queries)
        rest = list(chunks)
        theme_reads = sum('"casestudies_theme"' in q["sql"] for q in queries)

    # The first rows leave after one chunk of commitments was read; the others are
    # read (with their themes) as the file is written, never all at once.
    assert theme_reads_so_far == 1
    assert theme_reads == math.ceil(total / 100)
    assert sum(chunk.count(b"\n") for chunk in rest) > 0


def test_open_data_page_documents_the_files_and_the_page_api(client, db):
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for slug in datasets.DATASETS:
        assert f'href="/data/{slug}.csv"' in page
        assert f'href="/data/{slug}.json"' in page
    assert "/api/v2/pages/" in page
    assert 'href="/data/LICENSE.txt"' in page
    assert 'href="/data/"' in page  # the footer link, on every page


def test_country_and_theme_pages_offer_their_commitments_as_files(client, real_data):
    country_page = client.get("/countries/KEN/").content.decode()
    assert 'href="/data/commitments.csv?country=KEN"' in country_page
    assert 'href="/data/commitments.json?country=KEN"' in country_page
    theme_page = client.get("/themes/open-parliaments/").content.decode()
    assert 'href="/data/commitments.csv?theme=open-parliaments"' in theme_page


def test_filtered_search_offers_the_same_filters_as_a_file(client, real_data):
    page = client.get("/search/?country=KEN&outcome=starred").content.decode()
    assert 'href="/data/commitments.csv?country=KEN&amp;outcome=starred"' in page
    # A case-study outcome cannot narrow the commitments: no file rather than the wrong one.
    assert (
        "/data/commitments.csv" not in client.get("/search/?outcome=implemented").content.decode()
    )

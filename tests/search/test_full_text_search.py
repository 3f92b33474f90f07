"""Commitments are found by what their full text says they do, not only by their titles.

"geocoded" appears in one commitment only, in the full text of Kenya's KE0034 ("Open
Data for Development": budget data "including geocoded information and satellite
imagery"), never in its title or institutions.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils.html import strip_tags

from casestudies.models import Commitment
from search import documents
from search.service import build_query, search

pytestmark = pytest.mark.django_db

WORD = "geocoded"
READ_MORE = "Read the full commitment on OGP's site"


@pytest.fixture
def open_data_for_development(real_data) -> Commitment:
    commitment = Commitment.objects.get(identifier="KE0034")
    institutions = f"{commitment.lead_institution} {commitment.supporting_institutions}"
    assert WORD not in f"{commitment.title} {institutions}".lower()
    assert WORD in commitment.full_text
    return commitment


def assert_found_with_a_short_snippet(results, commitment):
    assert [hit.doc_id for hit in results.hits] == [f"commitment-{commitment.identifier}"]
    (hit,) = results.hits
    assert hit.title == "Open Data for Development"
    assert hit.url == "/countries/KEN/#KE0034"
    assert hit.details["source_url"] == commitment.source_url
    assert f"<mark>{WORD}</mark>" in hit.snippet.lower()
    # A short quote, never the whole 13,000-character text.
    assert len(strip_tags(hit.snippet)) < 300


def test_word_only_in_a_full_text_finds_its_commitment_on_the_embedded_backend(
    embedded_index, open_data_for_development
):
    assert_found_with_a_short_snippet(search(WORD).results, open_data_for_development)


def test_word_only_in_a_full_text_finds_its_commitment_on_elasticsearch(
    elasticsearch_backend, open_data_for_development
):
    elasticsearch_backend.rebuild(documents.commitment_documents())
    query, _ = build_query(WORD)

    results = elasticsearch_backend.search(query)

    assert_found_with_a_short_snippet(results, open_data_for_development)


def test_search_page_result_leads_to_the_commitment_and_its_ogp_page(
    embedded_index, open_data_for_development, client
):
    results = BeautifulSoup(client.get("/search/", {"q": WORD}).content, "html.parser")

    (hit,) = results.select("li.hit")
    assert len(hit.select_one(".hit__snippet").get_text()) < 300
    url = hit.select_one(".hit__title a")["href"]
    path, _, anchor = url.partition("#")
    country_page = BeautifulSoup(client.get(path).content, "html.parser")
    article = country_page.select_one(f"article#{anchor}")
    links = [a["href"] for a in article.select("a") if READ_MORE in a.get_text()]
    assert links == [open_data_for_development.source_url]


def test_peer_matching_finds_the_commitment_by_its_full_text(
    embedded_index, open_data_for_development, client
):
    data = client.get("/api/v1/match/", {"country": "UGA", "q": WORD}).json()

    evidence = {
        peer["country"]["iso3"]: [item["title"] for item in peer["evidence"]]
        for peer in data["peers"]
    }
    assert "Open Data for Development" in evidence["KEN"]

"""The peer brief (`/peers/brief.pdf`): the /peers/ answer as a PDF, read back with pypdf.

Runs over the embedded index built from the demo site, like the /peers/ page tests.
"""

import io

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from casestudies.models import Country, Theme
from learning.factories import CoursePageFactory, FellowshipPageFactory
from learning.models import CourseIndexPage, FellowshipIndexPage

pytestmark = pytest.mark.django_db

QUESTION = {"country": "ZMB", "q": "make public who owns companies"}


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def peers_on_page(client, params) -> list[BeautifulSoup]:
    html = BeautifulSoup(client.get("/peers/", params).content, "html.parser")
    return html.select("li.peer")


def test_brief_is_a_pdf_of_the_peers_the_page_shows_in_its_order(client, embedded_index):
    peers = peers_on_page(client, QUESTION)
    text = pdf_text(client.get("/peers/brief.pdf", QUESTION))

    assert "Peer brief for Zambia" in text
    assert "make public who owns companies" in text
    assert "We read the goal as: Beneficial ownership" in text
    names = [peer.select_one("h3 a").get_text(strip=True) for peer in peers]
    assert len(names) >= 5
    positions = [text.index(f"{rank}. {name}: match score") for rank, name in enumerate(names, 1)]
    assert positions == sorted(positions)
    first_reasons = [li.get_text(" ", strip=True) for li in peers[0].select("ul.reasons li")]
    for reason in first_reasons:
        assert " ".join(reason.split()) in text


def test_brief_gives_evidence_links_with_their_irm_ratings_the_date_and_sources(
    client, embedded_index
):
    text = pdf_text(client.get("/peers/brief.pdf", QUESTION))

    # Nigeria's IRM-rated register commitment, its ratings and its address on the site.
    assert "To establish a public register of beneficial owners of corporate entities" in text
    assert "completion: Substantial" in text
    assert "did it open government: Major" in text
    assert "http://testserver/countries/NGA/#NG0020" in text
    for source in ("Open Government Partnership, IRM data", "Open Ownership", "World Bank"):
        assert source in text
    assert "Date" in text and "Made on" in text
    assert "http://testserver/peers/?country=ZMB" in text  # the same answer online


def test_brief_lists_the_courses_and_fellowships_on_that_reform(client, embedded_index):
    beneficial_ownership = Theme.objects.get(slug="beneficial-ownership")
    course = CoursePageFactory(
        parent=CourseIndexPage.objects.get(),
        title="Registers of who owns companies — from law to data",
        themes=[beneficial_ownership],
    )
    fellowship = FellowshipPageFactory(
        parent=FellowshipIndexPage.objects.get(),
        title="Placement with the Corporate Affairs Commission",
        host_country=Country.objects.get(iso3="NGA"),
        host_institution="Corporate Affairs Commission, Abuja",
        themes=[beneficial_ownership],
    )

    text = pdf_text(client.get("/peers/brief.pdf", QUESTION))

    assert "Registers of who owns companies — from law to data" in text  # an em dash, kept
    assert f"http://testserver{course.url}" in text
    assert "Placement with the Corporate Affairs Commission" in text
    assert "Corporate Affairs Commission, Abuja, Nigeria" in text
    assert f"http://testserver{fellowship.url}" in text


def test_brief_for_a_chosen_policy_area_says_it_was_chosen(client, embedded_index):
    text = pdf_text(
        client.get("/peers/brief.pdf", {"country": "CIV", "theme": "beneficial-ownership"})
    )
    assert "Peer brief for Côte d'Ivoire" in text
    assert "Policy area chosen: Beneficial ownership" in text


def test_peers_page_links_its_brief_with_the_same_question(client, embedded_index):
    html = BeautifulSoup(client.get("/peers/", QUESTION).content, "html.parser")
    link = html.find("a", string="Download brief (PDF)")
    assert link["href"] == "/peers/brief.pdf?country=ZMB&q=make+public+who+owns+companies"


def test_each_question_gets_its_own_brief_never_a_cached_one(client, embedded_index, settings):
    settings.PAGE_CACHE_SECONDS = 300  # the page cache on, as in production
    zambia = client.get("/peers/brief.pdf", QUESTION)
    assert "private" in zambia["Cache-Control"]
    kenya = pdf_text(client.get("/peers/brief.pdf", {**QUESTION, "country": "KEN"}))
    assert "Peer brief for Kenya" in kenya


@pytest.mark.parametrize(
    "params",
    [
        {"country": "XXX", "q": "beneficial ownership"},
        {"country": "ZMB"},
        {"country": "ZMB", "q": "open data", "theme": "no-such-theme"},
    ],
)
def test_a_question_the_page_would_not_answer_goes_back_to_the_form(client, embedded_index, params):
    response = client.get("/peers/brief.pdf", params)
    assert response.status_code == 302
    assert response["Location"].startswith("/peers/?country=")
    followed = client.get(response["Location"])
    assert followed.status_code in (200, 400)
    assert b'class="notice' in followed.content  # the page says what is wrong or missing

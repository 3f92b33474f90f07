"""Case study pages: where they can live, the filterable listing, the page itself, the API."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from casestudies.factories import (
    CaseStudyPageFactory,
    CommitmentFactory,
    CountryFactory,
    ThemeFactory,
)
from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from exchange.models import HomePage

pytestmark = pytest.mark.django_db

KENYA = "Kenya's Access to Information Act"
CHILE = "Chile's Lobbying Law and public registers of meetings with authorities"
IRELAND = "Ireland's Regulation of Lobbying Act and Online Register"
MONGOLIA = "Mongolia: making political party finance more transparent"
PROZORRO = "Ukraine's ProZorro open e-procurement system"
UKRAINE_ARCHIVES = "Ukraine Opens the Soviet-Era Secret Police Archives"
UKRAINE_DECLARATIONS = "Ukraine's electronic asset declarations for public officials"
SLOVAKIA = "Slovakia's Register of Public Sector Partners"
PHILIPPINES_AUDIT = "The Philippines' Citizen Participatory Audit"
PHILIPPINES_RED_TAPE = "The Philippines Cuts Red Tape for Business"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def card_titles(response) -> list[str]:
    return [link.get_text(strip=True) for link in soup(response).select(".card__title a")]


def facts(html) -> dict[str, str]:
    """A page's `<dl class="facts">` as {term: description}."""
    return {
        item.dt.get_text(strip=True): item.dd.get_text(" ", strip=True)
        for item in html.select("dl.facts > div")
    }


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def kenya_case_study(demo_site):
    return CaseStudyPage.objects.get(country__iso3="KEN")


# --- Page tree ---------------------------------------------------------------------------


def test_case_study_can_only_be_created_under_the_case_study_index():
    assert CaseStudyPage.allowed_parent_page_models() == [CaseStudyIndexPage]
    assert CaseStudyPage not in HomePage.allowed_subpage_models()
    assert CaseStudyPage not in Page.allowed_subpage_models()


def test_case_study_index_can_only_be_created_under_the_home_page():
    assert CaseStudyIndexPage.allowed_parent_page_models() == [HomePage]
    assert CaseStudyIndexPage.allowed_subpage_models() == [CaseStudyPage]
    assert CaseStudyIndexPage not in Page.allowed_subpage_models()


def test_case_study_has_no_subpages():
    assert CaseStudyPage.allowed_subpage_models() == []


def test_site_allows_only_one_case_study_index(home, case_study_index):
    assert not CaseStudyIndexPage.can_create_at(home)


def test_home_page_sits_only_at_the_root_and_only_once(home):
    assert HomePage.allowed_parent_page_models() == [Page]
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not HomePage.can_create_at(home)


def test_case_study_can_be_added_to_the_index(case_study_index):
    assert CaseStudyPage.can_create_at(case_study_index)


# --- The listing --------------------------------------------------------------------------


def test_listing_shows_published_case_studies_twelve_to_a_page(demo_site, client):
    response = client.get("/case-studies/")

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == "Case studies"
    assert html.select_one(".result-count").get_text(strip=True) == "16 case studies"
    assert len(card_titles(response)) == 12
    assert "Page 1 of 2" in html.select_one(".pagination").get_text()
    second_page = card_titles(client.get("/case-studies/?page=2"))
    assert len(second_page) == 4
    assert not set(second_page) & set(card_titles(response))


def test_listing_cards_show_country_period_status_themes_and_sample_tag(demo_site, client):
    html = soup(client.get("/case-studies/?country=KEN"))

    card = html.select_one(".card")
    assert (
        card.select_one(".card__title a")["href"]
        == "/case-studies/kenya-access-to-information-act/"
    )
    meta = card.select_one(".card__meta").get_text(" ", strip=True)
    assert "Kenya" in meta
    assert "2016–ongoing" in meta
    assert "Implemented" in meta
    assert "Sample" in meta
    assert [tag.get_text() for tag in card.select(".tags a")] == [
        "Legislation",
        "Right to information",
    ]


def test_listing_leaves_out_drafts(demo_site, case_study_index, client):
    draft = CaseStudyPageFactory(
        parent=case_study_index,
        title="An unpublished reform",
        live=False,
        country=CountryFactory(),
        themes=[ThemeFactory(slug="draft-only-theme")],
    )

    response = client.get("/case-studies/?q=unpublished")

    assert card_titles(response) == []
    assert "No case study matches these filters." in response.text
    # Its country and theme are not offered as filters either.
    html = soup(response)
    assert not html.select(f"#id_country option[value='{draft.country.iso3}']")
    assert not html.select("#id_theme option[value='draft-only-theme']")
    assert html.select("#id_country option[value='KEN']")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("theme=lobbying", {CHILE, IRELAND}),
        ("country=UKR", {PROZORRO, UKRAINE_ARCHIVES, UKRAINE_DECLARATIONS}),
        ("region=Sub-Saharan+Africa", {KENYA}),
        ("income_group=Lower+middle+income", {KENYA, PHILIPPINES_AUDIT, PHILIPPINES_RED_TAPE}),
        ("status=in-progress", {MONGOLIA}),
        ("q=prozorro", {PROZORRO}),
        ("q=lobbying+register", {CHILE, IRELAND}),
    ],
)
def test_listing_filters_by_each_facet(demo_site, client, query, expected):
    response = client.get(f"/case-studies/?{query}")

    assert response.status_code == 200
    assert set(card_titles(response)) == expected
    count = len(expected)
    assert soup(response).select_one(".result-count").get_text(strip=True) == (
        f"{count} case stud{'y' if count == 1 else 'ies'}"
    )


def test_listing_combines_filters(demo_site, client):
    response = client.get(
        "/case-studies/?theme=legislation&region=Europe+%26+Central+Asia&status=implemented"
    )

    assert set(card_titles(response)) == {IRELAND, SLOVAKIA, UKRAINE_ARCHIVES}


def test_listing_form_shows_the_chosen_filters(demo_site, client):
    html = soup(client.get("/case-studies/?theme=lobbying&q=register"))

    assert html.select_one("#id_theme option[selected]")["value"] == "lobbying"
    assert html.select_one("#id_q")["value"] == "register"


def test_pagination_links_keep_the_filters(demo_site, client, monkeypatch):
    monkeypatch.setattr(CaseStudyIndexPage, "page_size", 2)

    response = client.get("/case-studies/?country=UKR&status=implemented")
    html = soup(response)

    assert len(card_titles(response)) == 2
    next_link = html.select_one(".pagination a[rel=next]")["href"]
    assert "country=UKR" in next_link
    assert "status=implemented" in next_link
    assert "page=2" in next_link
    second = client.get(f"/case-studies/{next_link}")
    assert len(card_titles(second)) == 1
    previous_link = soup(second).select_one(".pagination a[rel=prev]")["href"]
    assert "country=UKR" in previous_link
    assert "status=implemented" in previous_link


@pytest.mark.parametrize(
    "query",
    [
        "theme=no-such-theme",
        "country=ZZZ",
        "region=Atlantis",
        "income_group=Very+rich",
        "status=abandoned",
        "q=xylophone",
        "theme=lobbying&country=KEN",
    ],
)
def test_unmatched_or_unknown_filter_shows_an_empty_state(demo_site, client, query):
    response = client.get(f"/case-studies/?{query}")

    assert response.status_code == 200
    assert card_titles(response) == []
    assert "0 case studies" in response.text
    assert "No case study matches these filters." in response.text
    assert 'href="/case-studies/"' in response.text  # a way back to everything


@pytest.mark.parametrize(
    ("page", "expected_page"),
    [("abc", 1), ("999", 2), ("0", 2), ("-1", 2), ("1.5", 1), ("", 1)],
)
def test_junk_page_number_falls_back_to_a_real_page(demo_site, client, page, expected_page):
    response = client.get(f"/case-studies/?page={page}")

    assert response.status_code == 200
    assert card_titles(response)
    assert f"Page {expected_page} of 2" in soup(response).select_one(".pagination").get_text()


def test_huge_word_query_is_answered(demo_site, client):
    response = client.get("/case-studies/", {"q": "reform " * 2000})

    assert response.status_code == 200


def test_listing_queries_do_not_grow_with_case_studies(case_study_index, client):
    themes = ThemeFactory.create_batch(3)
    CaseStudyPageFactory(parent=case_study_index, themes=themes[:1])
    few = query_count(client, "/case-studies/")

    for _ in range(11):
        CaseStudyPageFactory(
            parent=case_study_index,
            country=CountryFactory(),
            themes=themes,
            commitments=CommitmentFactory.create_batch(2),
        )
    many = query_count(client, "/case-studies/")

    assert len(card_titles(client.get("/case-studies/"))) == 12
    assert many == few


@pytest.mark.parametrize(
    ("query", "budget"),
    [
        ("", 14),
        # A chosen theme and country are each looked up once more, to validate them.
        (
            "?theme=legislation&country=UKR&region=Europe+%26+Central+Asia"
            "&income_group=Upper+middle+income&status=implemented&q=law",
            16,
        ),
    ],
)
def test_listing_stays_within_its_query_budget(
    demo_site, client, django_assert_max_num_queries, query, budget
):
    client.get("/case-studies/")
    with django_assert_max_num_queries(budget):
        response = client.get(f"/case-studies/{query}")
    assert card_titles(response)


# --- The case study page ------------------------------------------------------------------


def test_case_study_page_shows_its_structured_story(kenya_case_study, client):
    response = client.get(kenya_case_study.url)

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == KENYA
    assert "In 2016 Kenya passed the Access to Information Act." in html.select_one(".lead").text
    assert facts(html) == {
        "Country": "Kenya",
        "Period": "2016–ongoing",
        "Status": "Implemented",
        "Themes": "Legislation , Right to information",  # two links, comma-separated
        "OGP values": "Access to information, Public accountability",
    }
    assert [(a.get_text(), a["href"]) for a in html.select("dl.facts a")] == [
        ("Kenya", "/countries/KEN/"),
        ("Legislation", "/themes/legislation/"),
        ("Right to information", "/themes/right-to-information/"),
    ]
    sections = [h2.get_text(strip=True) for h2 in html.select(".cs-section h2")]
    assert sections == [
        "Context",
        "What was done",
        "Results",
        "Obstacles and how they were overcome",
        "Lessons for peers",
        "People and institutions",
    ]
    # Markdown in the sections is rendered: a list of the Act's features.
    assert len(html.select(".cs-section--action li")) == 7
    figures = {fig.dd.get_text(strip=True) for fig in html.select(".key-figure")}
    assert figures == {"21 days", "48 hours"}


def test_case_study_page_lists_its_sources_with_links(kenya_case_study, client):
    html = soup(client.get(kenya_case_study.url))

    sources = html.select(".sources li")
    assert len(sources) == 4
    assert sources[0].get_text(strip=True) == (
        "Access to Information Act, No. 31 of 2016, "
        "Kenya Law (National Council for Law Reporting) (2016)"
    )
    linked = html.select_one(".sources a")
    assert linked["href"] == "https://opengovpartnership.org/members/kenya/commitments/ke0038"


def test_case_study_page_shows_the_linked_commitment_with_its_irm_ratings(demo_site, client):
    chile = CaseStudyPage.objects.get(country__iso3="CHL")

    html = soup(client.get(chile.url))

    commitments = html.select(".commitment")
    assert len(commitments) == 1
    commitment = commitments[0]
    assert "CL0015" in commitment.select_one(".commitment__meta").get_text()
    assert "action plan 2012–2014" in commitment.select_one(".commitment__meta").get_text()
    ratings = {
        item.dt.get_text(strip=True): item.dd.get_text(strip=True)
        for item in commitment.select("dl.irm > div")
    }
    assert ratings == {
        "Specificity": "Medium",
        "Potential impact": "Transformative",
        "Completion": "Complete",
        "Did it open government?": "Not assessed",
        "Starred": "★ Starred",
    }
    assert commitment.select_one("a")["href"] == (
        "https://opengovpartnership.org/members/chile/commitments/cl0015"
    )


def test_unrated_linked_commitment_reads_not_assessed(kenya_case_study, client):
    html = soup(client.get(kenya_case_study.url))

    ratings = [dd.get_text(strip=True) for dd in html.select(".commitment dl.irm dd")]
    assert ratings == ["Not assessed"] * 5


def test_sample_case_study_carries_the_sample_notice(kenya_case_study, client):
    notice = soup(client.get(kenya_case_study.url)).select_one(".notice--sample")

    assert notice is not None
    assert notice.get_text(" ", strip=True).startswith("Sample content.")


def test_case_study_written_by_an_editor_has_no_sample_notice(real_data, case_study_index, client):
    page = CaseStudyPageFactory(parent=case_study_index, title="An editor's own case study")

    response = client.get(page.url)

    assert response.status_code == 200
    assert soup(response).select_one(".notice--sample") is None
    assert "No commitment in our IRM data is linked to this reform yet." in response.text


def test_draft_case_study_is_not_served(case_study_index, client):
    page = CaseStudyPageFactory(parent=case_study_index, title="Not yet", live=False)

    response = client.get(page.url or "/case-studies/not-yet/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_unknown_case_study_is_a_not_found_page(case_study_index, client):
    response = client.get("/case-studies/no-such-reform/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_case_study_page_renders_in_at_most_ten_queries(
    kenya_case_study, client, django_assert_max_num_queries
):
    client.get(kenya_case_study.url)
    with django_assert_max_num_queries(10):
        response = client.get(kenya_case_study.url)
    assert response.status_code == 200


def test_case_study_page_queries_do_not_grow_with_commitments_and_themes(case_study_index, client):
    small = CaseStudyPageFactory(
        parent=case_study_index, themes=[ThemeFactory()], commitments=[CommitmentFactory()]
    )
    large = CaseStudyPageFactory(
        parent=case_study_index,
        themes=ThemeFactory.create_batch(6),
        commitments=[CommitmentFactory(country=CountryFactory()) for _ in range(8)],
    )

    assert query_count(client, large.url) == query_count(client, small.url) <= 10
    assert len(soup(client.get(large.url)).select(".commitment")) == 8


# --- Wagtail's page API ---------------------------------------------------------------------


def test_page_api_lists_published_pages_only(demo_site, case_study_index, client):
    CaseStudyPageFactory(parent=case_study_index, title="A draft nobody should see", live=False)

    response = client.get("/api/v2/pages/", {"limit": 20})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    titles = {item["title"] for item in data["items"]}
    assert "A draft nobody should see" not in titles
    assert KENYA in titles
    assert data["meta"]["total_count"] == Page.objects.live().public().exclude(depth=1).count()
    assert data["meta"]["total_count"] == 20  # home, the three indexes, the 16 case studies


def test_page_api_filters_case_studies_by_type(demo_site, client):
    response = client.get("/api/v2/pages/", {"type": "casestudies.CaseStudyPage", "limit": 20})

    items = response.json()["items"]
    assert len(items) == 16
    assert {item["meta"]["type"] for item in items} == {"casestudies.CaseStudyPage"}

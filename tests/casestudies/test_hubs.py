"""Country and theme hubs: real World Bank and IRM data as a reader sees it."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.factories import (
    CaseStudyPageFactory,
    CommitmentFactory,
    CountryFactory,
    ThemeFactory,
)
from casestudies.models import WGI_DIMENSIONS, Commitment, Country, Theme
from search.matching import similarity
from search.peers import profile_of

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def facts(html) -> dict[str, str]:
    return {
        item.dt.get_text(strip=True): item.dd.get_text(" ", strip=True)
        for item in html.select("dl.facts > div")
    }


# The page's own tables, not the world map's table alternative (tests/casestudies/test_insights.py).
PAGE_TABLES = "table:not(.world-map__figures)"


def table_rows(html, tables=PAGE_TABLES) -> dict[str, list[str]]:
    """The body rows of the tables as {row heading: [cells]}."""
    return {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in html.select(f"{tables} tbody tr")
    }


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- /countries/ -------------------------------------------------------------------------


def test_country_list_counts_every_economy(real_data, client):
    response = client.get("/countries/")

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == "Countries"
    total = Country.objects.count()
    assert total == 217
    assert html.select_one(".result-count").get_text(strip=True) == f"{total} countries"
    assert len(html.select(f"{PAGE_TABLES} tbody tr")) == 60
    assert "Page 1 of 4" in html.select_one(".pagination").get_text()


def test_country_list_shows_kenya_as_an_ogp_member_with_its_commitments(demo_site, client):
    html = soup(client.get("/countries/?region=Sub-Saharan+Africa&members=1"))

    rows = table_rows(html)
    assert rows["Kenya"] == [
        "Sub-Saharan Africa",
        "Lower middle income",
        "Joined 2011 Source: OGP",
        "8",
        "1",
    ]
    kenya = html.select_one(f"{PAGE_TABLES} a[href='/countries/KEN/']")
    assert kenya.get_text() == "Kenya"
    kenya_source = kenya.find_parent("tr").select("td a")
    assert [a["href"] for a in kenya_source] == [Country.objects.get(iso3="KEN").ogp_source_url]
    assert rows["South Africa"][2:] == ["Joined 2011 Source: OGP", "0", "0"]  # no commitments
    assert "Ethiopia" not in rows  # not an OGP member
    assert "Tanzania" not in rows  # withdrew in 2017
    assert html.select_one("#members").has_attr("checked")
    assert html.select_one("#region option[selected]")["value"] == "Sub-Saharan Africa"


def test_country_list_shows_unclassified_income_group_and_non_members(real_data, client):
    rows = table_rows(soup(client.get("/countries/?region=Sub-Saharan+Africa")))

    assert rows["Ethiopia"] == ["Sub-Saharan Africa", "Not classified", "—", "0", "0"]
    assert rows["Tanzania"][2] == "Withdrew Source: OGP"
    assert rows["Benin"][2] == "Joined 2025 Source: OGP"


def test_country_list_filters_by_ogp_membership(real_data, client):
    html = soup(client.get("/countries/?members=1"))

    # 73 active and 2 whose status is not confirmed; the 9 that withdrew are left out.
    assert html.select_one(".result-count").get_text(strip=True) == "75 countries"
    assert Country.objects.ogp_members().count() == 75


def test_country_list_offers_every_region_once(real_data, client):
    html = soup(client.get("/countries/"))

    options = [option["value"] for option in html.select("#region option")]
    assert options[0] == ""  # "All regions"
    assert sorted(options[1:]) == sorted(set(Country.objects.values_list("region", flat=True)))


@pytest.mark.parametrize("query", ["region=Atlantis", "page=abc", "page=999", "members=yes"])
def test_country_list_answers_odd_query_strings(real_data, client, query):
    response = client.get(f"/countries/?{query}")

    assert response.status_code == 200
    if query == "region=Atlantis":
        assert "No country matches." in response.text


def test_country_list_pagination_keeps_the_filters(real_data, client):
    html = soup(client.get("/countries/?members=1"))

    next_link = html.select_one(".pagination a[rel=next]")["href"]
    assert "members=1" in next_link
    assert "page=2" in next_link


def test_country_list_queries_do_not_grow_with_commitments_or_case_studies(
    real_data, case_study_index, client
):
    url = "/countries/?region=Sub-Saharan+Africa"
    few = query_count(client, url)

    themes = ThemeFactory.create_batch(2)
    for _ in range(5):
        country = CountryFactory()
        CommitmentFactory.create_batch(3, country=country, themes=themes)
        CaseStudyPageFactory(parent=case_study_index, country=country, themes=themes)
    many = query_count(client, url)

    assert many == few
    assert few <= 5


# --- /countries/<iso3>/ -------------------------------------------------------------------


def test_country_page_shows_world_bank_context(real_data, client):
    kenya = Country.objects.get(iso3="KEN")

    response = client.get("/countries/KEN/")

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(" ", strip=True) == "Kenya KEN"
    context = facts(html)
    assert context["World Bank region"] == "Sub-Saharan Africa"
    assert context["Income group"] == "Lower middle income"
    assert context["Population"] == f"{kenya.population:,} ({kenya.population_year})"
    assert kenya.population_year == 2024
    assert context["GDP per capita"] == (
        f"US${round(kenya.gdp_per_capita):,} ({kenya.gdp_per_capita_year})"
    )
    assert context["OGP membership"] == "OGP member since 2011 · Source: OGP"


def test_country_page_shows_south_africa_as_a_member_since_2011_with_its_source(real_data, client):
    south_africa = Country.objects.get(iso3="ZAF")

    html = soup(client.get("/countries/ZAF/"))

    assert facts(html)["OGP membership"] == "OGP member since 2011 · Source: OGP"
    source = html.select_one("dl.facts a")
    assert source.get_text() == "Source: OGP"
    assert source["href"] == south_africa.ogp_source_url
    assert source["href"].startswith("https://opengovpartnership.org/")


@pytest.mark.parametrize(
    ("iso3", "membership"),
    [
        ("HUN", "Withdrew from OGP (joined 2012): withdrew Dec 2016 · Source: OGP"),
        (
            "MLT",
            "OGP member since 2011; status not confirmed (designated inactive Mar 2022; "
            "4th plan submitted Dec 2023 to reactivate) · Source: OGP",
        ),
        ("ETH", "Not an OGP member"),
    ],
)
def test_country_page_says_when_a_country_left_or_never_joined_ogp(
    real_data, client, iso3, membership
):
    html = soup(client.get(f"/countries/{iso3}/"))

    assert facts(html)["OGP membership"] == membership


def test_country_page_shows_an_inactive_member_with_its_note(real_data, client):
    country = CountryFactory(
        ogp_member=True,
        ogp_status="inactive",
        ogp_year_joined=2014,
        ogp_status_note="acted contrary to process twice",
        ogp_source_url="https://www.opengovpartnership.org/members/example/",
    )

    html = soup(client.get(f"/countries/{country.iso3}/"))

    assert facts(html)["OGP membership"] == (
        "Inactive OGP member (joined 2014): acted contrary to process twice · Source: OGP"
    )


def test_country_page_shows_the_six_governance_indicators_with_their_year(real_data, client):
    kenya = Country.objects.get(iso3="KEN")

    html = soup(client.get("/countries/KEN/"))

    assert f"Governance indicators ({kenya.wgi_year})" in html.get_text()
    rows = table_rows(html, "table.governance-median")
    assert list(rows) == [label for _, _, label in WGI_DIMENSIONS]
    for field, _, label in WGI_DIMENSIONS:
        assert rows[label][0] == f"{getattr(kenya, field):.2f}"  # then the regional median


def test_country_page_groups_commitments_by_action_plan_newest_first(real_data, client):
    html = soup(client.get("/countries/KEN/"))

    plans = {
        plan.h3.get_text(strip=True): [
            article.select_one(".mono").get_text() for article in plan.select(".commitment")
        ]
        for plan in html.select("section.action-plan")
    }
    assert plans == {
        "Action plan 2023–2027": ["KE0033", "KE0034", "KE0037", "KE0038"],
        "Action plan 2020–2022": ["KE0027"],
        "Action plan 2018–2020": ["KE0021"],
        "Action plan 2016–2018": ["KE0012", "KE0016"],
    }
    assert "8 commitments in our IRM data" in html.get_text()


def irm_ratings(html, identifier) -> dict[str, str]:
    article = next(
        article
        for article in html.select(".commitment")
        if article.select_one(".mono").get_text() == identifier
    )
    return {
        item.dt.get_text(strip=True): item.dd.get_text(strip=True)
        for item in article.select("dl.irm > div")
    }


def test_country_page_shows_irm_ratings_and_not_assessed_never_zero(real_data, client):
    html = soup(client.get("/countries/KEN/"))

    assert irm_ratings(html, "KE0012") == {
        "Specificity": "Medium",
        "Potential impact": "Moderate",
        "Completion": "Substantial",
        "Did it open government?": "Marginal",
        "Starred": "No",
    }
    # The IRM gave KE0021 an ambition rating but no specificity ("ND" in the data).
    assert irm_ratings(html, "KE0021") == {
        "Specificity": "Not assessed",
        "Potential impact": "Moderate",
        "Completion": "Limited",
        "Did it open government?": "Not assessed",
        "Starred": "No",
    }
    assert set(irm_ratings(html, "KE0038").values()) == {"Not assessed"}
    ratings = [dd.get_text(strip=True) for dd in html.select("dl.irm dd")]
    assert "0" not in ratings
    assert "None" not in ratings
    assert "" not in ratings


def test_country_page_lists_its_case_studies_and_similar_members(demo_site, client):
    html = soup(client.get("/countries/KEN/"))

    assert [a.get_text() for a in html.select(".card__title a")] == [
        "Kenya's Access to Information Act"
    ]
    similar = [a.get_text() for a in html.select("#similar-heading ~ ul a")]
    expected = (
        Country.objects.filter(
            region="Sub-Saharan Africa", income_group="Lower middle income", ogp_member=True
        )
        .exclude(iso3="KEN")
        .order_by("name")
    )
    # The members in Kenya's region and income group, the most alike first by the peer
    # matcher's context similarity (governance, GDP per capita, population).
    assert sorted(similar) == sorted(country.name for country in expected)
    assert similar  # Kenya has peers in its region and income group
    kenya = profile_of(Country.objects.get(iso3="KEN"))
    by_name = {country.name: country for country in expected}
    alike = [similarity(kenya, profile_of(by_name[name])).total for name in similar]
    assert alike == sorted(alike, reverse=True)


def test_lower_case_country_code_redirects_to_the_canonical_page(real_data, client):
    response = client.get("/countries/ken/")

    assert response.status_code == 301
    assert response["Location"] == "/countries/KEN/"


@pytest.mark.parametrize("code", ["XXX", "zzz", "KENYA", "K%C3%89N"])
def test_unknown_country_is_a_not_found_page(real_data, client, code):
    response = client.get(f"/countries/{code}/", follow=True)

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text
    assert soup(response).h1.get_text() == "Page not found"


def test_country_without_world_bank_income_group_reads_not_classified(real_data, client):
    html = soup(client.get("/countries/ETH/"))

    assert facts(html)["Income group"].startswith("Not classified")
    assert "No commitments from Ethiopia are in our IRM data." in html.get_text()
    assert "No case study about Ethiopia yet." in html.get_text()


def test_country_page_renders_in_at_most_ten_queries(
    demo_site, client, django_assert_max_num_queries
):
    client.get("/countries/KEN/")
    with django_assert_max_num_queries(10):
        response = client.get("/countries/KEN/")
    assert response.status_code == 200


def test_country_page_queries_do_not_grow_with_commitments_and_case_studies(
    real_data, case_study_index, client
):
    country = CountryFactory()
    theme = ThemeFactory()
    CommitmentFactory(country=country, themes=[theme])
    CaseStudyPageFactory(parent=case_study_index, country=country, themes=[theme])
    url = f"/countries/{country.iso3}/"
    few = query_count(client, url)

    themes = ThemeFactory.create_batch(3)
    for plan in range(4):
        CommitmentFactory.create_batch(
            5,
            country=country,
            themes=themes,
            action_plan_id=f"AP_{country.iso3}0{plan + 2}",
            plan_start_year=2010 + 2 * plan,
            plan_end_year=2012 + 2 * plan,
        )
    for _ in range(4):
        CaseStudyPageFactory(parent=case_study_index, country=country, themes=themes)
    many = query_count(client, url)

    html = soup(client.get(url))
    assert len(html.select("section.action-plan")) == 5
    assert len(html.select(".card")) == 5
    assert many == few <= 10


# --- /themes/ ----------------------------------------------------------------------------


def test_theme_list_shows_policy_areas_with_commitment_counts(real_data, client):
    response = client.get("/themes/")

    assert response.status_code == 200
    html = soup(response)
    headings = {
        item.h2.a.get_text(): item.h2.select_one(".count").get_text()
        for item in html.select(".theme-list > li")
    }
    top_level = Theme.objects.filter(parent__isnull=True)
    assert len(headings) == top_level.count()
    assert headings["Legislation"] == str(
        Commitment.objects.filter(themes__slug="legislation").count()
    )
    assert headings["Legislation"] == "389"
    anti_corruption = html.select_one("a[href='/themes/anti-corruption-and-integrity/']")
    children = anti_corruption.find_parent("li").select(".inline-list a")
    assert "Right to information" in [child.get_text() for child in children]


def test_theme_list_queries_do_not_grow_with_themes(real_data, client):
    few = query_count(client, "/themes/")

    for _ in range(5):
        parent = ThemeFactory()
        for child in ThemeFactory.create_batch(3, parent=parent):
            CommitmentFactory.create_batch(2, themes=[child, parent])
    many = query_count(client, "/themes/")

    assert many == few <= 4


# --- /themes/<slug>/ ---------------------------------------------------------------------


def test_theme_page_lists_case_studies_and_commitments(demo_site, client):
    response = client.get("/themes/right-to-information/")

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text() == "Right to information"
    assert {a.get_text() for a in html.select(".card__title a")} == {
        "Kenya's Access to Information Act",
        "Ukraine Opens the Soviet-Era Secret Police Archives",
    }
    theme = Theme.objects.get(slug="right-to-information")
    total = theme.commitments.count()
    starred = theme.commitments.filter(starred=True).count()
    assert f"{total} commitments tagged with this theme, {starred} starred." in html.get_text()
    first = html.select(".commitment")[0]
    assert first.select_one("a[href^='/countries/']")  # each commitment names its member


def test_theme_page_paginates_commitments_starred_first(real_data, client):
    legislation = Theme.objects.get(slug="legislation")
    starred = legislation.commitments.filter(starred=True).count()

    first = soup(client.get("/themes/legislation/"))
    second = soup(client.get("/themes/legislation/?page=2"))

    assert "Page 1 of 16" in first.select_one(".pagination").get_text()
    assert "Page 2 of 16" in second.select_one(".pagination").get_text()
    first_ids = [a.get_text() for a in first.select(".commitment .mono")]
    second_ids = [a.get_text() for a in second.select(".commitment .mono")]
    assert len(first_ids) == len(second_ids) == 25
    assert not set(first_ids) & set(second_ids)
    stars = [
        dd.get_text(strip=True) == "★ Starred"
        for dd in first.select(".commitment dl.irm > div:last-child dd")
    ]
    assert stars == [True] * 25  # 31 starred: page one is all stars
    assert starred > 25


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("999", 16), ("-3", 16)])
def test_theme_page_handles_junk_page_numbers(real_data, client, page, expected):
    response = client.get(f"/themes/legislation/?page={page}")

    assert response.status_code == 200
    assert f"Page {expected} of 16" in soup(response).select_one(".pagination").get_text()


def test_theme_without_commitments_or_case_studies_says_so(real_data, client):
    theme = ThemeFactory(name="Quiet policy area", slug="quiet-policy-area")

    response = client.get(theme.get_absolute_url())

    assert response.status_code == 200
    assert "No case study on “Quiet policy area” yet." in response.text
    assert "No commitment in our IRM data is tagged with this theme." in response.text


@pytest.mark.parametrize("slug", ["no-such-theme", "RTI"])
def test_unknown_theme_is_a_not_found_page(real_data, client, slug):
    response = client.get(f"/themes/{slug}/")

    assert response.status_code == 404
    assert soup(response).h1.get_text() == "Page not found"


def test_theme_page_queries_do_not_grow_with_commitments_and_case_studies(
    real_data, case_study_index, client
):
    theme = ThemeFactory()
    CommitmentFactory(themes=[theme])
    CaseStudyPageFactory(parent=case_study_index, themes=[theme])
    url = theme.get_absolute_url()
    few = query_count(client, url)

    for child in ThemeFactory.create_batch(3, parent=theme):
        CommitmentFactory.create_batch(2, themes=[child])
    for _ in range(10):
        country = CountryFactory()
        CommitmentFactory.create_batch(3, country=country, themes=[theme])
        CaseStudyPageFactory(
            parent=case_study_index, country=country, themes=[theme, ThemeFactory()]
        )
    many = query_count(client, url)

    assert len(soup(client.get(url)).select(".commitment")) == 25
    assert many == few <= 10

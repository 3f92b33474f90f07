"""The four listings (case studies, courses, fellowships, countries) share one idiom
(exchange.core.listing): each filters from the URL, shows a fixed number per page, turns junk page
numbers into a page it has, and answers bad values as it always did: an unknown case-study
filter lists nothing, an unknown course or fellowship filter is ignored and named on the form,
an unknown region lists no country, and a control character is a 400."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from casestudies.models import Country, Theme
from learning.factories import CoursePageFactory, FellowshipPageFactory
from learning.models import CourseIndexPage, FellowshipIndexPage

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def result_count(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".result-count").get_text(strip=True)


def pagination(response) -> str:
    nav = BeautifulSoup(response.content, "html.parser").select_one("nav.pagination")
    return " ".join(nav.get_text(" ", strip=True).split()) if nav else ""


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [p.get_text(strip=True) for p in soup.select(".field-error")]


def selected(response, name) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    option = soup.select_one(f'select[name="{name}"] option[selected]')
    return option["value"] if option else ""


# Case studies ------------------------------------------------------------------------


@pytest.fixture
def case_studies(demo_site):
    from casestudies.models import CaseStudyPage

    return CaseStudyPage.objects.live()


def test_case_studies_show_twelve_a_page_and_keep_filters_in_the_page_links(client, case_studies):
    total = case_studies.count()
    assert total > 12
    first = get(client, "/case-studies/")
    assert len(first.context["case_studies"]) == 12
    assert result_count(first) == f"{total} case studies"
    assert pagination(first) == "Page 1 of 2 Next →"
    last = get(client, "/case-studies/?page=2")
    assert len(last.context["case_studies"]) == total - 12
    # Junk and out-of-range page numbers: the first and the last page.
    assert pagination(get(client, "/case-studies/?page=x")).startswith("Page 1 of 2")
    assert pagination(get(client, "/case-studies/?page=99")).startswith("← Previous Page 2 of 2")


def test_case_studies_filter_by_status_and_country(client, case_studies):
    implemented = get(client, "/case-studies/?status=implemented")
    assert {page.status for page in implemented.context["case_studies"]} == {"implemented"}
    assert selected(implemented, "status") == "implemented"
    chile = get(client, "/case-studies/?country=CHL")
    assert [page.country.iso3 for page in chile.context["case_studies"]] == ["CHL"]


@pytest.mark.parametrize("query", ["?theme=no-such-theme", "?status=bogus", "?country=XXX"])
def test_an_unknown_case_study_filter_lists_nothing(client, case_studies, query):
    response = get(client, "/case-studies/" + query)
    assert result_count(response) == "0 case studies"
    assert "No case study matches these filters." in response.content.decode()


def options(response, name) -> list[tuple[str, str]]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (option["value"], option.get_text(strip=True))
        for option in soup.select(f'select[name="{name}"] option')
    ]


def test_the_case_study_listing_reads_in_french(client, case_studies):
    response = get(client, "/fr/case-studies/")
    soup = BeautifulSoup(response.content, "html.parser")
    labels = [label.get_text(strip=True) for label in soup.select(".filters label")]
    assert labels == ["Mots", "Thème", "Pays", "Région", "Groupe de revenu", "Statut"]
    assert options(response, "theme")[0] == ("", "Tous les thèmes")
    assert options(response, "status")[0] == ("", "Tous les statuts")
    # The stored English value filters; the reader sees the World Bank's French name.
    assert ("Latin America & Caribbean", "Amérique latine et Caraïbes") in options(
        response, "region"
    )
    # The cards' periods too: a reform still under way is "en cours".
    periods = [p.get_text() for p in soup.select(".card__meta")]
    assert any("–en cours" in period for period in periods)
    assert not any("ongoing" in period for period in periods)


def test_a_newly_published_case_study_adds_its_country_to_the_filter(
    client, case_studies, case_study_index
):
    from casestudies.factories import CaseStudyPageFactory

    assert "NPL" not in dict(options(get(client, "/case-studies/"), "country"))
    page = CaseStudyPageFactory(
        parent=case_study_index,
        title="Sample: a reform in Nepal",
        country=Country.objects.get(iso3="NPL"),
        live=False,
    )
    page.save_revision().publish()
    response = get(client, "/case-studies/?country=NPL")
    assert ("NPL", "Nepal") in options(response, "country")
    assert [p.title for p in response.context["case_studies"]] == ["Sample: a reform in Nepal"]


# Courses -----------------------------------------------------------------------------


@pytest.fixture
def courses(real_data, home):
    index = CourseIndexPage.objects.get()
    open_data = Theme.objects.get(slug="open-data")
    made = [
        CoursePageFactory(parent=index, title=f"Course {n:02d}", level="introductory")
        for n in range(12)
    ]
    made.append(
        CoursePageFactory(
            parent=index, title="Publishing data", level="advanced", themes=[open_data]
        )
    )
    return made


def test_courses_show_twelve_a_page_in_tree_order(client, courses):
    first = get(client, "/courses/")
    assert [c.title for c in first.context["courses"]] == [f"Course {n:02d}" for n in range(12)]
    assert result_count(first) == "13 courses"
    assert [c.title for c in get(client, "/courses/?page=2").context["courses"]] == [
        "Publishing data"
    ]
    assert [c.title for c in get(client, "/courses/?page=0").context["courses"]] == [
        "Publishing data"
    ]


def test_courses_filter_by_theme_and_level(client, courses):
    assert [c.title for c in get(client, "/courses/?theme=open-data").context["courses"]] == [
        "Publishing data"
    ]
    advanced = get(client, "/courses/?level=advanced&theme=open-data")
    assert [c.title for c in advanced.context["courses"]] == ["Publishing data"]
    assert selected(advanced, "level") == "advanced"
    assert get(client, "/courses/?level=intermediate").context["courses"].paginator.count == 0


def test_an_unknown_course_filter_is_ignored_and_named(client, courses):
    response = get(client, "/courses/?level=expert&theme=open-data")
    # The valid filter still applies; the invalid one is shown as an error, not applied.
    assert [c.title for c in response.context["courses"]] == ["Publishing data"]
    assert errors(response) == [
        "Select a valid choice. expert is not one of the available choices."
    ]
    # Only themes some course has are offered: a theme no course has is ignored too.
    assert result_count(get(client, "/courses/?theme=lobbying")) == "13 courses"


# Fellowships -------------------------------------------------------------------------


@pytest.fixture
def fellowships(real_data, home):
    index = FellowshipIndexPage.objects.get()
    now = timezone.now()
    lobbying = Theme.objects.get(slug="lobbying")

    def make(title, iso3, days):
        return FellowshipPageFactory(
            parent=index,
            title=title,
            host_country=Country.objects.get(iso3=iso3),
            themes=[lobbying],
            application_deadline=now + dt.timedelta(days=days),
        )

    return [
        make("In Slovakia", "SVK", 10),
        make("In Kenya", "KEN", 20),
        make("In Ireland, closed", "IRL", -5),
    ]


def test_fellowships_filter_by_country_region_and_status(client, fellowships):
    def titles(query):
        return [f.title for f in get(client, "/fellowships/" + query).context["fellowships"]]

    assert titles("") == ["In Slovakia", "In Kenya", "In Ireland, closed"]
    assert titles("?country=SVK") == ["In Slovakia"]
    assert titles("?region=Europe+%26+Central+Asia") == ["In Slovakia", "In Ireland, closed"]
    assert titles("?status=closed") == ["In Ireland, closed"]
    assert titles("?status=open&region=Sub-Saharan+Africa") == ["In Kenya"]


def test_an_unknown_fellowship_filter_is_ignored_and_named(client, fellowships):
    response = get(client, "/fellowships/?country=FRA&status=open")
    assert [f.title for f in response.context["fellowships"]] == ["In Slovakia", "In Kenya"]
    assert errors(response) == ["Select a valid choice. FRA is not one of the available choices."]
    assert result_count(get(client, "/fellowships/?status=soon")) == "3 fellowships"


def test_the_fellowship_filter_offers_only_countries_that_host_one(client, fellowships):
    soup = BeautifulSoup(get(client, "/fellowships/").content, "html.parser")
    options = [o["value"] for o in soup.select('select[name="country"] option')]
    assert sorted(options) == ["", "IRL", "KEN", "SVK"]


# Countries ---------------------------------------------------------------------------


def test_countries_show_sixty_a_page_by_name(client, real_data, home):
    total = Country.objects.count()
    first = get(client, "/countries/")
    assert len(first.context["countries"]) == 60
    assert result_count(first) == f"{total} countries"
    names = [c.sort_name for c in first.context["countries"]]
    assert names == sorted(names)
    pages = -(-total // 60)
    assert get(client, "/countries/?page=999").context["countries"].number == pages
    assert get(client, "/countries/?page=x").context["countries"].number == 1


def test_countries_filter_by_region_and_membership(client, real_data, home):
    response = get(client, "/countries/?region=Sub-Saharan+Africa&members=1")
    countries = list(response.context["countries"])
    assert countries
    assert {c.region for c in countries} == {"Sub-Saharan Africa"}
    assert all(c.ogp_member for c in countries)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#region option[selected]")["value"] == "Sub-Saharan Africa"
    assert soup.select_one("#members").has_attr("checked")


def test_an_unknown_region_lists_no_country_and_other_members_values_are_ignored(
    client, real_data, home
):
    nowhere = get(client, "/countries/?region=Nowhere")
    assert result_count(nowhere) == "0 countries"
    assert "No country matches." in nowhere.content.decode()
    members_yes = get(client, "/countries/?members=yes")
    assert result_count(members_yes) == f"{Country.objects.count()} countries"
    assert (
        not BeautifulSoup(members_yes.content, "html.parser")
        .select_one("#members")
        .has_attr("checked")
    )


# Control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/case-studies/?status=%00",
        "/courses/?level=%00",
        "/fellowships/?status=%00",
        "/countries/?members=%00",
        "/countries/?page=%00",
    ],
)
def test_a_control_character_in_a_listing_parameter_is_a_400(client, home, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"control character" in response.content


def test_a_countrys_case_studies_are_counted_once_whatever_their_translations(client, case_studies):
    from wagtail.models import Locale

    from casestudies.models import CaseStudyPage

    chile = CaseStudyPage.objects.live().get(country__iso3="CHL")
    french = Locale.objects.get_or_create(language_code="fr")[0]
    chile.copy_for_translation(french, copy_parents=True).save_revision().publish()
    assert CaseStudyPage.objects.live().filter(country__iso3="CHL").count() == 2

    response = get(client, "/countries/?region=Latin+America+%26+Caribbean&members=1")
    [row] = [c for c in response.context["countries"] if c.iso3 == "CHL"]
    assert row.case_study_count == 1
    assert result_count(get(client, "/case-studies/?country=CHL")) == "1 case study"

"""A page behind a view restriction leaves every list at once and comes back when the
restriction is lifted, however the list decides it: from the facts the site frame keeps
(listings, the home page, the country list and hubs) or in the database (indexing, peers).
Both ways list the same pages (exchange.core.visibility)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page, PageViewRestriction

from casestudies.factories import CaseStudyPageFactory, CountryFactory
from casestudies.models import CaseStudyPage
from exchange.core.visibility import Visibility, live_public
from learning.factories import CoursePageFactory, FellowshipPageFactory
from learning.models import CourseIndexPage, FellowshipIndexPage

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [title.get_text(strip=True) for title in soup.select(".card__title")]


def restrict(page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type="login")


@pytest.fixture
def country(home):
    return CountryFactory(iso3="KEN", name="Kenya")


def listed_page(kind, case_study_index, country):
    if kind == "case studies":
        return "/case-studies/", CaseStudyPageFactory(
            parent=case_study_index, country=country, title="A reform to keep quiet"
        )
    if kind == "courses":
        return "/courses/", CoursePageFactory(
            parent=CourseIndexPage.objects.get(), title="A course for members only"
        )
    return "/fellowships/", FellowshipPageFactory(
        parent=FellowshipIndexPage.objects.get(),
        host_country=country,
        title="A placement for members only",
    )


@pytest.mark.parametrize("kind", ["case studies", "courses", "fellowships"])
def test_a_page_made_private_leaves_its_listing_until_the_restriction_is_lifted(
    client, case_study_index, country, kind
):
    url, page = listed_page(kind, case_study_index, country)
    assert page.title in titles(client.get(url))

    restriction = restrict(page)
    assert page.title not in titles(client.get(url))

    restriction.delete()
    assert page.title in titles(client.get(url))


def test_a_private_section_hides_its_pages_from_the_home_page(client, case_study_index, country):
    CaseStudyPageFactory(parent=case_study_index, country=country, title="A reform on show")
    assert "A reform on show" in titles(client.get("/"))

    restrict(case_study_index)

    assert "A reform on show" not in titles(client.get("/"))


def test_the_country_list_stops_counting_a_case_study_made_private(
    client, case_study_index, country
):
    story = CaseStudyPageFactory(parent=case_study_index, country=country)

    def kenyan_case_studies() -> str:
        # Its region alone: with the real data loaded, the whole list runs to several pages.
        page = client.get("/countries/", {"region": country.region})
        rows = BeautifulSoup(page.content, "html.parser").select(
            '[aria-label="Countries table"] tbody tr'
        )
        (row,) = [row for row in rows if row.select_one(f'a[href$="/countries/{country.iso3}/"]')]
        return row.select("td")[-1].get_text(strip=True)  # the last column counts them

    assert kenyan_case_studies() == "1"
    restrict(story)
    assert kenyan_case_studies() == "0"


def test_both_ways_list_the_same_pages(case_study_index, country):
    shown = CaseStudyPageFactory(parent=case_study_index, country=country)
    private = CaseStudyPageFactory(parent=case_study_index, country=country)
    # Made before the restriction (Wagtail copies a source's restrictions to a new alias):
    # only its source's restriction covers it, as Wagtail checks when serving it.
    alias_of_private = private.create_alias(update_slug="the-private-story-again")
    restrict(private)
    draft = CaseStudyPageFactory(parent=case_study_index, country=country, live=False)
    courses = CourseIndexPage.objects.get()
    under_private_section = CoursePageFactory(parent=courses)
    restrict(courses)
    everything = Page.objects.filter(depth__gt=1)

    in_database = set(live_public(everything))
    from_facts = set(live_public(everything, Visibility.build()))

    assert in_database == from_facts
    assert shown.page_ptr in from_facts
    hidden = {private, alias_of_private, draft, courses, under_private_section}
    assert not {page.pk for page in hidden} & {page.pk for page in from_facts}
    assert Visibility.build().shows(CaseStudyPage.objects.get(pk=shown.pk))
    assert not Visibility.build().shows(CaseStudyPage.objects.get(pk=alias_of_private.pk))


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_a_page_for_members_asks_for_the_sites_login_in_the_readers_language(
    client, case_study_index, country, prefix
):
    private = CaseStudyPageFactory(parent=case_study_index, country=country)
    restrict(private)
    response = client.get(f"{prefix}{private.url}")
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/accounts/login/?next={prefix}{private.url}"


def test_a_page_shared_with_a_password_asks_for_it_in_the_sites_page_and_language(
    client, case_study_index, country
):
    shared = CaseStudyPageFactory(parent=case_study_index, country=country, title="Shared")
    PageViewRestriction.objects.create(page=shared, restriction_type="password", password="s3same")

    asked = BeautifulSoup(client.get(f"/fr{shared.url}").content, "html.parser")
    assert asked.select_one("h1").get_text() == "Mot de passe requis"
    assert asked.select_one("header nav")  # the site's own page, with its navigation
    form = asked.select_one("main form")
    assert form["action"].startswith("/fr/")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    fields["password"] = "s3same"

    answered = client.post(form["action"], fields, follow=True)
    assert answered.redirect_chain[-1][0] == f"/fr{shared.url}"
    assert "Shared" in BeautifulSoup(answered.content, "html.parser").select_one("h1").get_text()

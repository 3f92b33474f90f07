"""The home page, and the basics every public page shares (base template, 404, a11y)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from casestudies.factories import CaseStudyPageFactory, CountryFactory, ThemeFactory
from casestudies.models import CaseStudyPage, Commitment, Theme
from exchange.models import HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def figures(html) -> dict[str, str]:
    return {
        item.dt.get_text(strip=True): item.dd.get_text(strip=True)
        for item in html.select("dl.figure-grid > div")
    }


def featured_titles(html) -> list[str]:
    section = html.select_one("#featured-heading").find_parent("section")
    return [link.get_text() for link in section.select(".card__title a")]


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def feature(home, pages):
    home.featured = [("case_study", page) for page in pages]
    home.save_revision().publish()


# --- The home page --------------------------------------------------------------------------


def test_home_page_shows_headline_figures_from_the_real_irm_data(demo_site, client):
    response = client.get("/")

    assert response.status_code == 200
    shown = figures(soup(response))
    assert shown["commitments in our data"] == "558"
    # From the members file (73 active, 2 status not confirmed), not from the IRM data.
    assert shown["national governments taking part in OGP"] == "75"
    assert shown["action plans"] == str(
        Commitment.objects.values("action_plan_id").distinct().count()
    )
    assessed = Commitment.objects.assessed()
    starred_share = round(100 * assessed.filter(starred=True).count() / assessed.count())
    assert shown["of assessed commitments are starred"] == f"{starred_share}%"
    assert f"({assessed.count()} commitments)" in response.text


def test_home_page_features_the_newest_case_studies_from_three_countries_by_default(
    demo_site, client
):
    html = soup(client.get("/"))

    expected, countries = [], set()
    for page in CaseStudyPage.objects.live().order_by("-first_published_at"):
        if page.country_id not in countries and len(expected) < 3:
            expected.append(page.title)
            countries.add(page.country_id)
    titles = featured_titles(html)
    assert titles == expected
    featured_countries = CaseStudyPage.objects.filter(title__in=titles).values_list(
        "country", flat=True
    )
    assert len(set(featured_countries)) == 3


def test_home_page_features_the_case_studies_editors_chose_in_their_order(demo_site, client):
    chile, kenya = (
        CaseStudyPage.objects.get(country__iso3="CHL"),
        CaseStudyPage.objects.get(country__iso3="KEN"),
    )
    feature(demo_site, [kenya, chile])

    assert featured_titles(soup(client.get("/"))) == [kenya.title, chile.title]


def test_home_page_leaves_out_a_featured_case_study_that_was_unpublished(demo_site, client):
    chile, kenya = (
        CaseStudyPage.objects.get(country__iso3="CHL"),
        CaseStudyPage.objects.get(country__iso3="KEN"),
    )
    feature(demo_site, [kenya, chile])
    kenya.unpublish()

    assert featured_titles(soup(client.get("/"))) == [chile.title]


def test_home_page_lists_top_level_themes_busiest_first(real_data, home, client):
    html = soup(client.get("/"))

    themes = html.select(".theme-grid li")
    with_commitments = Theme.objects.filter(parent__isnull=True, commitments__isnull=False)
    assert len(themes) == with_commitments.distinct().count()
    assert themes[0].a.get_text() == "Legislation"
    assert themes[0].select_one(".count").get_text() == "389 commitments"
    assert themes[0].a["href"] == "/themes/legislation/"


def test_home_page_without_case_studies_invites_editors_to_add_some(real_data, home, client):
    response = client.get("/")

    assert "No case studies are published yet." in response.text


def test_home_page_links_to_the_case_studies_and_countries(demo_site, client):
    html = soup(client.get("/"))

    hero_links = [a["href"] for a in html.select(".hero a.button")]
    assert hero_links == ["/case-studies/", "/countries/"]


def test_home_page_queries_do_not_grow_with_featured_case_studies(
    real_data, home, case_study_index, client
):
    def case_study():
        return CaseStudyPageFactory(
            parent=case_study_index,
            country=CountryFactory(),
            themes=ThemeFactory.create_batch(3),
        )

    feature(home, [case_study()])
    one = query_count(client, "/")
    feature(home, [case_study() for _ in range(6)])
    six = query_count(client, "/")

    assert len(featured_titles(soup(client.get("/")))) == 6
    assert six == one


def test_home_page_newest_case_studies_cost_no_query_per_card(
    real_data, home, case_study_index, client
):
    CaseStudyPageFactory(parent=case_study_index, themes=ThemeFactory.create_batch(2))
    one = query_count(client, "/")
    for _ in range(3):
        CaseStudyPageFactory(
            parent=case_study_index, country=CountryFactory(), themes=ThemeFactory.create_batch(2)
        )
    three = query_count(client, "/")

    assert three == one


def test_home_page_stays_within_its_query_budget(demo_site, client, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(13):
        client.get("/")


def test_home_page_is_the_only_home(home):
    assert HomePage.objects.count() == 1
    assert home.get_parent().pk == Page.get_first_root_node().pk


# --- Shared page furniture --------------------------------------------------------------------


def test_footer_text_comes_from_site_settings(home, client):
    settings = SiteSettings.load()
    settings.footer_text = "Peer learning for reformers, edited without a deploy."
    settings.contact_email = "support@example.org"
    settings.save()

    html = soup(client.get("/"))

    footer = html.select_one("footer").get_text()
    assert "Peer learning for reformers, edited without a deploy." in footer
    assert html.select_one("footer a[href='mailto:support@example.org']")


def test_the_footer_as_shipped_reads_in_french_and_spanish(home, client):
    english = soup(client.get("/")).select_one("footer p")
    assert english.get_text() == "Reform Exchange helps open-government reformers learn from peers."
    french = soup(client.get("/fr/")).select_one("footer p")
    assert french.get_text().startswith("Reform Exchange aide les réformateurs")
    assert french.get("lang") is None
    spanish = soup(client.get("/es/")).select_one("footer p")
    assert spanish.get_text().startswith("Reform Exchange ayuda a quienes impulsan reformas")


def test_an_edited_footer_is_shown_in_each_language_written_and_marked_english_elsewhere(
    home, client
):
    settings = SiteSettings.load()
    settings.footer_text = "Peer learning for reformers."
    settings.footer_text_fr = "L’apprentissage entre pairs pour les réformateurs."
    settings.save()

    french = soup(client.get("/fr/")).select_one("footer p")
    assert french.get_text() == "L’apprentissage entre pairs pour les réformateurs."
    assert french.get("lang") is None
    # No Spanish text: the English one, which a screen reader must read as English.
    spanish = soup(client.get("/es/")).select_one("footer p")
    assert spanish.get_text() == "Peer learning for reformers."
    assert spanish["lang"] == "en"
    assert soup(client.get("/")).select_one("footer p").get("lang") is None


def test_unknown_address_is_a_friendly_not_found_page(home, client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text() == "Page not found"
    assert html.select_one("main a[href='/case-studies/']")


# --- Accessibility basics on every main page ---------------------------------------------------

MAIN_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/kenya-access-to-information-act/",
    "/countries/",
    "/countries/KEN/",
    "/themes/",
    "/themes/right-to-information/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", MAIN_PAGES)
def test_main_page_meets_the_accessibility_basics(demo_site, client, url):
    response = client.get(url)
    html = soup(response)

    assert response.status_code in (200, 404)
    assert html.html["lang"] == "en"
    assert len(html.find_all("h1")) == 1, "one h1 per page"
    skip_link = html.body.find("a")
    assert skip_link["href"] == "#main", "the first link skips to the content"
    assert html.select("main#main") and len(html.find_all("main")) == 1
    assert html.title.get_text(strip=True).endswith("· Reform Exchange")
    for field in html.select("input, select, textarea"):
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        assert field.get("id"), f"{field} has no id for its label"
        assert html.select_one(f"label[for='{field['id']}']"), f"{field} has no label"
    for image in html.find_all("img"):
        assert image.has_attr("alt")

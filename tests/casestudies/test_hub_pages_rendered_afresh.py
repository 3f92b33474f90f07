"""Country and theme pages rendered afresh (after a publish or an import, for a visitor with
a session): within their query budget as production counts it, and never showing a page
that has just become private, although what they list is kept with the content."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from casestudies.models import CaseStudyPage, Country, Theme
from learning.factories import FellowshipPageFactory
from learning.models import FellowshipIndexPage

pytestmark = pytest.mark.django_db

KENYA = "/countries/KEN/"
OPEN_CONTRACTING = "/themes/open-contracting/"


@pytest.fixture
def database_cache(settings):
    """The shared cache as production has it without Redis: every read is a query."""
    settings.CACHES = {
        "default": {
            "BACKEND": "exchange.core.cache.DatabaseCache",
            "LOCATION": "exchange_cache",
            "KEY_PREFIX": "reform-exchange",
        }
    }


@pytest.fixture
def open_fellowship_in_kenya(demo_site):
    return FellowshipPageFactory(
        parent=FellowshipIndexPage.objects.get(),
        title="Open placement in Nairobi",
        host_country=Country.objects.get(iso3="KEN"),
        themes=list(Theme.objects.filter(slug="right-to-information")),
    )


def listed(response) -> tuple[list[str], list[str]]:
    """The titles of the case-study cards and of the open fellowships a page lists."""
    html = BeautifulSoup(response.content, "html.parser")
    return (
        [card.get_text(strip=True) for card in html.select(".card__title")],
        [item.a.get_text() for item in html.select("li.fellowship-item")],
    )


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_country_page_with_warm_caches_reads_the_database_at_most_ten_times(
    prefix, open_fellowship_in_kenya, database_cache, client, django_assert_max_num_queries
):
    client.get(prefix + KENYA)

    with django_assert_max_num_queries(10):
        response = client.get(prefix + KENYA)

    case_studies, fellowships = listed(response)
    assert len(case_studies) == 1
    assert fellowships == ["Open placement in Nairobi"]


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_theme_page_with_warm_caches_reads_the_database_at_most_ten_times(
    prefix, demo_site, database_cache, client, django_assert_max_num_queries
):
    client.get(prefix + OPEN_CONTRACTING)

    with django_assert_max_num_queries(10):
        response = client.get(prefix + OPEN_CONTRACTING)

    case_studies, _fellowships = listed(response)
    assert len(case_studies) == 1


def test_a_fellowship_made_private_leaves_the_country_page_at_once(
    open_fellowship_in_kenya, client
):
    client.get(KENYA)

    PageViewRestriction.objects.create(page=open_fellowship_in_kenya, restriction_type="login")

    assert listed(client.get(KENYA))[1] == []


def test_a_case_study_made_private_leaves_the_theme_page_at_once(demo_site, client):
    client.get(OPEN_CONTRACTING)
    case_study = CaseStudyPage.objects.get(themes__slug="open-contracting")

    PageViewRestriction.objects.create(page=case_study, restriction_type="login")

    assert listed(client.get(OPEN_CONTRACTING))[0] == []

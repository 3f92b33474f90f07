"""A country's profile lists the fellowships it hosts: open ones first-hand, closed ones counted."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casestudies.models import Country, Theme
from learning.factories import FellowshipPageFactory
from learning.models import FellowshipIndexPage

pytestmark = pytest.mark.django_db

KENYA = "/countries/KEN/"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def host(demo_site):
    """Publish a fellowship hosted in Kenya (or elsewhere) on right to information."""
    index = FellowshipIndexPage.objects.get()

    def make(title, deadline_in_days=60, country="KEN", themes=("right-to-information",), **kw):
        return FellowshipPageFactory(
            parent=index,
            title=title,
            host_country=Country.objects.get(iso3=country),
            themes=list(Theme.objects.filter(slug__in=themes)),
            application_deadline=timezone.now() + dt.timedelta(days=deadline_in_days),
            **kw,
        )

    return make


def fellowship_section(html):
    heading = html.find(id="fellowships-heading")
    return heading.parent if heading else None


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_country_page_lists_open_fellowships_nearest_deadline_first(host, client):
    later = host("Running an information commission", deadline_in_days=90)
    sooner = host(
        "Answering requests on time",
        deadline_in_days=20,
        host_institution="Commission on Administrative Justice",
        themes=("right-to-information", "open-data"),
    )

    section = fellowship_section(soup(client.get(KENYA)))

    assert section.h2.get_text() == "Fellowships hosted in Kenya"
    items = section.select("li.fellowship-item")
    assert [item.a.get_text() for item in items] == [sooner.title, later.title]
    assert items[0].a["href"] == sooner.url
    first = items[0].get_text(" ", strip=True)
    deadline = timezone.localtime(sooner.application_deadline)
    assert f"Open · apply by {deadline:%-d %B %Y, %H:%M} UTC" in first
    assert "Commission on Administrative Justice" in first
    assert [tag.get_text() for tag in items[0].select(".tags a")] == [
        theme.name for theme in sooner.themes.all()
    ]


def test_closed_fellowships_are_counted_with_a_link_to_the_listing(host, client):
    host("Still open", deadline_in_days=30)
    host("Closed last week", deadline_in_days=-7)
    host("Closed last year", deadline_in_days=-365)

    section = fellowship_section(soup(client.get(KENYA)))

    assert [item.a.get_text() for item in section.select("li.fellowship-item")] == ["Still open"]
    link = section.find("a", string="2 closed fellowships")
    assert link["href"] == "/fellowships/?country=KEN&status=closed"
    listing = soup(client.get(link["href"]))
    assert {card.a.get_text() for card in listing.select(".card__title")} == {
        "Closed last week",
        "Closed last year",
    }


def test_only_closed_fellowships_give_one_quiet_line_and_no_heading(host, client):
    host("Closed last week", deadline_in_days=-7)

    html = soup(client.get(KENYA))

    assert fellowship_section(html) is None
    assert "No fellowship hosted in Kenya is open right now (1 closed)." in html.get_text(
        " ", strip=True
    ).replace(" )", ")").replace("( ", "(")


def test_country_without_fellowships_says_nothing_about_them(host, client):
    host("Hosted elsewhere", country="GBR")

    html = soup(client.get(KENYA))

    assert fellowship_section(html) is None
    assert "fellowship" not in html.select_one(".wrap.country").get_text().lower()


def test_drafts_and_private_fellowships_are_not_listed(host, client):
    host("A draft", live=False)
    private = host("Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    host("Public and open")

    section = fellowship_section(soup(client.get(KENYA)))

    assert [item.a.get_text() for item in section.select("li.fellowship-item")] == [
        "Public and open"
    ]


def test_sample_fellowships_are_marked_as_samples(host, client):
    host("A sample placement", is_sample=True)

    item = fellowship_section(soup(client.get(KENYA))).select_one("li.fellowship-item")

    assert item.select_one(".tag--sample").get_text() == "Sample"


def test_country_page_with_fellowships_stays_within_ten_queries(
    host, client, django_assert_max_num_queries
):
    host("Open", deadline_in_days=30)
    host("Closed", deadline_in_days=-30)
    client.get(KENYA)

    with django_assert_max_num_queries(10):
        response = client.get(KENYA)

    assert "Fellowships hosted in Kenya" in response.text


def test_country_page_queries_do_not_grow_with_fellowships(host, client):
    host("The first one", deadline_in_days=30)
    one = query_count(client, KENYA)

    for number, days in enumerate((10, 40, 50, -5, -50), start=2):
        host(f"Fellowship number {number}", deadline_in_days=days, themes=("open-data",))
    many = query_count(client, KENYA)

    assert len(fellowship_section(soup(client.get(KENYA))).select("li.fellowship-item")) == 4
    assert many == one <= 10

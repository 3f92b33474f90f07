"""A fellowship is open until its deadline and closed from it: one rule, wherever it is read.

The rule lives in learning/models/fellowships.py (`FellowshipPage.objects.open(now)`,
`.closed(now)`, `.in_listing_order(now)` in a query, `is_open` on a page); these tests hold
the listing, its status filter, the page's apply form and the query to the same moment.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone, translation

from casestudies.models import Country, Theme
from learning.factories import FellowshipPageFactory
from learning.fellowships.models import deadline_label
from learning.models import FellowshipApplication, FellowshipIndexPage, FellowshipPage

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 2, 28, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def fellowship_index(real_data, home):
    return FellowshipIndexPage.objects.get()


@pytest.fixture
def make(fellowship_index):
    def make(title, deadline, **kwargs):
        return FellowshipPageFactory(
            parent=fellowship_index,
            title=title,
            host_country=Country.objects.get(iso3=kwargs.pop("country", "GBR")),
            themes=[Theme.objects.get(slug="lobbying")],
            application_deadline=deadline,
            **kwargs,
        )

    return make


@pytest.fixture
def at(monkeypatch):
    """Set the clock every view and query reads (after the pages are published)."""

    def at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


def open_titles(now):
    return sorted(FellowshipPage.objects.open(now).values_list("title", flat=True))


def closed_titles(now):
    return sorted(FellowshipPage.objects.closed(now).values_list("title", flat=True))


def test_open_until_the_deadline_and_closed_at_it_in_a_query_and_on_the_page(make):
    page = make("Registers", NOW)
    for moment, is_open in [
        (NOW - dt.timedelta(microseconds=1), True),
        (NOW, False),
        (NOW + dt.timedelta(seconds=1), False),
    ]:
        assert page.is_open_at(moment) is is_open
        assert open_titles(moment) == (["Registers"] if is_open else [])
        assert closed_titles(moment) == ([] if is_open else ["Registers"])


def test_a_deadline_in_the_hosts_time_zone_closes_at_that_moment_everywhere(make):
    # 23:59 in Bratislava on 28 February is 22:59 UTC (UTC+1 in winter).
    deadline = dt.datetime(2027, 2, 28, 23, 59, tzinfo=ZoneInfo("Europe/Bratislava"))
    page = make("Open contracting", deadline, deadline_time_zone="Europe/Bratislava")
    before = dt.datetime(2027, 2, 28, 22, 58, tzinfo=dt.UTC)
    after = dt.datetime(2027, 2, 28, 23, 30, tzinfo=dt.UTC)  # still 28 February in UTC
    assert page.is_open_at(before) and open_titles(before) == ["Open contracting"]
    assert not page.is_open_at(after) and closed_titles(after) == ["Open contracting"]
    # The same moment written in another zone is the same moment.
    tokyo = after.astimezone(ZoneInfo("Asia/Tokyo"))
    assert not page.is_open_at(tokyo) and closed_titles(tokyo) == ["Open contracting"]
    assert page.deadline_display == "28 February 2027, 23:59 Bratislava time (UTC+1)"
    # In the reader's language, month and words alike.
    with translation.override("fr"):
        assert page.deadline_display == "28 février 2027, 23:59, heure locale (Bratislava, UTC+1)"
    with translation.override("es"):
        assert page.deadline_display == "28 de febrero de 2027, 23:59, hora de Bratislava (UTC+1)"


def listed(client, query=""):
    response = client.get("/fellowships/" + query)
    assert response.status_code == 200
    return [page.title for page in response.context["fellowships"]]


def test_the_listing_puts_open_ones_first_by_deadline_and_one_at_its_deadline_with_closed(
    client, make, at
):
    make("Open for months", NOW + dt.timedelta(days=90))
    make("Open three days", NOW + dt.timedelta(days=3))
    make("Closes now", NOW)
    make("Closed last year", NOW - dt.timedelta(days=300))
    at(NOW)

    assert listed(client) == [
        "Open three days",
        "Open for months",
        "Closes now",
        "Closed last year",
    ]
    assert listed(client, "?status=open") == ["Open three days", "Open for months"]
    assert listed(client, "?status=closed") == ["Closes now", "Closed last year"]
    html = client.get("/fellowships/").content.decode()
    assert html.count('class="tag tag--closed">Closed') == 2
    assert html.count('class="tag tag--open">Open') == 2


def test_a_moment_before_the_deadline_it_is_still_listed_open(client, make, at):
    make("Closes now", NOW)
    at(NOW - dt.timedelta(seconds=1))
    assert listed(client, "?status=open") == ["Closes now"]
    assert listed(client, "?status=closed") == []


def test_a_fellowship_at_its_deadline_refuses_applications(client, make, at):
    page = make("Closes now", NOW)
    at(NOW)
    data = {
        "name": "Amina Okafor",
        "email": "amina@example.org",
        "country": Country.objects.get(iso3="NGA").pk,
        "institution": "Corporate Affairs Commission",
        "role": "Registrar",
        "reform": "A public beneficial ownership register",
        "motivation": "To learn how to verify filings.",
        "consent_to_share": "on",
    }
    response = client.post(page.url + "apply/", data, follow=True)
    html = response.content.decode()
    assert "Applications for this fellowship closed on 28 February 2027, 12:00 UTC" in html
    assert "Send my application" not in html
    assert FellowshipApplication.objects.count() == 0
    assert mail.outbox == []


def test_a_second_before_the_deadline_the_page_still_offers_the_form(client, make, at):
    page = make("Closes now", NOW)
    at(NOW - dt.timedelta(seconds=1))
    assert "Send my application" in client.get(page.url).content.decode()


@pytest.mark.parametrize(
    ("language", "london", "mexico", "asuncion"),
    [
        ("en", "London time", "Mexico City time", "Asunción time"),
        ("fr", "heure locale (Londres,", "heure locale (Mexico,", "heure locale (Asunción,"),
        ("es", "hora de Londres", "hora de Ciudad de México", "hora de Asunción"),
    ],
)
def test_a_deadline_names_its_city_as_the_reader_calls_it(language, london, mexico, asuncion):
    # The IANA names (Europe/London, America/Mexico_City, America/Asuncion) are English,
    # without accents: the city is named as CLDR names it in the reader's language.
    moment = dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    with translation.override(language):
        assert london in deadline_label(moment, "Europe/London")
        assert mexico in deadline_label(moment, "America/Mexico_City")
        assert asuncion in deadline_label(moment, "America/Asuncion")


@pytest.mark.parametrize(
    ("prefix", "dates"),
    [
        ("", ["1 March 2030 to 29 March 2030", "31 January 2030, 23:59"]),
        ("/fr", ["1 mars 2030 au 29 mars 2030", "31 janvier 2030, 23:59"]),
        ("/es", ["1 de marzo de 2030 al 29 de marzo de 2030", "31 de enero de 2030, 23:59"]),
    ],
)
def test_a_fellowships_dates_read_as_the_language_writes_them(client, make, prefix, dates):
    page = make(
        "Placement with dates",
        dt.datetime(2030, 1, 31, 23, 59, tzinfo=dt.UTC),
        start_date=dt.date(2030, 3, 1),
        end_date=dt.date(2030, 3, 29),
    )

    html = " ".join(client.get(f"{prefix}{page.url}").content.decode().split())

    for date in dates:
        assert date in html


def test_an_application_sent_in_french_is_answered_in_french(client, make, at):
    page = make("Closes now", NOW)
    at(NOW - dt.timedelta(hours=1))
    form = BeautifulSoup(client.get(f"/fr{page.url}").content, "html.parser").select_one(
        "form.application-form"
    )
    assert form["action"] == f"/fr{page.url}apply/"
    at(NOW)
    response = client.post(form["action"], {"name": "Amina Okafor"})
    assert response["Location"] == f"/fr{page.url}"

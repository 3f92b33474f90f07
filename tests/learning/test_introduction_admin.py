"""Peer introductions, the Support Unit's side: the queue, brokering, the ratings report."""

import csv
import datetime as dt
import io
from itertools import count

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casestudies.models import Country, Theme
from learning.factories import UserFactory
from learning.introductions.admin import IntroductionPermissionPolicy
from learning.models import IntroductionEvent, IntroductionRequest, IntroductionStatus

pytestmark = pytest.mark.django_db

QUEUE_URL = "/admin/peer_introductions/"
REPORT_URL = "/admin/reports/peer-introductions/"
CSV_URL = "/admin/reports/peer-introductions/export.csv"

_emails = count()


def country(iso3, name):
    # get_or_create: the session-wide real data may already hold the country.
    return Country.objects.get_or_create(iso3=iso3, defaults={"name": name, "region": "Test"})[0]


def theme(slug, name):
    return Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]


@pytest.fixture
def chile(db):
    return country("CHL", "Chile")


@pytest.fixture
def kenya(db):
    return country("KEN", "Kenya")


@pytest.fixture
def paraguay(db):
    return country("PRY", "Paraguay")


@pytest.fixture
def lobbying(db):
    return theme("lobbying", "Lobbying")


@pytest.fixture
def open_contracting(db):
    return theme("open-contracting", "Open contracting")


def make_introduction(peer_country, theme=None, **fields):
    n = next(_emails)
    defaults = {
        "name": f"Requester {n}",
        "email": f"requester{n}@example.org",
        "country": country("PRY", "Paraguay"),
        "organisation": "Secretaría Nacional Anticorrupción, policy advisor",
        "peer_country": peer_country,
        "theme": theme,
        "goal": "a public register of lobbyists",
        "what_to_learn": "How you got ministries to publish their meetings, and what stalled.",
        "consent": True,
    }
    defaults.update(fields)
    return IntroductionRequest.objects.create(**defaults)


def rated(introduction, rating, comment="", days_ago=0):
    """Introduced and rated `days_ago` days ago (comments are listed newest first)."""
    introduction.move_to(IntroductionStatus.INTRODUCED)
    introduction.rate(rating, comment)
    moment = timezone.now() - dt.timedelta(days=days_ago)
    IntroductionRequest.objects.filter(pk=introduction.pk).update(rated_at=moment)
    return introduction


@pytest.fixture
def broker(django_user_model):
    user = django_user_model.objects.create_user(
        "broker", "broker@example.org", "pw-broker-1", first_name="Beatriz", last_name="Soto"
    )
    user.groups.add(Group.objects.get(name="Introduction brokers"))
    return user


@pytest.fixture
def broker_client(client, broker):
    client.force_login(broker)
    return client


@pytest.fixture
def lucia(chile, lobbying, paraguay):
    return make_introduction(
        chile, lobbying, name="Lucía Benítez", email="lucia@example.org", country=paraguay
    )


def broker_url(introduction):
    return reverse("peer_introductions:broker", args=[introduction.pk])


def table_rows(response):
    html = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in html.select("table.listing tbody tr")
    ]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


# Who sees what -----------------------------------------------------------------------


def test_broker_finds_the_queue_in_the_menu_and_sees_the_requests(broker_client, lucia):
    assert QUEUE_URL.encode() in broker_client.get("/admin/").content
    response = broker_client.get(QUEUE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lucía Benítez" in html
    assert broker_url(lucia) in html
    assert broker_client.get(broker_url(lucia)).status_code == 200


def test_editor_neither_sees_nor_opens_the_queue_but_sees_the_ratings(client, editor, lucia):
    client.force_login(editor)
    menu = client.get("/admin/").content
    assert QUEUE_URL.encode() not in menu
    assert REPORT_URL.encode() in menu
    for url in (QUEUE_URL, broker_url(lucia)):
        response = client.get(url)
        # Wagtail turns PermissionDenied in the admin into a redirect to the dashboard.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(broker_url(lucia), {"status": "contacted"})
    assert response.status_code == 302
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.NEW
    assert client.get(REPORT_URL).status_code == 200
    assert client.get(CSV_URL).status_code == 200


@pytest.mark.parametrize("url", [QUEUE_URL, REPORT_URL, CSV_URL])
def test_learner_without_admin_access_is_sent_to_the_admin_login(learner_client, lucia, url):
    response = learner_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_learner_cannot_open_a_request(learner_client, lucia):
    response = learner_client.get(broker_url(lucia))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "Lucía Benítez".encode() not in response.content


def test_viewing_without_the_change_permission_cannot_broker(client, lucia):
    user = UserFactory(username="reader")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_introductionrequest"),
    )
    client.force_login(user)
    assert client.get(QUEUE_URL).status_code == 200
    assert client.get(broker_url(lucia))["Location"] == "/admin/"


def test_nobody_adds_or_rewrites_a_request_in_the_admin(admin_client, admin_user, lucia):
    policy = IntroductionPermissionPolicy(IntroductionRequest)
    assert not policy.user_has_permission(admin_user, "add")
    assert policy.user_has_permission(admin_user, "change")
    for name in ("add", "edit", "copy", "inspect"):
        with pytest.raises(NoReverseMatch):
            reverse(f"peer_introductions:{name}", args=[] if name == "add" else [lucia.pk])
    html = admin_client.get(QUEUE_URL).content.decode()
    assert "Add introduction request" not in html
    assert admin_client.get(QUEUE_URL + f"edit/{lucia.pk}/").status_code == 404


def test_brokers_group_has_exactly_what_brokering_needs(broker, editor, moderator):
    assert broker.has_perms(
        [
            "learning.view_introductionrequest",
            "learning.change_introductionrequest",
            "learning.view_introduction_ratings",
        ]
    )
    assert not broker.has_perm("learning.delete_introductionrequest")
    for staff in (editor, moderator):
        assert staff.has_perm("learning.view_introduction_ratings")
        assert not staff.has_perm("learning.view_introductionrequest")


# The queue ---------------------------------------------------------------------------


def test_queue_lists_open_requests_first_newest_first_within_a_status(
    broker_client, chile, lobbying
):
    oldest_new = make_introduction(chile, lobbying, name="Oldest new")
    closed = make_introduction(chile, lobbying, name="Closed one")
    closed.move_to(IntroductionStatus.CLOSED)
    contacted = make_introduction(chile, name="Contacted one")
    contacted.move_to(IntroductionStatus.CONTACTED)
    newest_new = make_introduction(chile, lobbying, name="Newest new")
    for days, introduction in enumerate([newest_new, contacted, closed, oldest_new]):
        IntroductionRequest.objects.filter(pk=introduction.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days)
        )
    response = broker_client.get(QUEUE_URL)
    html = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in html.select("tbody tr td:first-child > div > a")] == [
        "Newest new",
        "Oldest new",
        "Contacted one",
        "Closed one",
    ]
    rows = table_rows(response)
    assert rows[0][1:4] == ["Paraguay", "Chile", "Lobbying"]
    assert rows[0][4] == "New"
    assert rows[2][3] == "—"  # no theme


def test_queue_shows_the_rating_once_given(broker_client, lucia):
    rated(lucia, 4, "Very useful")
    rows = table_rows(broker_client.get(QUEUE_URL))
    assert rows[0][-1] == "4/5"


def test_queue_filters_by_status_peer_country_and_theme(
    broker_client, chile, kenya, lobbying, open_contracting
):
    make_introduction(chile, lobbying, name="Chile lobbying new")
    contacted = make_introduction(kenya, open_contracting, name="Kenya contracting contacted")
    contacted.move_to(IntroductionStatus.CONTACTED)
    closed = make_introduction(kenya, name="Kenya closed")
    closed.move_to(IntroductionStatus.CLOSED)

    def names(query):
        html = broker_client.get(QUEUE_URL + "?" + query).content.decode()
        return {
            name
            for name in ("Chile lobbying new", "Kenya contracting contacted", "Kenya closed")
            if name in html
        }

    assert names("status=new") == {"Chile lobbying new"}
    assert names("status=open") == {"Chile lobbying new", "Kenya contracting contacted"}
    assert names(f"peer_country={kenya.pk}") == {"Kenya contracting contacted", "Kenya closed"}
    assert names(f"theme={lobbying.pk}") == {"Chile lobbying new"}
    assert names("theme=none") == {"Kenya closed"}
    assert names(f"status=open&peer_country={kenya.pk}") == {"Kenya contracting contacted"}


def test_queue_filters_offer_only_peer_countries_that_have_requests(broker_client, lucia, kenya):
    html = BeautifulSoup(broker_client.get(QUEUE_URL).content, "html.parser")
    offered = [option.get_text() for option in html.select("select[name=peer_country] option")]
    assert offered == ["All", "Chile"]


@pytest.mark.parametrize("query", ["benítez", "LUCIA@example", "register of lobby"])
def test_queue_searches_name_email_and_goal(broker_client, lucia, chile, query):
    make_introduction(chile, name="Someone Else", email="else@example.org", goal="open budgets")
    html = broker_client.get(QUEUE_URL, {"q": query}).content.decode()
    assert "Lucía Benítez" in html
    assert "Someone Else" not in html


def test_queue_queries_do_not_grow_with_the_number_of_requests(
    broker_client, chile, kenya, lobbying, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            introduction = make_introduction(
                [chile, kenya][i % 2], lobbying if i % 3 else None, name=f"Person {i}"
            )
            if i % 4 == 0:
                rated(introduction, 1 + i % 5)

    add(3)
    broker_client.get(QUEUE_URL)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert broker_client.get(QUEUE_URL).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few)):
        response = broker_client.get(QUEUE_URL)
    assert len(table_rows(response)) == 20  # a full page


# Brokering ---------------------------------------------------------------------------


def test_broker_view_shows_everything_the_requester_wrote(broker_client, lucia):
    rated(lucia, 5, "They showed us their register's data model.")
    html = broker_client.get(broker_url(lucia)).content.decode()
    for text in (
        "Lucía Benítez",
        "lucia@example.org",
        "Paraguay",
        "Secretaría Nacional Anticorrupción, policy advisor",
        "Chile",
        "Lobbying",
        "a public register of lobbyists",
        "How you got ministries to publish their meetings, and what stalled.",
        "Given: the Support Unit may share",
        "5/5",
        "They showed us their register&#x27;s data model.",
        "Introduction request from Lucía Benítez",  # the page title
    ):
        assert text in html, text
    assert lucia.access_token not in html  # the requester's private link stays theirs


def test_broker_view_sits_in_the_admin_layout(broker_client, lucia):
    html = BeautifulSoup(broker_client.get(broker_url(lucia)).content, "html.parser")
    assert html.title.get_text(strip=True).startswith("Introduction request from Lucía Benítez")
    crumbs = [a.get_text(strip=True) for a in html.select("[data-w-breadcrumbs-target] a")]
    assert "Peer introductions" in crumbs
    assert html.select_one("form select[name=status]")
    assert html.select_one("form textarea[name=note]")


def test_moving_to_contacted_records_the_event_and_emails_the_requester(
    broker_client, broker, lucia
):
    response = broker_client.post(broker_url(lucia), {"status": "contacted", "note": ""})
    assert response.status_code == 302
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.CONTACTED
    event = IntroductionEvent.objects.get(request=lucia)
    assert (event.author, event.from_status, event.to_status) == (broker, "new", "contacted")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lucia@example.org"]
    assert "http://testserver" + lucia.get_absolute_url() in mail.outbox[0].body
    page = broker_client.get(response["Location"]).content.decode()
    assert "Lucía Benítez was emailed at lucia@example.org" in page
    assert "Beatriz Soto" in page  # the timeline names the author
    assert "Moved from “New” to “Peer contacted”" in page


def test_a_note_alone_is_recorded_and_sends_no_email(broker_client, broker, lucia):
    note = "Wrote to the Chilean Transparency Council, waiting."
    broker_client.post(broker_url(lucia), {"status": "", "note": note})
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.NEW
    event = IntroductionEvent.objects.get(request=lucia)
    assert (event.note, event.changed_status, event.author) == (note, False, broker)
    assert mail.outbox == []
    page = broker_client.get(broker_url(lucia)).content.decode()
    assert note in page
    assert "Note added. The requester is not emailed about notes." in page


@pytest.mark.parametrize("data", [{}, {"status": "", "note": "   "}, {"status": "new"}])
def test_an_empty_submission_is_refused(broker_client, lucia, data):
    response = broker_client.post(broker_url(lucia), data)
    assert response.status_code == 200
    assert "Choose a new status or write a note" in response.content.decode()
    assert not IntroductionEvent.objects.exists()
    assert mail.outbox == []


def test_an_unknown_status_is_refused(broker_client, lucia):
    response = broker_client.post(broker_url(lucia), {"status": "accepted"})
    assert response.status_code == 200
    assert not IntroductionEvent.objects.exists()


def test_marking_introduced_sets_introduced_at_and_asks_for_a_rating(broker_client, lucia):
    before = timezone.now()
    broker_client.post(
        broker_url(lucia), {"status": "introduced", "note": "Introduced to Ana at CPLT."}
    )
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.INTRODUCED
    assert lucia.introduced_at >= before
    event = IntroductionEvent.objects.get(request=lucia)
    assert event.note == "Introduced to Ana at CPLT."
    assert len(mail.outbox) == 1
    assert "useful" in mail.outbox[0].body


def test_moving_back_to_new_records_it_without_emailing(broker_client, lucia):
    lucia.move_to(IntroductionStatus.CONTACTED)
    broker_client.post(broker_url(lucia), {"status": "new"})
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.NEW
    assert mail.outbox == []
    page = broker_client.get(broker_url(lucia)).content.decode()
    assert "The requester is not emailed about this status" in page


def test_a_note_from_a_stale_page_does_not_undo_another_brokers_move(
    broker_client, broker, lucia, django_user_model
):
    # Beatriz opened the page while the request was new; a colleague then contacted the
    # peer. Her note keeps the colleague's status, and both events are on record.
    colleague = django_user_model.objects.create_user("colleague", "c@example.org", "pw-c-1")
    lucia.move_to(IntroductionStatus.CONTACTED, by=colleague)
    broker_client.post(broker_url(lucia), {"status": "", "note": "Called them too."})
    lucia.refresh_from_db()
    assert lucia.status == IntroductionStatus.CONTACTED
    events = list(IntroductionEvent.objects.filter(request=lucia))
    assert [(e.author, e.from_status, e.to_status) for e in events] == [
        (colleague, "new", "contacted"),
        (broker, "contacted", "contacted"),
    ]
    assert mail.outbox == []


# The ratings report ------------------------------------------------------------------


@pytest.fixture
def ratings(chile, kenya, lobbying, open_contracting):
    """Chile/Lobbying: 5 asked, 4 introduced and rated 5, 4, 4, 4 (17/4 = 4.25).
    Chile/no theme: 1 rated 3. Kenya/Open contracting: 2 asked, 1 introduced, none rated."""
    for days, (score, comment) in enumerate(
        [
            (5, "They showed us their register's data model."),
            (4, "Useful, though the timing was hard."),
            (4, ""),
            (4, "Slow to answer at first."),
        ]
    ):
        rated(make_introduction(chile, lobbying), score, comment, days_ago=days)
    make_introduction(chile, lobbying, name="Not introduced yet")
    rated(make_introduction(chile, name="No theme person"), 3, "Fine.")
    make_introduction(kenya, open_contracting)
    make_introduction(kenya, open_contracting).move_to(IntroductionStatus.INTRODUCED)


def test_ratings_report_gives_figures_per_peer_country_and_theme(client, editor, ratings):
    client.force_login(editor)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    rows = [row[:6] for row in table_rows(response)]
    assert rows == [
        ["Chile", "Lobbying", "5", "4", "4", "4.3"],
        ["Chile", "No theme", "1", "1", "1", "3.0"],
        ["Kenya", "Open contracting", "2", "1", "0", "—"],
    ]


def test_ratings_report_shows_the_latest_comments_without_names_or_emails(client, editor, ratings):
    client.force_login(editor)
    html = client.get(REPORT_URL).content.decode()
    assert "They showed us their register&#x27;s data model." in html
    assert "Useful, though the timing was hard." in html
    assert "Fine." in html
    assert "Slow to answer at first." in html
    assert "3 latest of 3 comments" not in html
    assert "Requester" not in html and "example.org" not in html
    assert "No theme person" not in html and "Not introduced yet" not in html


def test_ratings_report_summarises_when_there_are_more_comments(client, editor, chile, lobbying):
    for days in range(5):
        rated(make_introduction(chile, lobbying), 4, f"Comment {days}", days_ago=days)
    client.force_login(editor)
    html = client.get(REPORT_URL).content.decode()
    assert [f"Comment {n}" in html for n in range(5)] == [True, True, True, False, False]
    assert "3 latest of 5 comments" in html


def test_ratings_report_says_so_when_nothing_is_rated_yet(client, editor, chile):
    client.force_login(editor)
    assert "No introduction requests yet" in client.get(REPORT_URL).content.decode()
    make_introduction(chile)
    html = client.get(REPORT_URL).content.decode()
    assert "No requester has rated an introduction yet" in html
    assert table_rows(client.get(REPORT_URL)) == [["Chile", "No theme", "1", "0", "0", "—", "—"]]


def test_ratings_report_sits_in_the_reports_menu_and_admin_layout(client, editor, ratings):
    client.force_login(editor)
    html = BeautifulSoup(client.get(REPORT_URL).content, "html.parser")
    assert html.title.get_text(strip=True).startswith("Peer introduction ratings")
    assert html.find("a", string="Download CSV")["href"] == CSV_URL


def test_ratings_csv_has_the_same_figures_and_no_comments(client, editor, ratings, chile):
    make_introduction(chile, theme("formula", '=HYPERLINK("http://evil")'))
    client.force_login(editor)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert csv_rows(response) == [
        ["Peer country", "Theme", "Requests", "Introduced", "Rated", "Average rating", "Comments"],
        ["Chile", '\'=HYPERLINK("http://evil")', "1", "0", "0", "", "0"],
        ["Chile", "Lobbying", "5", "4", "4", "4.3", "3"],
        ["Chile", "No theme", "1", "1", "1", "3.0", "1"],
        ["Kenya", "Open contracting", "2", "1", "0", "", "0"],
    ]
    assert "data model" not in response.content.decode()


@pytest.mark.parametrize("url", [REPORT_URL, CSV_URL])
def test_staff_without_the_ratings_permission_is_refused(client, ratings, url):
    user = UserFactory(username="admin-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert REPORT_URL.encode() not in client.get("/admin/").content


def test_ratings_report_reads_requests_in_two_queries(client, editor, ratings):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        client.get(REPORT_URL)
    reads = [q["sql"] for q in queries if "learning_introductionrequest" in q["sql"]]
    assert len(reads) == 2  # the figures, and the latest comments

"""Fellowships: status from the deadline, the listing, applying, reviewing, sample content."""

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casestudies.models import Country, Theme
from exchange.core.importing.base import ImportFailed
from learning.factories import FellowshipPageFactory
from learning.fellowships import services
from learning.fellowships.importer import import_fellowships
from learning.fellowships.serving import APPLICATION_ATTEMPTS, APPLICATIONS_PER_EMAIL
from learning.models import (
    ApplicationScore,
    ApplicationStatus,
    FellowshipApplication,
    FellowshipIndexPage,
    FellowshipPage,
)
from tests.learning.cache_workers import two_workers

PER_EMAIL = APPLICATIONS_PER_EMAIL.limit
PER_ADDRESS = APPLICATION_ATTEMPTS.limit
SAMPLE_FILE = settings.BASE_DIR / "learning" / "sample_content" / "fellowships" / "fellowships.yaml"


@pytest.fixture
def fellowship_index(real_data, home):
    return FellowshipIndexPage.objects.get()


@pytest.fixture
def gbr():
    return Country.objects.get(iso3="GBR")


@pytest.fixture
def fellowship(fellowship_index, gbr):
    return FellowshipPageFactory(
        parent=fellowship_index,
        title="Running a beneficial ownership register",
        host_country=gbr,
        themes=[Theme.objects.get(slug="beneficial-ownership")],
    )


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", "reviewer@example.org", "pw-rev-1")
    user.groups.add(Group.objects.get(name="Fellowship reviewers"))
    return user


def application_data(**overrides):
    data = {
        "name": "Amina Okafor",
        "email": "amina@example.org",
        "country": Country.objects.get(iso3="NGA").pk,
        "institution": "Corporate Affairs Commission",
        "role": "Head of registry reform",
        "reform": "A public beneficial ownership register",
        "motivation": "We are building a register and want to learn how to verify filings.",
        "consent_to_share": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def visible_text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def apply_url(page):
    return page.url + "apply/"


def make_application(fellowship, email="amina@example.org", **kwargs):
    return FellowshipApplication.objects.create(
        fellowship=fellowship,
        name=kwargs.pop("name", "Amina Okafor"),
        email=email,
        country=Country.objects.get(iso3="NGA"),
        institution="Corporate Affairs Commission",
        role="Registrar",
        reform="Beneficial ownership register",
        motivation="To learn.",
        consent_to_share=True,
        **kwargs,
    )


# Status ------------------------------------------------------------------------------


def test_status_is_open_until_the_deadline_and_closed_from_it(fellowship):
    deadline = dt.datetime(2027, 3, 31, 23, 59, tzinfo=dt.UTC)
    fellowship.application_deadline = deadline
    assert fellowship.status_at(deadline - dt.timedelta(seconds=1)) == "open"
    assert fellowship.status_at(deadline) == "closed"
    assert fellowship.status_at(deadline + dt.timedelta(seconds=1)) == "closed"


def test_status_compares_moments_not_wall_clock_times_across_time_zones(fellowship):
    # 23:59 in Nairobi (UTC+3) is 20:59 UTC: at 21:00 UTC the fellowship is closed even
    # though a clock in London still shows the deadline's day.
    fellowship.application_deadline = dt.datetime(
        2027, 5, 31, 23, 59, tzinfo=ZoneInfo("Africa/Nairobi")
    )
    assert fellowship.status_at(dt.datetime(2027, 5, 31, 20, 58, tzinfo=dt.UTC)) == "open"
    assert fellowship.status_at(dt.datetime(2027, 5, 31, 21, 0, tzinfo=dt.UTC)) == "closed"


def test_status_property_follows_the_current_time(fellowship):
    fellowship.application_deadline = timezone.now() + dt.timedelta(minutes=1)
    assert fellowship.status == "open"
    fellowship.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    assert fellowship.status == "closed"


def test_page_shows_the_deadline_with_its_time_zone(client, fellowship):
    fellowship.application_deadline = dt.datetime(2027, 3, 31, 23, 59, tzinfo=dt.UTC)
    fellowship.save_revision().publish()
    response = client.get(fellowship.url)
    assert response.status_code == 200
    assert "31 March 2027, 23:59 UTC" in response.content.decode()
    assert "Send my application" in response.content.decode()


# Listing -----------------------------------------------------------------------------


@pytest.fixture
def listing(fellowship_index, gbr):
    now = timezone.now()
    ken, irl = Country.objects.get(iso3="KEN"), Country.objects.get(iso3="IRL")
    rti, lobbying = (
        Theme.objects.get(slug="right-to-information"),
        Theme.objects.get(slug="lobbying"),
    )
    make = FellowshipPageFactory
    return {
        "late": make(
            parent=fellowship_index,
            title="Open later",
            host_country=ken,
            themes=[rti],
            application_deadline=now + dt.timedelta(days=90),
        ),
        "soon": make(
            parent=fellowship_index,
            title="Open soon",
            host_country=irl,
            themes=[lobbying],
            application_deadline=now + dt.timedelta(days=3),
        ),
        "closed_long_ago": make(
            parent=fellowship_index,
            title="Closed long ago",
            host_country=gbr,
            themes=[lobbying],
            application_deadline=now - dt.timedelta(days=300),
        ),
        "closed_recently": make(
            parent=fellowship_index,
            title="Closed recently",
            host_country=ken,
            themes=[rti],
            application_deadline=now - dt.timedelta(days=2),
        ),
    }


def titles(response):
    return [page.title for page in response.context["fellowships"]]


def test_listing_shows_open_fellowships_first_by_deadline_then_closed_ones_marked(client, listing):
    response = client.get("/fellowships/")
    assert response.status_code == 200
    assert titles(response) == ["Open soon", "Open later", "Closed recently", "Closed long ago"]
    html = response.content.decode()
    assert html.count('class="tag tag--closed">Closed') == 2
    assert html.count('class="tag tag--open">Open') == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?theme=lobbying", ["Open soon", "Closed long ago"]),
        ("?country=KEN", ["Open later", "Closed recently"]),
        ("?region=Sub-Saharan+Africa", ["Open later", "Closed recently"]),
        ("?status=open", ["Open soon", "Open later"]),
        ("?status=closed&theme=right-to-information", ["Closed recently"]),
    ],
)
def test_listing_filters_from_the_url(client, listing, query, expected):
    assert titles(client.get("/fellowships/" + query)) == expected


def test_listing_says_so_when_no_fellowship_matches(client, listing):
    response = client.get("/fellowships/?country=GBR&status=open")
    assert titles(response) == []
    assert "No fellowship matches these filters" in response.content.decode()


def test_listing_is_paginated(client, fellowship_index, gbr):
    for number in range(FellowshipIndexPage.page_size + 2):
        FellowshipPageFactory(parent=fellowship_index, host_country=gbr, title=f"F {number}")
    first = client.get("/fellowships/")
    assert len(titles(first)) == FellowshipIndexPage.page_size
    assert len(titles(client.get("/fellowships/?page=2"))) == 2


def test_listing_query_count_does_not_grow_with_fellowships(
    client, fellowship_index, gbr, django_assert_max_num_queries
):
    themes = list(Theme.objects.all()[:3])
    for number in range(10):
        FellowshipPageFactory(
            parent=fellowship_index, host_country=gbr, themes=themes, title=f"F {number}"
        )
    with django_assert_max_num_queries(20):
        response = client.get("/fellowships/")
    assert len(titles(response)) == 10


# Applying ----------------------------------------------------------------------------


def test_applying_saves_the_application_and_emails_a_confirmation(client, fellowship):
    response = client.post(apply_url(fellowship), application_data(email="Amina@Example.org"))
    assert response.status_code == 302
    application = FellowshipApplication.objects.get()
    assert application.email == "amina@example.org"
    assert application.fellowship_title == fellowship.title
    assert application.status == ApplicationStatus.RECEIVED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert fellowship.title in mail.outbox[0].subject
    page = client.get(response.url)
    assert "your application is received" in page.content.decode()


def test_signed_in_applicant_is_linked_to_the_application(client, fellowship, django_user_model):
    user = django_user_model.objects.create_user("amina", "amina@example.org", "pw-a-1")
    client.force_login(user)
    client.post(apply_url(fellowship), application_data())
    assert FellowshipApplication.objects.get().applicant == user


def test_applying_after_the_deadline_is_refused_with_a_clear_message(client, fellowship):
    fellowship.application_deadline = timezone.now() - dt.timedelta(seconds=1)
    fellowship.save_revision().publish()
    response = client.post(apply_url(fellowship), application_data(), follow=True)
    assert FellowshipApplication.objects.count() == 0
    assert "Applications for this fellowship closed on" in response.content.decode()
    assert "Send my application" not in response.content.decode()
    assert mail.outbox == []


def test_applying_twice_answers_like_the_first_time_and_tells_the_address_by_email(
    client, fellowship
):
    first = client.post(apply_url(fellowship), application_data())
    first_page = client.get(first.url)
    mail.outbox.clear()

    again = client.post(apply_url(fellowship), application_data(email="AMINA@example.org"))

    assert (again.status_code, again.url) == (first.status_code, first.url) == (302, fellowship.url)
    assert visible_text(client.get(again.url)) == visible_text(first_page)
    assert FellowshipApplication.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == f"You already applied to “{fellowship.title}” — Reform Exchange"
    applied_on = FellowshipApplication.objects.get().created_at
    assert f"You already applied on {applied_on:%-d %B %Y}" in message.body


def test_database_refuses_a_duplicate_whatever_the_case_of_the_email(fellowship):
    make_application(fellowship, email="amina@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips save(), which lowercases: the database must refuse it on its own.
        FellowshipApplication.objects.bulk_create(
            [
                FellowshipApplication(
                    fellowship=fellowship,
                    fellowship_title="t",
                    name="n",
                    email="AMINA@example.org",
                    country=Country.objects.get(iso3="NGA"),
                    institution="i",
                    role="r",
                    reform="r",
                    motivation="m",
                    consent_to_share=True,
                )
            ]
        )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent_to_share": None}, "consent_to_share", "Please agree to share"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"motivation": "x" * 3001}, "motivation", "at most 3000 characters"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_invalid_applications_show_form_errors(client, fellowship, overrides, field, message):
    response = client.post(apply_url(fellowship), application_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert FellowshipApplication.objects.count() == 0
    assert mail.outbox == []


@pytest.fixture
def other_fellowships(fellowship_index, gbr):
    return [FellowshipPageFactory(parent=fellowship_index, host_country=gbr) for _ in range(6)]


def test_valid_applications_are_limited_per_email_from_any_network(
    client, fellowship, other_fellowships
):
    pages = [fellowship, *other_fellowships]
    for number, page in enumerate(pages[:PER_EMAIL]):
        response = client.post(apply_url(page), application_data(), REMOTE_ADDR=f"10.0.0.{number}")
        assert response.status_code == 302

    response = client.post(apply_url(pages[PER_EMAIL]), application_data(), REMOTE_ADDR="10.9.9.9")

    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert "Too many applications" in response.content.decode()
    assert "try again in about 60 minutes" in response.content.decode()
    assert FellowshipApplication.objects.count() == PER_EMAIL
    # Someone else is not affected.
    tomas = application_data(email="tomas@example.org")
    other = client.post(apply_url(pages[PER_EMAIL]), tomas, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_invalid_posts_naming_someone_never_lock_that_person_out(client, fellowship):
    # Before: six invalid applications naming Amina, from six addresses, blocked her own
    # valid application for an hour.
    for number in range(PER_EMAIL + 5):
        response = client.post(
            apply_url(fellowship),
            application_data(consent_to_share=None),
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response.status_code == 400

    response = client.post(apply_url(fellowship), application_data(), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    assert FellowshipApplication.objects.get().email == "amina@example.org"


def test_every_post_from_one_network_counts_valid_or_not(client, fellowship):
    for number in range(PER_ADDRESS):
        data = application_data(email=f"person{number}@example.org")
        if number % 2:
            data.pop("consent_to_share")
        client.post(apply_url(fellowship), data)

    response = client.post(apply_url(fellowship), application_data(email="new@example.org"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Send my application" not in response.content.decode()
    assert FellowshipApplication.objects.count() == PER_ADDRESS // 2
    assert len(mail.outbox) == PER_ADDRESS // 2
    other_network = client.post(
        apply_url(fellowship), application_data(email="new@example.org"), REMOTE_ADDR="192.0.2.1"
    )
    assert other_network.status_code == 302


def test_the_limit_per_email_holds_across_two_workers(
    client, fellowship, other_fellowships, monkeypatch
):
    pages = [fellowship, *other_fellowships]
    with two_workers(monkeypatch):
        codes = [
            client.post(apply_url(page), application_data(), REMOTE_ADDR=f"10.0.0.{n}").status_code
            for n, page in enumerate(pages[: PER_EMAIL + 2])
        ]

    assert codes == [302] * PER_EMAIL + [429, 429]
    assert FellowshipApplication.objects.count() == PER_EMAIL


def test_an_application_that_loses_a_race_gets_the_same_answer(client, fellowship, monkeypatch):
    first = client.post(apply_url(fellowship), application_data())
    mail.outbox.clear()
    real_lookup = services._application_of
    lookups = []

    def checked_before_the_other_insert(form):
        lookups.append(form)
        return None if len(lookups) == 1 else real_lookup(form)

    monkeypatch.setattr(services, "_application_of", checked_before_the_other_insert)

    # The database's unique constraint refuses the insert; the view answers as usual.
    again = client.post(apply_url(fellowship), application_data())

    assert (again.status_code, again.url) == (first.status_code, first.url)
    assert FellowshipApplication.objects.count() == 1
    assert len(lookups) == 2
    assert "You already applied" in mail.outbox[0].subject


def test_apply_form_is_protected_by_csrf(fellowship):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(apply_url(fellowship), application_data())
    assert response.status_code == 403


def test_the_dashboard_names_an_applied_fellowship_in_the_readers_language(
    client, fellowship, django_user_model
):
    from bs4 import BeautifulSoup
    from wagtail.models import Locale

    learner = django_user_model.objects.create_user(
        "amina@example.org", "amina@example.org", "Pw-amina-2026"
    )
    make_application(fellowship)
    spanish = fellowship.copy_for_translation(
        Locale.objects.get_or_create(language_code="es")[0], copy_parents=True
    )
    spanish.title = "Gestionar un registro de beneficiarios finales"
    spanish.save_revision().publish()
    client.force_login(learner)

    def application_link(path):
        page = BeautifulSoup(client.get(path).content, "html.parser")
        return page.select_one("#applications-heading + .status-list a")

    link = application_link("/es/accounts/dashboard/")
    assert link.get_text() == "Gestionar un registro de beneficiarios finales"
    assert link.get("lang") is None
    french = application_link("/fr/accounts/dashboard/")  # no French version: English, marked
    assert (french.get_text(), french["lang"]) == (fellowship.title, "en")
    assert application_link("/accounts/dashboard/").get_text() == fellowship.title


def test_deleting_a_fellowship_keeps_its_applications(fellowship):
    application = make_application(fellowship)
    title = fellowship.title
    fellowship.delete()
    application.refresh_from_db()
    assert application.fellowship is None
    assert application.fellowship_title == title


# Reviewing in the admin --------------------------------------------------------------


def test_only_reviewers_see_applications(client, fellowship, reviewer, editor):
    make_application(fellowship, name="Amina Okafor")
    index = reverse("fellowship_applications:index")
    client.force_login(editor)
    assert client.get(index).status_code in (302, 403)
    assert client.get(reverse("fellowship_applications_csv")).status_code in (302, 403)
    assert "Fellowship applications" not in client.get("/admin/").content.decode()
    client.force_login(reviewer)
    response = client.get(index)
    assert response.status_code == 200
    assert "Amina Okafor" in response.content.decode()


def test_only_the_reviewers_group_may_view_applications(db):
    assert (
        Group.objects.get(name="Fellowship reviewers")
        .permissions.filter(codename="view_fellowshipapplication")
        .exists()
    )
    assert (
        not Group.objects.get(name="Editors")
        .permissions.filter(codename__contains="fellowshipapplication")
        .exists()
    )


def test_reviewer_lists_applications_per_fellowship(
    client, fellowship, fellowship_index, gbr, reviewer
):
    other = FellowshipPageFactory(parent=fellowship_index, host_country=gbr, title="Other")
    make_application(fellowship, name="Amina Okafor")
    make_application(other, name="Tomás Rivera", email="tomas@example.org")
    client.force_login(reviewer)
    html = client.get(
        reverse("fellowship_applications:index") + f"?fellowship={fellowship.pk}"
    ).content.decode()
    assert "Amina Okafor" in html
    assert "Tomás Rivera" not in html


def test_accepting_an_application_emails_the_applicant(client, fellowship, reviewer):
    application = make_application(fellowship)
    client.force_login(reviewer)
    response = client.post(
        reverse("fellowship_applications:edit", args=[application.pk]), {"status": "accepted"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert len(mail.outbox) == 1
    assert "selected" in mail.outbox[0].subject


def test_shortlisting_sends_no_email(client, fellowship, reviewer):
    application = make_application(fellowship)
    client.force_login(reviewer)
    client.post(
        reverse("fellowship_applications:edit", args=[application.pk]), {"status": "shortlisted"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert mail.outbox == []


def test_reviewer_scores_each_criterion(client, fellowship, reviewer):
    application = make_application(fellowship)
    client.force_login(reviewer)
    url = reverse("fellowship_application_score", args=[application.pk])
    assert "Relevance of the reform" in client.get(url).content.decode()
    response = client.post(url, {"score_0": "4", "notes_0": "Strong", "score_1": "2"})
    assert response.status_code == 302
    scores = dict(
        ApplicationScore.objects.filter(application=application).values_list("criterion", "score")
    )
    assert scores == {"Relevance of the reform": 4, "Ability to apply it": 2}
    client.post(url, {"score_0": "5"})
    scores = dict(
        ApplicationScore.objects.filter(application=application).values_list("criterion", "score")
    )
    assert scores == {"Relevance of the reform": 5}


def test_scores_outside_one_to_five_are_refused(client, fellowship, reviewer):
    application = make_application(fellowship)
    client.force_login(reviewer)
    url = reverse("fellowship_application_score", args=[application.pk])
    assert client.post(url, {"score_0": "6"}).status_code == 200
    assert not ApplicationScore.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationScore.objects.create(
            application=application, reviewer=reviewer, criterion="x", score=0
        )


def test_csv_export_lists_applications_and_neutralises_formulas(client, fellowship, reviewer):
    make_application(fellowship, name='=HYPERLINK("http://evil")')
    client.force_login(reviewer)
    response = client.get(reverse("fellowship_applications_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Fellowship", "Name", "Email"]
    assert rows[1][0] == fellowship.title
    assert rows[1][1].startswith("'=")
    assert rows[1][2] == "amina@example.org"


# Sample content ----------------------------------------------------------------------


def test_sample_fellowships_import_once_and_show_open_and_closed(client, fellowship_index):
    first = import_fellowships(SAMPLE_FILE, publish=True)
    again = import_fellowships(SAMPLE_FILE, publish=True)
    assert first.created >= 6
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    pages = FellowshipPage.objects.live()
    assert all(page.is_sample for page in pages)
    assert {page.status for page in pages} == {"open", "closed"}
    html = client.get("/fellowships/").content.decode()
    assert "Sample" in html and "Closed" in html


def test_import_reports_problems_with_file_and_line(tmp_path: Path, fellowship_index):
    bad = tmp_path / "fellowships.yaml"
    bad.write_text(
        "fellowships:\n"
        "  - slug: x\n"
        "    title: X\n"
        "    summary: s\n"
        "    host_country: ZZZ\n"
        "    host_institution: I\n"
        "    themes: [lobbying]\n"
        "    duration_weeks: 4\n"
        "    start_date: 2027-01-01\n"
        "    end_date: 2027-02-01\n"
        "    application_deadline: '2026-12-01T23:59:00'\n"
        "    eligibility: e\n"
        "    what_you_will_do: w\n"
        "    criteria: [c]\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_fellowships(bad)
    reported = [str(problem) for problem in failure.value.problems]
    assert reported == [
        "fellowships.yaml:5: unknown country code 'ZZZ'",
        "fellowships.yaml:11: 'application_deadline' must be a date and time with a time zone, "
        "like 2027-03-31T23:59:00+00:00",
    ]
    assert not FellowshipPage.objects.exists()


def test_an_entry_missing_many_keys_is_one_problem_naming_them_all(tmp_path, fellowship_index):
    bad = tmp_path / "fellowships.yaml"
    bad.write_text("fellowships:\n  - title: X\n    summary: s\n    slug: x\n")

    with pytest.raises(ImportFailed) as failure:
        import_fellowships(bad)

    assert [str(problem) for problem in failure.value.problems] == [
        "fellowships.yaml:2: missing 'application_deadline', 'criteria', 'duration_weeks', "
        "'eligibility', 'end_date', 'host_country', 'host_institution', 'start_date', 'themes' "
        "and 'what_you_will_do' in fellowship 'X'"
    ]


def test_import_command_fails_without_writing_on_a_bad_file(tmp_path, fellowship_index):
    bad = tmp_path / "f.yaml"
    bad.write_text("fellowships: nope\n")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_fellowships", bad, verbosity=0)
    assert not FellowshipPage.objects.exists()


@pytest.mark.parametrize(
    ("deadline", "time_zone", "shown"),
    [
        ("2027-01-31T23:59:00+00:00", "UTC", "31 January 2027, 23:59 UTC"),
        (
            "2027-02-28T22:59:00+00:00",
            "Europe/Bratislava",
            "28 February 2027, 23:59 Bratislava time (UTC+1)",
        ),
        # Summer time: the same zone, another offset.
        (
            "2027-06-30T21:59:00+00:00",
            "Europe/Bratislava",
            "30 June 2027, 23:59 Bratislava time (UTC+2)",
        ),
        # A deadline late in Santiago is the next day in UTC: the host's date is the one shown.
        (
            "2026-07-01T03:59:00+00:00",
            "America/Santiago",
            "30 June 2026, 23:59 Santiago time (UTC−4)",
        ),
        (
            "2027-03-31T18:29:00+00:00",
            "Asia/Kolkata",
            "31 March 2027, 23:59 Kolkata time (UTC+5:30)",
        ),
    ],
)
def test_the_deadline_is_shown_in_the_hosts_time_zone_with_its_offset(deadline, time_zone, shown):
    page = FellowshipPage(
        application_deadline=dt.datetime.fromisoformat(deadline), deadline_time_zone=time_zone
    )

    assert page.deadline_display == shown


def test_a_fellowship_page_shows_the_deadline_in_host_time(client, fellowship):
    fellowship.application_deadline = timezone.now() + dt.timedelta(days=30)
    fellowship.deadline_time_zone = "Africa/Nairobi"
    fellowship.save_revision().publish()

    html = client.get(fellowship.url).content.decode()

    assert "Nairobi time (UTC+3)" in html


def test_import_refuses_an_unknown_deadline_time_zone(real_data, home, tmp_path):
    text = SAMPLE_FILE.read_text(encoding="utf-8")
    broken = text.replace(
        "deadline_time_zone: Europe/London", "deadline_time_zone: Europe/Londres", 1
    )
    path = tmp_path / "fellowships.yaml"
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    deadline_time_zone: Europe/Londres") + 1

    with pytest.raises(ImportFailed) as failure:
        import_fellowships(path)

    assert [(p.line, p.reason) for p in failure.value.problems] == [
        (line, "unknown time zone 'Europe/Londres' (use a name like Europe/Bratislava)")
    ]
    assert not FellowshipPage.objects.exists()


def test_an_editor_sets_the_deadline_time_zone_in_the_admin(client, fellowship, editor):
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[fellowship.pk])

    html = client.get(edit_url).content.decode()

    assert 'name="deadline_time_zone"' in html
    assert '<option value="America/Santiago">America/Santiago</option>' in html


# The apply box: prefilled when signed in, the application's status after applying ----------


def apply_box(response):
    return BeautifulSoup(response.content, "html.parser").select_one(".apply-box")


@pytest.fixture
def amina(django_user_model):
    return django_user_model.objects.create_user(
        "amina@example.org", "amina@example.org", "pw-a-1", first_name="Amina", last_name="Okafor"
    )


def test_signed_in_person_finds_the_form_prefilled_with_name_and_email(client, fellowship, amina):
    client.force_login(amina)
    box = apply_box(client.get(fellowship.url))
    assert box.select_one("input[name=name]")["value"] == "Amina Okafor"
    assert box.select_one("input[name=email]")["value"] == "amina@example.org"


def test_signed_in_applicant_sees_their_application_status_instead_of_the_form(
    client, fellowship, amina
):
    client.force_login(amina)
    response = client.post(apply_url(fellowship), application_data(), follow=True)
    box = apply_box(response)
    assert box.h2.get_text() == "Your application"
    assert not box.select("form")
    assert box.select_one(".application__status").get_text() == "Received"
    FellowshipApplication.objects.update(status=ApplicationStatus.SHORTLISTED)
    box = apply_box(client.get(fellowship.url))
    assert box.select_one(".application__status").get_text() == "Shortlisted"
    assert "You are on the shortlist" in box.get_text()


def test_an_application_made_signed_out_with_my_address_shows_when_i_sign_in(
    client, fellowship, amina
):
    make_application(fellowship, email="amina@example.org")
    client.force_login(amina)
    assert apply_box(client.get(fellowship.url)).h2.get_text() == "Your application"


def test_someone_elses_application_is_never_shown(client, fellowship, amina):
    make_application(fellowship, email="tomas@example.org", name="Tomás Rivera")
    client.force_login(amina)
    box = apply_box(client.get(fellowship.url))
    assert box.h2.get_text() == "Apply"
    assert "Tomás" not in box.get_text()


def test_anonymous_applicant_sees_a_confirmation_not_an_empty_form(client, fellowship):
    response = client.post(apply_url(fellowship), application_data(), follow=True)
    box = apply_box(response)
    assert box.h2.get_text() == "Application sent"
    assert not box.select("form")
    assert "Amina" not in box.get_text()  # the browser is told nothing about the application
    another = box.find("a", string=lambda text: text and "Send another application" in text)
    box = apply_box(client.get(fellowship.url + another["href"]))
    assert box.select_one("form input[name=email]")


def test_confirmation_is_the_same_for_a_repeated_address(client, fellowship):
    make_application(fellowship, email="amina@example.org")
    response = client.post(apply_url(fellowship), application_data(), follow=True)
    assert apply_box(response).h2.get_text() == "Application sent"


def test_a_form_with_errors_is_shown_with_them_even_after_a_confirmation(client, fellowship):
    client.post(apply_url(fellowship), application_data())
    response = client.post(apply_url(fellowship), application_data(email="not an address"))
    assert response.status_code == 400
    assert apply_box(response).select_one("form input[name=email]")


def test_status_of_an_application_to_a_sample_fellowship_says_it_is_not_reviewed(
    client, fellowship, amina
):
    FellowshipPage.objects.filter(pk=fellowship.pk).update(is_sample=True)
    make_application(fellowship, email="amina@example.org")
    client.force_login(amina)
    box = apply_box(client.get(fellowship.url))
    assert "not reviewed" in box.select_one(".application-status__meaning").get_text()


# Applying costs the same, new or repeated ------------------------------------------------
# The request checks the form and queues `take_application`; the worker does the rest
# (issue 10: a new application used to take visibly longer, telling who had applied).


def post_application_and_capture(fellowship, **overrides):
    """The SQL statements of one post, from a new visitor (no session yet)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(apply_url(fellowship), application_data(**overrides))
    assert response.status_code == 302
    return [query["sql"].split()[0] for query in queries.captured_queries]


def test_a_repeat_does_the_same_work_in_the_request_as_a_new_application(
    fellowship, database_queue
):
    make_application(fellowship)  # Amina already applied
    post_application_and_capture(fellowship, email="first.visitor@example.org")  # warms up

    repeat = post_application_and_capture(fellowship)
    new = post_application_and_capture(fellowship, email="someone.new@example.org")

    assert repeat == new  # the same statements, in the same order
    assert FellowshipApplication.objects.count() == 1  # nothing saved yet: only queued
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="take_application").count() == 3


def test_the_worker_saves_the_application_and_sends_the_right_emails(
    fellowship, database_queue, django_capture_on_commit_callbacks
):
    make_application(fellowship, email="amina@example.org")
    Client().post(apply_url(fellowship), application_data())  # a repeat
    Client().post(apply_url(fellowship), application_data(email="Lucia@Example.org"))
    assert FellowshipApplication.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        database_queue()  # saves the new application, queues both emails
    database_queue()  # sends them

    assert FellowshipApplication.objects.filter(email="lucia@example.org").exists()
    assert FellowshipApplication.objects.count() == 2
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["amina@example.org"].startswith("You already applied")
    assert not subjects["lucia@example.org"].startswith("You already applied")


def test_an_application_posted_in_time_is_kept_when_the_worker_runs_after_the_deadline(
    fellowship, database_queue, django_capture_on_commit_callbacks
):
    Client().post(apply_url(fellowship), application_data())
    fellowship.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    fellowship.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        database_queue()

    assert FellowshipApplication.objects.get().email == "amina@example.org"

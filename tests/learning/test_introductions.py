"""Peer introductions, the requester's side: ask from a peer result, follow, rate."""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from casestudies.models import Country, Theme
from learning.factories import FellowshipPageFactory, UserFactory
from learning.introductions import services
from learning.introductions.forms import IntroductionRequestForm
from learning.introductions.views import REQUEST_ATTEMPTS, REQUESTS_PER_EMAIL
from learning.models import (
    FellowshipApplication,
    FellowshipIndexPage,
    IntroductionRequest,
    IntroductionStatus,
)
from tests.learning.cache_workers import two_workers

REQUEST_URL = reverse("learning:request_introduction")


@pytest.fixture
def chile(real_data, db):
    return Country.objects.get(iso3="CHL")


@pytest.fixture
def paraguay(real_data, db):
    return Country.objects.get(iso3="PRY")


@pytest.fixture
def lobbying(real_data, db):
    return Theme.objects.get(slug="lobbying")


def request_data(**overrides):
    data = {
        "peer": "CHL",
        "name": "Lucía Benítez",
        "email": "lucia@example.org",
        "country": Country.objects.get(iso3="PRY").pk,
        "organisation": "Secretaría Nacional Anticorrupción, policy advisor",
        "goal": "a public register of lobbyists",
        "theme": Theme.objects.get(slug="lobbying").pk,
        "what_to_learn": "How you got ministries to publish their meetings, and what stalled.",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_request(**fields):
    defaults = {
        "name": "Lucía Benítez",
        "email": "lucia@example.org",
        "country": Country.objects.get(iso3="PRY"),
        "organisation": "SENAC",
        "peer_country": Country.objects.get(iso3="CHL"),
        "theme": Theme.objects.get(slug="lobbying"),
        "goal": "a public register of lobbyists",
        "what_to_learn": "What stalled.",
        "consent": True,
    }
    defaults.update(fields)
    return IntroductionRequest.objects.create(**defaults)


def visible_text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def status_url_in(message) -> str:
    match = re.search(r"https?://\S+/introductions/[\w-]+/", message.body)
    assert match, message.body
    return match.group(0)


# Asking ---------------------------------------------------------------------------


def test_the_form_arrives_filled_in_with_what_the_reformer_searched_for(client, chile, paraguay):
    response = client.get(REQUEST_URL, {"peer": "CHL", "country": "PRY", "q": "lobbying register"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Request an introduction to reformers in Chile" in html
    form = response.context["form"]
    assert form.initial["country"] == paraguay
    assert form.initial["goal"] == "lobbying register"
    assert form.initial["theme"].slug == "lobbying"  # found in the words by the thesaurus
    assert response["Cache-Control"].count("private")
    assert response["Referrer-Policy"] == "same-origin"


def test_a_signed_in_reformer_finds_their_name_and_email_filled_in(client, real_data, db):
    user = UserFactory(email="lucia@example.org", first_name="Lucía", last_name="Benítez")
    client.force_login(user)

    form = client.get(REQUEST_URL, {"peer": "CHL"}).context["form"]

    assert form.initial["email"] == "lucia@example.org"
    assert form.initial["name"] == "Lucía Benítez"


def test_without_a_peer_the_page_says_how_to_find_one(client, real_data, db):
    response = client.get(REQUEST_URL)

    assert response.status_code == 400
    assert "Find your peers" in response.content.decode()
    assert client.get(REQUEST_URL, {"peer": "XXX"}).status_code == 404


def test_sending_a_request_saves_it_and_emails_the_private_link(client, chile):
    response = client.post(f"{REQUEST_URL}?peer=CHL&country=PRY", request_data())

    introduction = IntroductionRequest.objects.get()
    assert introduction.peer_country == chile
    assert introduction.status == IntroductionStatus.NEW
    assert introduction.email == "lucia@example.org"
    assert response.status_code == 302
    assert response.url == f"{REQUEST_URL}?peer=CHL&country=PRY"
    [message] = mail.outbox
    assert message.to == ["lucia@example.org"]
    assert "Chile" in message.subject
    assert status_url_in(message).endswith(introduction.get_absolute_url())

    confirmation = client.get(response.url)
    assert confirmation.status_code == 200
    text = visible_text(confirmation)
    assert "Thank you, Lucía Benítez" in text
    assert "We received your request for an introduction to reformers in Chile" in text
    assert "We sent an email to lucia@example.org" in text
    assert introduction.access_token not in confirmation.content.decode()
    assert confirmation["Referrer-Policy"] == "same-origin"
    # Shown once: reloading it later shows the form again.
    assert "Send my request" in client.get(response.url).content.decode()

    page = client.get(status_url_in(message))
    html = page.content.decode()
    assert 'Status: <span class="introduction__status">New</span>' in html
    assert "How you got ministries to publish their meetings" in html
    in_spanish = client.get("/es" + urlsplit(status_url_in(message)).path).content.decode()
    assert 'Estado: <span class="introduction__status">Nueva</span>' in in_spanish


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": None}, "consent", "Please agree"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"what_to_learn": "x" * 2001}, "what_to_learn", "at most 2000"),
        ({"name": ""}, "name", "required"),
        ({"country": None}, "country", "required"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field(client, chile, overrides, field, message):
    response = client.post(REQUEST_URL, request_data(**overrides))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not IntroductionRequest.objects.exists()
    assert not mail.outbox


def test_the_peer_cannot_be_the_reformers_own_country(client, chile):
    response = client.post(REQUEST_URL, request_data(country=chile.pk))

    assert response.status_code == 400
    assert "a different country" in response.context["form"].errors["country"][0]


def test_asking_again_answers_like_the_first_time_and_tells_the_address_by_email(client, chile):
    first = client.post(REQUEST_URL, request_data())
    first_page = client.get(first.url)
    mail.outbox.clear()
    existing = IntroductionRequest.objects.get()

    again = client.post(REQUEST_URL, request_data(email="LUCIA@example.org"))
    again_page = client.get(again.url)

    assert (again.status_code, again.url) == (first.status_code, first.url)
    assert again_page.status_code == first_page.status_code == 200
    assert [t.name for t in again_page.templates] == [t.name for t in first_page.templates]
    assert visible_text(again_page) == visible_text(first_page)
    assert IntroductionRequest.objects.count() == 1
    [message] = mail.outbox  # to the address only: brokers have it in their queue already
    assert message.to == ["lucia@example.org"]
    assert message.subject == "You already asked for an introduction to Chile — Reform Exchange"
    assert f"You already asked on {existing.created_at:%-d %B %Y}" in message.body
    assert status_url_in(message).endswith(existing.get_absolute_url())


@pytest.mark.parametrize("theme", ["lobbying", None], ids=["with-theme", "without-theme"])
def test_a_request_that_loses_a_race_to_an_identical_one_gets_the_same_answer(
    client, chile, monkeypatch, theme
):
    # Two identical requests at the same moment both pass the check; the database's
    # constraint refuses the second insert. Here the second check runs "before" the first
    # insert is visible, so the insert itself must be refused and answered as any repeat.
    theme_pk = Theme.objects.get(slug=theme).pk if theme else ""
    first = client.post(REQUEST_URL, request_data(theme=theme_pk))
    mail.outbox.clear()
    real_check = services.open_request_like
    checks = []

    def checked_before_the_other_insert(form):
        checks.append(form)
        return None if len(checks) == 1 else real_check(form)

    monkeypatch.setattr(services, "open_request_like", checked_before_the_other_insert)

    again = client.post(REQUEST_URL, request_data(theme=theme_pk))

    assert (again.status_code, again.url) == (first.status_code, first.url)
    assert len(checks) == 2
    assert IntroductionRequest.objects.count() == 1
    assert "You already asked" in mail.outbox[0].subject


def test_an_integrity_error_no_open_request_explains_is_not_hidden(chile, monkeypatch):
    form = IntroductionRequestForm(request_data(), peer_country=chile)
    assert form.is_valid()

    def refused_by_another_constraint(form, commit=True):
        raise IntegrityError("CHECK constraint failed: introduction_requires_consent")

    monkeypatch.setattr(IntroductionRequestForm, "save", refused_by_another_constraint)

    with pytest.raises(IntegrityError):
        services.submit_request(form)


def test_asking_again_after_the_last_one_closed_is_accepted(client, chile):
    make_request(status=IntroductionStatus.CLOSED)

    response = client.post(REQUEST_URL, request_data())

    assert response.status_code == 302
    assert IntroductionRequest.objects.count() == 2


def test_consent_is_also_required_by_the_database(chile):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_request(consent=False)


PEERS = ["CHL", "IRL", "GBR", "FRA", "CAN", "KEN", "MEX"]


def test_valid_requests_are_limited_per_email_from_any_network(client, real_data, db):
    peers = PEERS[: REQUESTS_PER_EMAIL.limit + 1]
    responses = [
        client.post(REQUEST_URL, request_data(peer=peer), REMOTE_ADDR=f"10.0.0.{number}")
        for number, peer in enumerate(peers)
    ]

    assert [r.status_code for r in responses] == [302] * REQUESTS_PER_EMAIL.limit + [429]
    assert 3590 <= int(responses[-1]["Retry-After"]) <= 3600
    assert "Too many introduction requests" in responses[-1].content.decode()
    assert "try again in about 60 minutes" in responses[-1].content.decode()
    assert IntroductionRequest.objects.count() == REQUESTS_PER_EMAIL.limit


def test_invalid_posts_naming_someone_never_lock_that_person_out(client, chile):
    for number in range(REQUESTS_PER_EMAIL.limit + 5):
        response = client.post(
            REQUEST_URL, request_data(consent=None), REMOTE_ADDR=f"198.51.100.{number}"
        )
        assert response.status_code == 400

    response = client.post(REQUEST_URL, request_data(), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    assert IntroductionRequest.objects.get().email == "lucia@example.org"


def test_every_post_from_one_network_counts_valid_or_not(client, chile):
    for number in range(REQUEST_ATTEMPTS.limit):
        overrides = {"email": f"person{number}@example.org"}
        if number % 2:
            overrides["consent"] = None
        client.post(REQUEST_URL, request_data(**overrides))

    response = client.post(REQUEST_URL, request_data(email="another@example.org"))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Send my request" not in response.content.decode()
    assert IntroductionRequest.objects.count() == REQUEST_ATTEMPTS.limit // 2
    other_network = client.post(
        REQUEST_URL, request_data(email="another@example.org"), REMOTE_ADDR="192.0.2.1"
    )
    assert other_network.status_code == 302


def test_the_limit_per_email_holds_across_two_workers(client, real_data, db, monkeypatch):
    # Before: each gunicorn worker counted on its own, and 7 requests passed a limit of 5.
    with two_workers(monkeypatch):
        codes = [
            client.post(REQUEST_URL, request_data(peer=peer), REMOTE_ADDR=f"10.0.0.{n}").status_code
            for n, peer in enumerate(PEERS)
        ]

    assert codes == [302] * REQUESTS_PER_EMAIL.limit + [429, 429]
    assert IntroductionRequest.objects.count() == REQUESTS_PER_EMAIL.limit


# Following and rating -------------------------------------------------------------


def test_an_unknown_status_link_is_not_found(client, real_data, db):
    response = client.get(reverse("learning:introduction_status", args=["no-such-token"]))

    assert response.status_code == 404


def test_the_requester_sees_each_status_change_but_never_the_brokers_notes(client, chile):
    introduction = make_request()
    introduction.move_to(IntroductionStatus.CONTACTED, note="Called Ms Rojas at the ministry.")

    html = client.get(introduction.get_absolute_url()).content.decode()

    assert 'Status: <span class="introduction__status">Peer contacted</span>' in html
    assert 'aria-current="step">2. ' not in html  # the number comes from CSS, not the text
    assert 'aria-current="step">Peer contacted<' in html
    assert "Called Ms Rojas" not in html
    assert "Was this introduction useful?" not in html


def test_rating_is_refused_before_the_introduction(client, chile):
    introduction = make_request()

    response = client.post(introduction.get_absolute_url(), {"rating": "5"})

    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.rating is None


def test_after_the_introduction_the_requester_rates_it_and_can_change_it(client, chile):
    introduction = make_request()
    introduction.move_to(IntroductionStatus.INTRODUCED)
    url = introduction.get_absolute_url()
    assert "Was this introduction useful?" in client.get(url).content.decode()

    response = client.post(url, {"rating": "4", "rating_comment": "They shared their law."})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert (introduction.rating, introduction.rating_comment) == (4, "They shared their law.")

    client.post(url, {"rating": "5", "rating_comment": ""})
    introduction.refresh_from_db()
    assert introduction.rating == 5
    assert "You rated it <strong>5 out of 5</strong>" in client.get(url).content.decode()


@pytest.mark.parametrize("rating", ["", "0", "6", "five"])
def test_a_rating_outside_1_to_5_is_refused(client, chile, rating):
    introduction = make_request()
    introduction.move_to(IntroductionStatus.INTRODUCED)

    response = client.post(introduction.get_absolute_url(), {"rating": rating})

    assert response.status_code == 400
    introduction.refresh_from_db()
    assert introduction.rating is None


def test_a_closed_introduction_can_still_be_rated(client, chile):
    introduction = make_request()
    introduction.move_to(IntroductionStatus.INTRODUCED)
    introduction.move_to(IntroductionStatus.CLOSED)

    client.post(introduction.get_absolute_url(), {"rating": "2"})

    introduction.refresh_from_db()
    assert introduction.rating == 2


# The dashboard --------------------------------------------------------------------


@pytest.fixture
def lucia(real_data, db):
    return UserFactory(email="lucia@example.org")


def test_the_dashboard_lists_the_requesters_introductions_with_their_status(client, lucia):
    asked_signed_out = make_request()  # same email, before they had an account
    asked_signed_in = make_request(
        requester=lucia,
        email="other-address@example.org",
        peer_country=Country.objects.get(iso3="IRL"),
    )
    asked_signed_in.move_to(IntroductionStatus.INTRODUCED)
    make_request(email="someone-else@example.org", peer_country=Country.objects.get(iso3="GBR"))
    client.force_login(lucia)

    html = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Your introduction requests" in html
    assert asked_signed_out.get_absolute_url() in html
    assert asked_signed_in.get_absolute_url() in html
    assert "United Kingdom" not in html
    assert "Rate the introduction" in html


def test_a_request_made_signed_in_with_someone_elses_address_stays_off_the_dashboard(client, lucia):
    # Otherwise the dashboard would show a new request but not a repeat, telling the poster
    # whether that address had already asked.
    client.force_login(lucia)

    response = client.post(REQUEST_URL, request_data(email="someone-else@example.org"))
    own = client.post(REQUEST_URL, request_data(peer="IRL"))

    assert response.status_code == own.status_code == 302
    requests = {r.email: r.requester for r in IntroductionRequest.objects.all()}
    assert requests == {"someone-else@example.org": None, "lucia@example.org": lucia}
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Reformers in Ireland" in html
    assert "Reformers in Chile" not in html


def test_the_dashboard_lists_fellowship_applications_with_their_status(client, lucia, home):
    index = FellowshipIndexPage.objects.get()
    fellowship = FellowshipPageFactory(
        parent=index,
        title="Lobbying register placement",
        host_country=Country.objects.get(iso3="CHL"),
    )
    FellowshipApplication.objects.create(
        fellowship=fellowship,
        name="Lucía",
        email="LUCIA@example.org",
        country=Country.objects.get(iso3="PRY"),
        institution="SENAC",
        role="Adviser",
        reform="Lobbying register",
        motivation="To learn.",
        consent_to_share=True,
        status="shortlisted",
    )
    FellowshipApplication.objects.create(
        fellowship=fellowship,
        name="Someone else",
        email="someone@example.org",
        country=Country.objects.get(iso3="PRY"),
        institution="X",
        role="Y",
        reform="Z",
        motivation="W",
        consent_to_share=True,
    )
    client.force_login(lucia)

    html = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Your fellowship applications" in html
    assert "Lobbying register placement" in html
    assert '<span class="application__status tag">Shortlisted</span>' in html
    assert html.count('class="application__status tag"') == 1
    # The status is written in the reader's language.
    french = client.get("/fr" + reverse("accounts:dashboard")).content.decode()
    assert '<span class="application__status tag">Présélectionnée</span>' in french


def test_the_dashboard_points_to_peers_when_there_is_nothing_yet(client, lucia):
    client.force_login(lucia)

    html = client.get(reverse("accounts:dashboard")).content.decode()

    assert "Your introduction requests" not in html
    assert "ask for an introduction" in html


def test_dashboard_queries_do_not_grow_with_requests(client, lucia, django_assert_max_num_queries):
    client.force_login(lucia)
    make_request()
    with django_assert_max_num_queries(50) as few:
        client.get(reverse("accounts:dashboard"))
    for iso3 in ("IRL", "GBR", "FRA", "CAN", "KEN"):
        make_request(peer_country=Country.objects.get(iso3=iso3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:dashboard"))


def test_a_mail_server_that_is_down_loses_no_request_and_shows_no_error(
    client, chile, settings, caplog
):
    # A real SMTP connection to a port where no mail server listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    response = client.post(REQUEST_URL, request_data(), follow=True)

    assert response.status_code == 200
    assert IntroductionRequest.objects.count() == 1
    assert "We received your request" in visible_text(response)
    # The email task failed where operators look (the worker's log, the task's result).
    assert any(
        record.name == "exchange.core.mail" and "lucia" not in record.getMessage()
        for record in caplog.records
        if record.levelname == "ERROR"
    )


def test_brokers_are_told_of_a_new_request_without_the_requesters_details(
    client, chile, django_user_model
):
    broker = django_user_model.objects.create_user("broker", "broker@example.org", "pw-b-1")
    broker.groups.add(Group.objects.get(name="Introduction brokers"))
    django_user_model.objects.create_user("former", "former@example.org", "pw", is_active=False)

    client.post(REQUEST_URL, request_data())

    introduction = IntroductionRequest.objects.get()
    to_brokers = [m for m in mail.outbox if m.to == ["broker@example.org"]]
    assert len(to_brokers) == 1
    assert to_brokers[0].subject == "New introduction request: Paraguay → Chile on Lobbying"
    assert f"/admin/peer_introductions/broker/{introduction.pk}/" in to_brokers[0].body
    assert "lucia@example.org" not in to_brokers[0].body
    assert "Lucía" not in to_brokers[0].body
    assert all("former@example.org" not in m.to for m in mail.outbox)

"""Learner accounts: sign up, verify the address, log in and out, reset a password."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from learning.accounts import tokens
from learning.accounts.views import SIGNUPS

User = get_user_model()

PASSWORD = "Reform-learner-2026"
SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
VERIFY_LINK = re.compile(r"http://testserver(/accounts/verify/[^/\s]+/)")
RESET_LINK = re.compile(r"http://testserver(/accounts/password-reset/[^/\s]+/[^/\s]+/)")

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def sign_up(client, email="Ana.Reformer@Example.org", password=PASSWORD, name="Ana Reformer"):
    return client.post(
        SIGNUP, {"name": name, "email": email, "password1": password, "password2": password}
    )


def link_in(message, pattern=VERIFY_LINK) -> str:
    match = pattern.search(message.body)
    assert match, message.body
    return match.group(1)


def log_in(client, email="ana.reformer@example.org", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def unverified_learner(email="ana.reformer@example.org"):
    user = User(username=email, email=email, first_name="Ana Reformer", is_active=False)
    user.set_password(PASSWORD)
    user.save()
    return user


def token_issued(user, seconds_ago: float, monkeypatch) -> str:
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - seconds_ago)
    try:
        return tokens.make_token(user)
    finally:
        monkeypatch.setattr(time, "time", real_time)


# --- Signing up and verifying ---------------------------------------------------------------


def test_signup_emails_a_verification_link_and_the_account_waits_for_it(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done/"
    user = User.objects.get()
    assert user.username == user.email == "ana.reformer@example.org"
    assert user.get_full_name() == "Ana Reformer"
    assert not user.is_active
    assert user.check_password(PASSWORD)
    done = client.get(response["Location"])
    assert "We have sent a link to ana.reformer@example.org" in text(done)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.reformer@example.org"]
    assert message.subject == "Verify your email address for Reform Exchange"
    assert "works for 3 days" in message.body
    assert link_in(message).startswith("/accounts/verify/")


def test_learner_signs_up_verifies_logs_in_and_reaches_the_dashboard(client):
    sign_up(client)
    refused = log_in(client)
    assert refused.status_code == 200
    assert "Please verify your email address first" in text(refused)

    verified = client.get(link_in(mail.outbox[0]))

    assert verified.status_code == 302
    assert verified["Location"] == LOGIN
    login_page = client.get(LOGIN)
    assert "your email address is verified" in text(login_page)
    # The address is filled in: only the password is left to type.
    assert soup(login_page).select_one("#id_username")["value"] == "ana.reformer@example.org"
    assert soup(login_page).select_one("#id_password").has_attr("autofocus")
    assert not soup(login_page).select_one("#id_username").has_attr("autofocus")
    assert User.objects.get().is_active

    logged_in = log_in(client, email="ANA.Reformer@example.ORG")

    assert logged_in.status_code == 302
    assert logged_in["Location"] == "/accounts/dashboard/"
    dashboard = client.get("/accounts/dashboard/")
    assert dashboard.status_code == 200
    assert "You have not enrolled in a course yet" in text(dashboard)
    assert soup(dashboard).find("a", string=re.compile("Browse the courses"))["href"] == "/courses/"


def test_signup_with_an_address_that_has_an_account_emails_its_owner_instead(client):
    unverified_learner("ana.reformer@example.org")

    response = sign_up(client, email="  ANA.Reformer@example.org ", password="Another-pass-2027")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/done/"
    done = client.get(response["Location"])
    assert "We have sent a link to ana.reformer@example.org" in text(done)
    assert User.objects.count() == 1
    account = User.objects.get()
    assert not account.check_password("Another-pass-2027")  # the poster sets nothing
    [message] = mail.outbox
    assert message.to == ["ana.reformer@example.org"]
    assert message.subject == "You already have a Reform Exchange account"
    assert "perhaps you, just tried to create" in message.body
    assert "The account was never verified" in message.body
    assert "http://testserver/accounts/password-reset/" in message.body


def test_the_owner_of_an_address_takes_back_an_account_someone_else_started(client):
    """Pre-hijacking: someone signs up with Ana's address and never verifies. When Ana signs
    up, that password stops working, no link sent for it verifies anything, and Ana chooses
    her own password through the emailed link, which verifies her address."""
    sign_up(client, email="ana.reformer@example.org", password="Squatter-pass-2026")
    squatters_link = link_in(mail.outbox[0])
    cache.clear()  # a minute later (one account email per address per minute)

    sign_up(client, email="ana.reformer@example.org", password="Anas-own-pass-2026")

    assert client.get(squatters_link).status_code == 400
    assert not User.objects.get().is_active
    reset = client.post("/accounts/password-reset/", {"email": "ana.reformer@example.org"})
    assert reset.status_code == 302
    form_url = client.get(link_in(mail.outbox[-1], RESET_LINK))["Location"]
    new_password = {"new_password1": "Anas-own-pass-2026", "new_password2": "Anas-own-pass-2026"}
    assert client.post(form_url, new_password).status_code == 302
    account = User.objects.get()
    assert account.is_active
    assert not account.check_password("Squatter-pass-2026")
    assert log_in(client, password="Squatter-pass-2026").status_code == 200  # refused
    assert log_in(client, password="Anas-own-pass-2026")["Location"] == "/accounts/dashboard/"


def test_signup_with_an_editors_address_tells_the_editor_how_to_log_in(client, editor):
    response = sign_up(client, email="Editor@Example.org")

    assert response["Location"] == "/accounts/signup/done/"
    assert User.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "http://testserver/accounts/login/" in message.body
    assert "http://testserver/accounts/password-reset/" in message.body
    assert "never verified" not in message.body


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        ("Short1!", "Short1!", "This password is too short"),
        ("password123", "password123", "This password is too common"),
        ("8437190265", "8437190265", "This password is entirely numeric"),
        ("ana.reformer", "ana.reformer", "too similar to the"),
        (PASSWORD, PASSWORD + "x", "The two password fields didn’t match"),
    ],
    ids=["short", "common", "numeric", "like-the-address", "mismatch"],
)
def test_signup_refuses_a_weak_or_mistyped_password(client, password, confirmation, message):
    response = client.post(
        SIGNUP,
        {
            "name": "Ana Reformer",
            "email": "ana.reformer@example.org",
            "password1": password,
            "password2": confirmation,
        },
    )

    assert response.status_code == 200
    assert message in text(response)
    assert "Please correct the field marked below" in text(response)
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_form_is_labelled_and_protected_by_csrf(client):
    page = soup(client.get(SIGNUP))

    form = page.select_one("form.account-form")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    for name in ("name", "email", "password1", "password2"):
        field = form.select_one(f"[name={name}]")
        assert page.select_one(f"label[for={field['id']}]").get_text(strip=True)
    assert form.select_one("[name=email]")["autocomplete"] == "email"
    assert form.select_one("[name=password1]")["autocomplete"] == "new-password"
    csrf_client = type(client)(enforce_csrf_checks=True)
    assert sign_up(csrf_client).status_code == 403


def test_reused_link_says_the_address_is_already_verified(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    client.get(link)

    again = client.get(link, follow=True)

    assert again.redirect_chain == [(LOGIN, 302)]
    assert "Your email address is already verified: log in below." in text(again)


def test_expired_link_offers_to_send_a_new_one(client, monkeypatch):
    user = unverified_learner()
    token = token_issued(user, tokens.MAX_AGE.total_seconds() + 60, monkeypatch)

    response = client.get(f"/accounts/verify/{token}/")

    assert response.status_code == 410
    page = soup(response)
    assert page.h1.get_text() == "This verification link has expired"
    form = page.select_one("form.account-form")
    assert form["action"] == "/accounts/verify/resend/"
    assert form.select_one("#id_email")["value"] == "ana.reformer@example.org"
    user.refresh_from_db()
    assert not user.is_active

    client.post("/accounts/verify/resend/", {"email": "ana.reformer@example.org"})
    assert client.get(link_in(mail.outbox[0])).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_link_still_works_just_before_it_expires(client, monkeypatch):
    user = unverified_learner()
    token = token_issued(user, tokens.MAX_AGE.total_seconds() - 60, monkeypatch)

    assert client.get(f"/accounts/verify/{token}/").status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_expired_link_of_a_verified_account_says_it_is_verified(client, monkeypatch):
    user = unverified_learner()
    token = token_issued(user, tokens.MAX_AGE.total_seconds() + 60, monkeypatch)
    User.objects.filter(pk=user.pk).update(is_active=True)

    response = client.get(f"/accounts/verify/{token}/", follow=True)

    assert "already verified" in text(response)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token[: len(token) // 2],
        lambda token: "not-a-token",
        lambda token: token.replace(":", "", 1),
    ],
    ids=["changed-signature", "cut-short", "garbage", "broken-format"],
)
def test_tampered_link_gets_a_400_page_and_verifies_nothing(client, tamper):
    user = unverified_learner()

    response = client.get(f"/accounts/verify/{tamper(tokens.make_token(user))}/")

    assert response.status_code == 400
    assert soup(response).h1.get_text() == "This verification link is not valid"
    assert soup(response).find("a", string="ask for a new link")
    user.refresh_from_db()
    assert not user.is_active


def test_link_stops_working_when_its_account_or_address_is_gone(client):
    changed = unverified_learner("first@example.org")
    deleted = unverified_learner("second@example.org")
    changed_token, deleted_token = tokens.make_token(changed), tokens.make_token(deleted)
    User.objects.filter(pk=changed.pk).update(email="other@example.org")
    deleted.delete()

    assert client.get(f"/accounts/verify/{changed_token}/").status_code == 400
    assert client.get(f"/accounts/verify/{deleted_token}/").status_code == 400
    assert not User.objects.get(pk=changed.pk).is_active


def test_link_cannot_reopen_an_account_staff_closed(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    client.get(link)
    log_in(client)
    client.post("/accounts/logout/")
    user = User.objects.get()
    user.is_active = False  # staff closed the account after the learner had used it
    user.save()

    response = client.get(link, follow=True)

    assert "already verified" in text(response)
    user.refresh_from_db()
    assert not user.is_active
    refused = log_in(client)
    assert "This account has been closed" in text(refused)
    assert "_auth_user_id" not in client.session


# --- Resending the link ---------------------------------------------------------------------


def test_resend_emails_a_new_link_to_an_account_awaiting_verification(client):
    unverified_learner()

    response = client.post(
        "/accounts/verify/resend/", {"email": "Ana.Reformer@example.org"}, follow=True
    )

    assert "we have sent it a new link" in text(response)
    assert [message.to for message in mail.outbox] == [["ana.reformer@example.org"]]
    assert client.get(link_in(mail.outbox[0])).status_code == 302
    assert User.objects.get().is_active


def test_resend_answers_the_same_whether_or_not_the_account_exists(client):
    unverified_learner()
    User.objects.create_user("verified@example.org", "verified@example.org", PASSWORD)

    answers = {}
    for email in ("ana.reformer@example.org", "nobody@example.org", "verified@example.org"):
        response = client.post("/accounts/verify/resend/", {"email": email}, follow=True)
        answers[email] = text(response).replace(email, "ADDRESS")

    assert len(set(answers.values())) == 1
    assert [message.to for message in mail.outbox] == [["ana.reformer@example.org"]]


def test_resend_sends_at_most_one_email_a_minute_to_an_address(client):
    sign_up(client)
    for _ in range(3):
        response = client.post(
            "/accounts/verify/resend/", {"email": "ana.reformer@example.org"}, follow=True
        )
        assert "we have sent it a new link" in text(response)

    assert len(mail.outbox) == 1
    cache.clear()  # a minute later
    client.post("/accounts/verify/resend/", {"email": "ana.reformer@example.org"})
    assert len(mail.outbox) == 2


def test_login_page_of_an_unverified_account_links_to_resend(client):
    unverified_learner()

    response = log_in(client)

    alert = soup(response).select_one("[role=alert]")
    assert "Please verify your email address first" in alert.get_text()
    link = alert.find("a", string="Send me a new verification link")
    assert link["href"] == "/accounts/verify/resend/?email=ana.reformer%40example.org"
    resend_page = soup(client.get(link["href"]))
    assert resend_page.select_one("#id_email")["value"] == "ana.reformer@example.org"


# --- Logging in and out ---------------------------------------------------------------------


def test_unverified_account_with_a_wrong_password_looks_like_no_account(client):
    unverified_learner()

    wrong_password = text(log_in(client, password="not-the-password"))
    no_account = text(log_in(client, email="nobody@example.org"))

    assert "do not match an account" in wrong_password
    assert "verify" not in wrong_password
    assert wrong_password.replace("ana.reformer", "nobody") == no_account


def test_login_follows_a_safe_next_url_only(client):
    User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)

    inside = log_in(client, email="ana@example.org", next="/courses/open-contracting/")
    client.logout()
    outside = log_in(client, email="ana@example.org", next="https://evil.example/")

    assert inside["Location"] == "/courses/open-contracting/"
    assert outside["Location"] == "/accounts/dashboard/"


def test_editor_can_log_in_with_their_email_address(client, editor):
    response = log_in(client, email="EDITOR@example.org", password="pw-editor-1")

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == editor.pk


def test_logout_needs_a_post_with_a_csrf_token(client):
    user = User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)
    client.force_login(user)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/accounts/dashboard/").status_code == 200

    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert csrf_client.post("/accounts/logout/").status_code == 403
    assert csrf_client.get("/accounts/dashboard/").status_code == 200

    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/accounts/logged-out/", 302)]
    assert soup(response).h1.get_text() == "You have logged out"
    assert client.get("/accounts/dashboard/")["Location"] == (
        "/accounts/login/?next=/accounts/dashboard/"
    )


def test_header_shows_account_links_for_who_is_visiting(client, home):
    anonymous = soup(client.get("/"))
    account_nav = anonymous.select_one("nav[aria-label='Your account']")
    assert [a.get_text() for a in account_nav.select("a")] == ["Log in", "Sign up"]
    assert anonymous.select_one("nav[aria-label=Main] a[href='/courses/']").get_text() == "Courses"
    # Nothing per-visitor for anonymous readers, so the page cache can serve them all.
    assert not anonymous.select("header form[method=post]")

    client.force_login(User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD))
    learner = soup(client.get("/"))
    account_nav = learner.select_one("nav[aria-label='Your account']")
    assert [a.get_text() for a in account_nav.select("a")] == ["Dashboard"]
    logout = account_nav.select_one("form")
    assert (logout["method"], logout["action"]) == ("post", "/accounts/logout/")
    assert logout.select_one("input[name=csrfmiddlewaretoken]")
    assert logout.select_one("button").get_text() == "Log out"


@override_settings(PAGE_CACHE_SECONDS=300)
def test_anonymous_pages_stay_cacheable_with_the_account_links(client, home):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.get(LOGIN)


# --- Passwords ------------------------------------------------------------------------------


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)

    response = client.post("/accounts/password-reset/", {"email": "ANA@example.org"})

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Reform Exchange password"
    assert message.to == ["ana@example.org"]
    confirm = client.get(link_in(message, RESET_LINK), follow=True)
    assert soup(confirm).h1.get_text() == "Choose a new password"
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Another-long-one-77", "new_password2": "Another-long-one-77"},
        follow=True,
    )
    assert soup(done).h1.get_text() == "Your password has been changed"
    assert (
        log_in(client, email="ana@example.org", password="Another-long-one-77").status_code == 302
    )
    # The link works once.
    reused = client.get(link_in(message, RESET_LINK), follow=True)
    assert soup(reused).h1.get_text() == "This reset link is not valid"


def test_password_reset_tells_nobody_whether_an_address_has_an_account(client):
    User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)

    known = client.post("/accounts/password-reset/", {"email": "ana@example.org"}, follow=True)
    unknown = client.post("/accounts/password-reset/", {"email": "no@example.org"}, follow=True)

    assert text(known) == text(unknown)
    assert len(mail.outbox) == 1


# --- The admin ------------------------------------------------------------------------------


def test_learner_cannot_open_admin(client):
    sign_up(client)
    client.get(link_in(mail.outbox[0]))
    log_in(client)
    learner = User.objects.get()
    assert not learner.is_staff
    assert not learner.is_superuser
    assert not learner.groups.exists()
    assert not learner.has_perm("wagtailadmin.access_admin")

    for url in ("/admin/", "/admin/pages/", "/admin/snippets/casestudies/country/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), url
    assert client.get("/admin/", follow=True).templates[0].name != "wagtailadmin/home.html"


def test_dashboard_needs_a_login(client):
    response = client.get("/accounts/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/dashboard/"


def test_sign_ups_from_one_network_are_limited(client, db):
    for number in range(SIGNUPS.limit - 1):
        assert sign_up(client, email=f"person{number}@example.org").status_code == 302
    assert sign_up(client, email="typo", password="x").status_code == 200  # attempts count

    response = sign_up(client, email="one-more@example.org")

    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert "Too many sign-ups were sent from your network" in text(response)
    assert "try again in about 60 minutes" in text(response)
    assert not User.objects.filter(email="one-more@example.org").exists()
    # Another network is not affected.
    other = client.post(
        SIGNUP,
        {"name": "B", "email": "b@example.org", "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR="192.0.2.77",
    )
    assert other.status_code == 302


def test_a_signed_in_learner_changes_their_password(client, learner_client, learner):
    page = learner_client.get("/accounts/dashboard/")
    assert 'href="/accounts/password/"' in page.content.decode()

    wrong = learner_client.post(
        "/accounts/password/",
        {
            "old_password": "not-it",
            "new_password1": "A-new-pass-2027",
            "new_password2": "A-new-pass-2027",
        },
    )
    assert wrong.status_code == 200
    assert "old password was entered incorrectly" in text(wrong)

    response = learner_client.post(
        "/accounts/password/",
        {
            "old_password": "pw-learner-1",
            "new_password1": "A-new-pass-2027",
            "new_password2": "A-new-pass-2027",
        },
        follow=True,
    )
    assert "Your password is changed." in text(response)
    assert response.wsgi_request.user.is_authenticated  # still signed in here
    learner.refresh_from_db()
    assert learner.check_password("A-new-pass-2027")


def test_changing_a_password_needs_a_sign_in(client, db):
    response = client.get("/accounts/password/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url

"""Log-in throttling on the learners' and the admin's log-in pages.

Before: 30 wrong passwords, then the right one, logged in.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.core import mail

from learning.accounts.throttling import FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS
from tests.learning.cache_workers import two_workers

User = get_user_model()

PASSWORD = "Reform-learner-2026"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PER_ACCOUNT = FAILURES_PER_ACCOUNT.limit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def log_in(client, email="ana@example.org", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def admin_log_in(client, username="editor", password="pw-editor-1", **extra):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def ana(db):
    return User.objects.create_user("ana@example.org", "ana@example.org", PASSWORD)


def assert_paused(response):
    assert response.status_code == 429
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "Too many failed log-in attempts for this account or from your network" in text(response)
    assert "try again in about 15 minutes" in text(response)


# --- The learners' log-in ------------------------------------------------------------------


def test_after_ten_wrong_passwords_even_the_right_one_is_refused(client, ana):
    for _ in range(PER_ACCOUNT):
        wrong = log_in(client, password="guess")
        assert wrong.status_code == 200
        assert "do not match an account" in text(wrong)

    response = log_in(client)

    assert_paused(response)
    assert not logged_in(client)


def test_a_paused_log_in_checks_no_password(client, ana, monkeypatch):
    for _ in range(PER_ACCOUNT):
        log_in(client, password="guess")
    hasher = type(get_hasher())
    calls = []
    real_encode = hasher.encode
    monkeypatch.setattr(hasher, "encode", lambda *a, **k: calls.append(1) or real_encode(*a, **k))

    log_in(client)

    assert calls == []


def test_the_address_is_counted_in_any_case_and_spacing(client, ana):
    for number in range(PER_ACCOUNT):
        log_in(client, email=" ANA@example.org" if number % 2 else "ana@EXAMPLE.org", password="x")

    assert_paused(log_in(client))


def test_a_successful_log_in_forgets_the_accounts_failures(client, ana):
    for _ in range(PER_ACCOUNT - 1):
        log_in(client, password="guess")
    assert log_in(client).status_code == 302
    client.post("/accounts/logout/")

    for _ in range(PER_ACCOUNT - 1):
        log_in(client, password="guess")

    assert log_in(client).status_code == 302


def test_a_paused_account_does_not_pause_others(client, ana):
    User.objects.create_user("tomas@example.org", "tomas@example.org", PASSWORD)
    for _ in range(PER_ACCOUNT):
        log_in(client, password="guess")

    assert log_in(client, email="tomas@example.org").status_code == 302


def test_an_unknown_address_is_paused_exactly_like_a_real_account(client, ana):
    for email in ("ana@example.org", "nobody@example.org"):
        for _ in range(PER_ACCOUNT):
            log_in(client, email=email, password="guess")

    real = log_in(client, email="ana@example.org")
    unknown = log_in(client, email="nobody@example.org")

    assert_paused(real)
    assert_paused(unknown)
    assert text(real) == text(unknown)


def test_an_unverified_account_is_paused_too(client):
    user = User(username="new@example.org", email="new@example.org", is_active=False)
    user.set_password(PASSWORD)
    user.save()
    for _ in range(PER_ACCOUNT):
        assert "do not match" in text(log_in(client, email="new@example.org", password="guess"))

    response = log_in(client, email="new@example.org")

    assert_paused(response)
    assert "verify" not in text(response)


def test_one_network_is_paused_after_many_failures_across_accounts(client, ana):
    for number in range(FAILURES_PER_ADDRESS.limit):
        log_in(client, email=f"someone{number}@example.org", password="guess")

    assert_paused(log_in(client))
    assert log_in(client, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_a_password_reset_through_the_emailed_link_ends_the_pause(client, ana):
    for _ in range(PER_ACCOUNT):
        log_in(client, password="guess")
    client.post("/accounts/password-reset/", {"email": "ana@example.org"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body)
    confirm = client.get(link.group(1), follow=True)
    client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Another-long-one-77", "new_password2": "Another-long-one-77"},
    )

    assert log_in(client, password="Another-long-one-77").status_code == 302


def test_the_pause_holds_across_two_workers(client, ana, monkeypatch):
    with two_workers(monkeypatch):
        for _ in range(PER_ACCOUNT):
            log_in(client, password="guess")

        assert_paused(log_in(client))


# --- Wagtail's admin log-in ------------------------------------------------------------------


def test_admin_log_in_is_paused_after_ten_wrong_passwords(client, editor):
    for _ in range(PER_ACCOUNT):
        wrong = admin_log_in(client, password="guess")
        assert wrong.status_code == 200
        assert "Your username and password didn't match" in text(wrong)

    response = admin_log_in(client)

    assert_paused(response)
    assert response.templates[0].name == "wagtailadmin/login.html"
    assert not logged_in(client)


def test_admin_log_in_success_forgets_the_failures(client, editor):
    for _ in range(PER_ACCOUNT - 1):
        admin_log_in(client, password="guess")
    assert admin_log_in(client).status_code == 302
    client.logout()

    for _ in range(PER_ACCOUNT - 1):
        admin_log_in(client, password="guess")

    assert admin_log_in(client).status_code == 302


def test_admin_and_learner_log_ins_count_together(client, editor):
    # An editor logs in with a username on the admin page, or their address on the learners'.
    for _ in range(PER_ACCOUNT // 2):
        admin_log_in(client, username="editor", password="guess")
        log_in(client, email="editor@example.org", password="guess")

    assert_paused(admin_log_in(client))
    assert_paused(log_in(client, email="editor@example.org", password="pw-editor-1"))

"""Nobody learns from our answers, or from how long they take, who has an account.

Applications and introduction requests answer the same for a repeat as for a new one: see
test_fellowships.py and test_introductions.py. Here: sign-up, and the time a log-in takes,
measured in runs of the password hasher (what made an unverified account's refusal take
twice as long: it ran twice).
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.core import mail

User = get_user_model()

PASSWORD = "Reform-learner-2026"

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def hasher_runs(monkeypatch):
    """How many times the password hasher ran (making or checking a password)."""
    hasher = type(get_hasher())
    runs = []
    real_encode = hasher.encode

    def counted(self, *args, **kwargs):
        runs.append(1)
        return real_encode(self, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counted)
    return runs


def make_user(email, *, active=True, verified=True):
    user = User(username=email, email=email, first_name="Ana", is_active=active)
    user.set_password(PASSWORD)
    user.save()
    if verified and not active:  # closed by staff after use: it has logged in before
        User.objects.filter(pk=user.pk).update(last_login="2026-01-01T00:00:00Z")
    return user


def sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"name": "Ana Reformer", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


def test_sign_up_answers_the_same_for_a_new_and_an_existing_address(client):
    make_user("taken@example.org", active=False, verified=False)

    new = sign_up(client, "new@example.org")
    taken = sign_up(client, "taken@example.org")

    assert new.redirect_chain == taken.redirect_chain == [("/accounts/signup/done/", 302)]
    assert [t.name for t in new.templates] == [t.name for t in taken.templates]
    assert visible_text(new).replace("new@", "X@") == visible_text(taken).replace("taken@", "X@")
    assert [m.to for m in mail.outbox] == [["new@example.org"], ["taken@example.org"]]
    assert "Verify your email address" in mail.outbox[0].subject
    assert "You already have a Reform Exchange account" in mail.outbox[1].subject


def test_sign_up_runs_the_hasher_once_whether_or_not_the_address_is_taken(client, hasher_runs):
    make_user("taken@example.org")
    hasher_runs.clear()

    sign_up(client, "new@example.org")
    new_runs = len(hasher_runs)
    sign_up(client, "taken@example.org")

    assert new_runs == 1
    assert len(hasher_runs) - new_runs == 1


@pytest.mark.parametrize(
    ("account", "password"),
    [
        (None, "wrong-password"),
        ("active", "wrong-password"),
        ("active", PASSWORD),
        ("unverified", "wrong-password"),
        ("unverified", PASSWORD),
        ("closed", "wrong-password"),
        ("closed", PASSWORD),
    ],
)
def test_every_log_in_runs_the_hasher_exactly_once(client, hasher_runs, account, password):
    if account is not None:
        make_user("ana@example.org", active=account == "active", verified=account != "unverified")
    hasher_runs.clear()

    client.post("/accounts/login/", {"username": "ana@example.org", "password": password})

    assert len(hasher_runs) == 1


def test_admin_log_in_runs_the_hasher_exactly_once_too(client, hasher_runs):
    make_user("unverified@example.org", active=False, verified=False)
    hasher_runs.clear()

    for username in ("unverified@example.org", "nobody@example.org"):
        client.post("/admin/login/", {"username": username, "password": PASSWORD})

    assert len(hasher_runs) == 2

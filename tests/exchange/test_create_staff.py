"""`manage.py create_staff`: Support Unit accounts in the right groups, no password typed."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

User = get_user_model()
LINK = re.compile(r"http://\S+(/accounts/password-reset/\S+/\S+/)")


def create_staff(*args) -> str:
    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def test_a_new_broker_chooses_a_password_through_the_link_and_reaches_the_queue(client, home):
    output = create_staff("--email", " Beatriz@Example.org ", "--role", "broker", "--name", "B S")

    user = User.objects.get(email="beatriz@example.org")
    assert [group.name for group in user.groups.all()] == ["Introduction brokers"]
    assert not user.has_usable_password()
    form_url = client.get(LINK.search(output).group(1))["Location"]
    chosen = {"new_password1": "Broker-pass-2026", "new_password2": "Broker-pass-2026"}
    assert client.post(form_url, chosen).status_code == 302
    client.post(
        "/admin/login/", {"username": "beatriz@example.org", "password": "Broker-pass-2026"}
    )
    assert client.get("/admin/peer_introductions/").status_code == 200


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("editor", "Editors"),
        ("moderator", "Moderators"),
        ("reviewer", "Fellowship reviewers"),
        ("broker", "Introduction brokers"),
    ],
)
def test_each_role_is_its_group(role, group):
    create_staff("--email", "staff@example.org", "--role", role)

    assert list(User.objects.get().groups.values_list("name", flat=True)) == [group]


def test_roles_are_added_to_an_existing_account_without_a_new_link(editor):
    output = create_staff("--email", "editor@example.org", "--role", "reviewer", "--role", "editor")

    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Fellowship reviewers"}
    assert User.objects.count() == 1
    assert "already had an account" in output
    assert "/accounts/password-reset/" not in output
    assert editor.check_password("pw-editor-1")


def test_a_bad_address_or_role_is_refused_and_creates_nothing():
    with pytest.raises(CommandError, match="not an email address"):
        create_staff("--email", "not-an-address", "--role", "editor")
    with pytest.raises(CommandError):
        create_staff("--email", "a@example.org", "--role", "admin")
    assert not User.objects.exists()

"""Every email leaves through exchange.core.mail: a task, enqueued once the transaction commits.

In production the task waits in the database (django-tasks-db) until `manage.py db_worker`
sends it; development and tests run it at once, after the commit.
"""

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.db import transaction
from django_tasks.signals import task_enqueued
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from exchange.core import mail

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Ana Reformer",
    "email": "ana.reformer@example.org",
    "password1": "Reform-learner-2026",
    "password2": "Reform-learner-2026",
}


@pytest.fixture
def enqueued():
    """Names of the tasks enqueued during the test."""
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_email_leaves_only_after_the_commit_through_the_task(
    django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail.send("Your\n request", "Body", ["a@example.org", "a@example.org"])
        assert outbox.outbox == []
        assert enqueued == []

    assert enqueued == ["send_email"]
    [message] = outbox.outbox
    assert message.subject == "Your request"
    assert message.to == ["a@example.org"]


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks, enqueued):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail.send("Never", "Body", ["a@example.org"])
        raise RuntimeError("the write failed")

    assert enqueued == []
    assert outbox.outbox == []


def test_with_the_database_queue_a_request_only_enqueues_and_the_worker_sends(
    client, database_queue, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)

    assert response.status_code == 302
    assert outbox.outbox == []  # the learner did not wait on the mail server
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "exchange.core.mail.send_email"
    assert queued.status == "READY"

    # The worker checks its connection between tasks; inside the test's transaction that
    # would end the transaction, so it is left alone here.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    [message] = outbox.outbox
    assert message.to == ["ana.reformer@example.org"]
    assert "/accounts/verify/" in message.body
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


def test_links_in_emails_use_the_public_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_URL = "https://exchange.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", SIGNUP)

    [message] = outbox.outbox
    assert "https://exchange.example.org/accounts/verify/" in message.body
    assert "testserver" not in message.body

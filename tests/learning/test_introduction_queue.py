"""A posted introduction request costs the same whether it is new or repeats an open one:
the request checks the form and queues `take_request`; the worker does the rest (issue 10:
a new request used to take visibly longer, telling who had already asked)."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from learning.models import IntroductionRequest
from tests.learning.test_introductions import REQUEST_URL, make_request, request_data

pytestmark = pytest.mark.django_db


def post_and_capture(**overrides):
    """The SQL statements of one post, from a new visitor (no session yet)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(REQUEST_URL, request_data(**overrides))
    assert response.status_code == 302
    return [query["sql"].split()[0] for query in queries.captured_queries]


def test_a_repeat_does_the_same_work_in_the_request_as_a_new_request(real_data, database_queue):
    make_request()  # Lucía already asked
    # The shared caches warm, as on a live site (the site frame: exchange.site_frame).
    assert Client().get("/countries/").status_code == 200

    repeat = post_and_capture()
    new = post_and_capture(email="someone.new@example.org")

    assert repeat == new  # the same statements, in the same order
    assert IntroductionRequest.objects.count() == 1  # nothing saved yet: only queued
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="take_request").count() == 2


def test_the_worker_saves_the_request_and_sends_its_emails(
    client, real_data, database_queue, django_capture_on_commit_callbacks
):
    client.post(REQUEST_URL, request_data())
    assert not IntroductionRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        database_queue()  # saves the request, queues its email once that commits
    assert mail.outbox == []
    database_queue()  # sends it

    introduction = IntroductionRequest.objects.get()
    assert introduction.email == "lucia@example.org"
    [confirmation] = mail.outbox
    assert confirmation.to == ["lucia@example.org"]
    assert f"http://testserver/introductions/{introduction.access_token}/" in confirmation.body

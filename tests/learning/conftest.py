"""Shared learning fixtures: a small course with a quiz, learners, an enrolment."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.management.commands import db_worker

from learning.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    markdown_block,
    question,
    quiz_block,
)
from learning.models import CourseIndexPage, Enrollment, LessonPage

QUIZ_ID = "quiz-0001"


@pytest.fixture
def database_queue(settings, monkeypatch):
    """Tasks go to the database queue, as in production; returns a function that runs the
    worker over what is queued (once: call it again for tasks those tasks queued)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker checks its connection between tasks; inside the test's transaction that
    # would end the transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run_worker():
        call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    return run_worker


@pytest.fixture(autouse=True)
def each_request_commits(monkeypatch, django_capture_on_commit_callbacks):
    """Run what a request leaves for "on commit" (emails, index updates) when it ends.

    The site's requests are not wrapped in a transaction, so in production their writes
    commit as they go and their on-commit work (exchange.core.mail) runs before the response.
    A test runs inside a transaction that never commits; without this, no email a request
    sends would ever reach the outbox. tests/exchange/test_mail.py shows the real order.
    """
    request = Client.request

    def request_then_commit(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", request_then_commit)


def quiz_questions():
    """Question 0: one answer (choice 1 is right). Question 1: several (0 and 2 are right)."""
    return [
        question(
            "Who rates OGP commitments?",
            choices=[("The World Bank", False), ("The IRM", True), ("Parliament", False)],
            explanation="The Independent Reporting Mechanism assesses every action plan.",
        ),
        question(
            "What makes a commitment starred?",
            kind="multiple",
            choices=[
                ("Transformative potential", True),
                ("A big budget", False),
                ("Substantial completion", True),
            ],
            explanation="A star needs ambition and delivery, not money.",
        ),
    ]


@pytest.fixture
def course_index(home):
    return CourseIndexPage.objects.get()


def make_course(parent, title="Making commitments transformative", **kwargs):
    """Two modules: lessons 1 and 2, then lesson 3 with a two-question quiz (pass mark 50)."""
    course = CoursePageFactory(parent=parent, title=title, **kwargs)
    first = ModulePageFactory(parent=course, title="What the IRM measures")
    LessonPageFactory(parent=first, title="Specificity and ambition", body=[markdown_block()])
    LessonPageFactory(parent=first, title="Completion", body=[markdown_block()])
    second = ModulePageFactory(parent=course, title="Putting it together")
    LessonPageFactory(
        parent=second,
        title="Reading an IRM report",
        body=[markdown_block(), quiz_block(*quiz_questions(), pass_mark=50, block_id=QUIZ_ID)],
    )
    return course


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


@pytest.fixture
def quiz_lesson(lessons):
    return lessons[-1]


@pytest.fixture
def learner(db):
    return UserFactory(username="amina", first_name="Amina", last_name="Okafor")


@pytest.fixture
def other_learner(db):
    return UserFactory(username="tomas", first_name="Tomás", last_name="Rivera")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def enrollment(learner, course):
    return Enrollment.objects.create(user=learner, course=course)


RIGHT_ANSWERS = {"0": [1], "1": [0, 2]}


def wait_out_retake():
    """Age every quiz attempt past the wait before a retake, as if the learner came back later."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import F

    from learning.models import QuizAttempt

    wait = timedelta(minutes=settings.QUIZ_RETAKE_WAIT_MINUTES)
    QuizAttempt.objects.update(created_at=F("created_at") - wait)

"""Simultaneous learners and requesters: no error, and each "only one" rule holds.

The writers run in a separate process (tests/learning/concurrent_writers.py), each in
its own thread with its own connection, as under gunicorn. On SQLite the test database
lives in memory, which another process cannot open, so it is copied to a file first;
on PostgreSQL the process uses the test database itself. Either way the database
settings are those of site/settings/base.py for the URL, SQLite options included.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from casestudies.models import Country, Theme
from learning import progress
from learning.models import Certificate, IntroductionRequest
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS

WORKERS = Path(__file__).with_name("concurrent_writers.py")
# The answers as the quiz form posts them: q<question> = <choice>.
FORM_ANSWERS = {f"q{question}": choices for question, choices in RIGHT_ANSWERS.items()}

# Committed data, so another process sees it. Transactional tests run after all the others
# (pytest-django orders them as Django does) and end by emptying every table, so these
# create what they need rather than lean on the session's `real_data`, and start from the
# post-migration snapshot (Wagtail's root page, groups) that an earlier one emptied.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url(tmp_path: Path) -> str:
    """A URL another process can open, holding everything committed so far."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "db.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
            # As a site's database is once `migrate` has opened it. Left in rollback-journal
            # mode, the writers' connections would all switch it to WAL as they open, and
            # SQLite refuses that switch at once ("database is locked", without waiting out
            # the timeout) to all but one of them when they open together.
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"
    pytest.fail(f"no concurrency scenario for {connection.vendor}")


def run_writers(tmp_path: Path, scenario: str, arguments: dict) -> dict:
    completed = subprocess.run(
        [sys.executable, str(WORKERS), scenario, json.dumps(arguments, default=str)],
        env={
            **os.environ,
            "DATABASE_URL": database_url(tmp_path),
            "DJANGO_SETTINGS_MODULE": "exchange.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_ten_simultaneous_passes_of_the_last_quiz_give_no_error_and_one_certificate(
    tmp_path, learner, enrollment, lessons, quiz_lesson
):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    assert not Certificate.objects.exists()  # only the quiz is left

    result = run_writers(
        tmp_path,
        "quiz",
        {
            "user": learner.pk,
            "enrollment": enrollment.pk,
            "url": f"{quiz_lesson.url}quiz/{QUIZ_ID}/",
            "answers": FORM_ANSWERS,
            "count": 10,
        },
    )

    assert result["outcomes"] == [302] * 10, result["outcomes"]
    assert result["certificates"] == 1
    assert result["completed"] is True
    if connection.vendor == "sqlite":
        assert result["database_options"]["transaction_mode"] == "IMMEDIATE"


def test_ten_simultaneous_wrong_attempts_count_as_one_then_the_wait_holds(
    tmp_path, learner, enrollment, quiz_lesson
):
    wrong = {"q0": "0", "q1": "1"}
    result = run_writers(
        tmp_path,
        "quiz",
        {
            "user": learner.pk,
            "enrollment": enrollment.pk,
            "url": f"{quiz_lesson.url}quiz/{QUIZ_ID}/",
            "answers": wrong,
            "count": 10,
        },
    )
    assert result["outcomes"] == [302] * 10, result["outcomes"]
    assert result["attempts"] == 1  # nine guesses refused: the wait began with the first


def test_five_simultaneous_identical_introduction_requests_store_one(tmp_path):
    # The session's `real_data` is still there when this is the first transactional test
    # of its process (under pytest-xdist, which the others ran elsewhere): use it if so.
    region = {"region": "Latin America & Caribbean"}
    paraguay = Country.objects.get_or_create(iso3="PRY", defaults={"name": "Paraguay", **region})[0]
    chile = Country.objects.get_or_create(iso3="CHL", defaults={"name": "Chile", **region})[0]
    lobbying = Theme.objects.get_or_create(slug="lobbying", defaults={"name": "Lobbying"})[0]
    fields = {
        "name": "Lucía Benítez",
        "email": "lucia@example.org",
        "country_id": paraguay.pk,
        "organisation": "SENAC",
        "peer_country_id": chile.pk,
        "theme_id": lobbying.pk,
        "goal": "a public register of lobbyists",
        "what_to_learn": "What stalled.",
        "consent": True,
    }
    before = IntroductionRequest.objects.count()
    result = run_writers(tmp_path, "introductions", {"fields": fields, "count": 5})

    assert sorted(result["outcomes"]) == ["created"] + ["refused"] * 4, result["outcomes"]
    assert result["rows"] == before + 1

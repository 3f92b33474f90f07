"""Simultaneous writers in a process of their own, as gunicorn workers and threads are.

Run by tests/learning/test_concurrent_writers.py with `DATABASE_URL` pointing at a copy
of the test database (SQLite: a file, since an in-memory database cannot be shared with
another process) or at the test database itself (PostgreSQL). The settings are built
from that URL exactly as in production, so the SQLite options under test are the ones
of site/settings/base.py. Prints one JSON object: what each writer got, and the counts.

    python tests/learning/concurrent_writers.py quiz '{"user": 1, "url": "...", ...}'
    python tests/learning/concurrent_writers.py introductions '{"fields": {...}, ...}'
"""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import IntegrityError, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from learning.models import (  # noqa: E402
    Certificate,
    Enrollment,
    IntroductionRequest,
    QuizAttempt,
)

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host


def simultaneously(count: int, prepare, act) -> list:
    """Run `act(prepared)` in `count` threads released together; each outcome, or its error."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(position):
        try:
            prepared = prepare()
            barrier.wait(timeout=60)
            outcomes[position] = act(prepared)
        except Exception as error:  # the outcome under test: reported, not raised
            outcomes[position] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(position,)) for position in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def quiz(args: dict) -> dict:
    """The same learner passes a course's last quiz `count` times at once."""
    user = get_user_model().objects.get(pk=args["user"])

    def prepare():
        client = Client()
        client.force_login(user)
        return client

    def act(client):
        return client.post(args["url"], args["answers"]).status_code

    outcomes = simultaneously(args["count"], prepare, act)
    enrollment = Enrollment.objects.get(pk=args["enrollment"])
    return {
        "outcomes": outcomes,
        "certificates": Certificate.objects.filter(enrollment=enrollment).count(),
        "completed": enrollment.completed_at is not None,
        "attempts": QuizAttempt.objects.filter(enrollment=enrollment).count(),
    }


def introductions(args: dict) -> dict:
    """`count` identical introduction requests stored at once."""

    def act(_):
        try:
            with transaction.atomic():
                IntroductionRequest.objects.create(**args["fields"])
        except IntegrityError:
            return "refused"
        return "created"

    outcomes = simultaneously(args["count"], lambda: None, act)
    return {"outcomes": outcomes, "rows": IntroductionRequest.objects.count()}


if __name__ == "__main__":
    scenario, arguments = sys.argv[1], json.loads(sys.argv[2])
    result = {"quiz": quiz, "introductions": introductions}[scenario](arguments)
    result["database_options"] = connections["default"].settings_dict.get("OPTIONS", {})
    print(json.dumps(result))

"""Every email the site sends leaves through here: rendered in the request, sent by a task.

Why a task: sending means talking to a mail server, which can be slow or down, and a
learner signing up or a broker moving a request must not wait on it. `send` renders
nothing and sends nothing itself: it enqueues `send_email` (django-tasks). In production
the task goes to the database queue (`TASKS` in exchange.settings.production) and the
worker (`manage.py db_worker`, docs/operations.md) sends it; in development and tests the
immediate backend runs it at once, so `make run` prints mail to the console as before.

Why on commit: a request that rolls back must not have told anyone about what it did not
save, and a worker must never pick up an email before the rows it talks about are there.
Outside a transaction (Django's default for a request) "on commit" is now.

The request's language and address are fixed when the email is rendered, in the request;
the task only carries finished text (JSON), so the worker needs no request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)


def send(subject: str, body: str, to: Iterable[str]) -> None:
    """Send a plain-text email to `to` once the current transaction commits.

    The subject is folded onto one line (a template's trailing newline would otherwise be a
    header injection Django refuses); repeated addresses get one copy.
    """
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return
    subject = " ".join(subject.split())
    transaction.on_commit(partial(send_email.enqueue, subject, body, recipients))


def send_templated(template: str, context: dict, to: Iterable[str]) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` with `context`, then `send`."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_body.txt", context)
    send(subject, body, to)


def absolute_url(request, path: str) -> str:
    """`path` on the site's public address (`PUBLIC_URL`), for links in emails.

    Without `PUBLIC_URL` (development) the request's own host is used, which Django has
    checked against `ALLOWED_HOSTS`.
    """
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def site_url(request) -> str:
    """The site's address without a trailing slash (`PUBLIC_URL`, else the request's), for
    links built later, away from the request (in a task)."""
    return absolute_url(request, "/").rstrip("/")


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Hand one email to the mail backend (`EMAIL_*` settings); returns how many were sent.

    A mail server that refuses raises: the task is recorded as failed, with the traceback,
    where docs/operations.md says to look.
    """
    try:
        return EmailMessage(subject, body, None, to).send()
    except Exception:
        logger.exception("Could not send the email %r to %d recipient(s)", subject, len(to))
        raise

"""Peer introductions: taking a request, and the emails that keep the requester informed.

The public views (learning/introductions/views.py) and the brokers' admin
(learning/introductions/admin.py) both go through here, so a requester hears the
same thing however their request moves.

One person has at most one open request per peer country and theme. Asking again is not an
error on the page: the page answers exactly as for a new request, and the address is told by
email that it already asked (and when), so nobody learns from the page who asked for what.

Nor from how long the page takes: a new request costs a row and a note to the brokers, a
repeat neither, and that showed in the response time. So the request only validates the form
and enqueues `take_request`; the task saves (or finds) the request and writes the emails, in
the worker in production (exchange.core.mail), after the response in development and tests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from casestudies.models import Country
from exchange.core import mail
from learning.introductions.choices import IntroductionStatus
from learning.introductions.forms import IntroductionRequestForm
from learning.introductions.models import IntroductionRequest

logger = logging.getLogger(__name__)

BROKERS_GROUP = "Introduction brokers"  # created by migration 0006

# Statuses the requester is told about by email (a note alone never sends one).
NOTIFIED_STATUSES = (
    IntroductionStatus.CONTACTED,
    IntroductionStatus.INTRODUCED,
    IntroductionStatus.CLOSED,
)


@dataclass(frozen=True)
class Submission:
    """What became of a posted request: `introduction` is the new one, or the open one the
    same person already had for this peer country and theme (`created` False)."""

    introduction: IntroductionRequest
    created: bool


def enqueue_request(request, form, requester=None) -> None:
    """Hand a valid posted request to `take_request`, once the current transaction commits.

    The task gets what the form was given (the worker validates it again: a theme may be
    deleted in between) and what it cannot find out later: who posted, the site's address,
    the language the requester reads.
    """
    data = {name: form.data.get(name) for name in form.fields if name in form.data}
    transaction.on_commit(
        partial(
            take_request.enqueue,
            data=data,
            peer=form.peer_country.iso3,
            requester_id=requester.pk if requester is not None else None,
            site_url=mail.site_url(request),
            language=translation.get_language(),
        )
    )


@task()
def take_request(data: dict, peer: str, requester_id, site_url: str, language: str):
    """Save the request (or find the open one it repeats), tell the brokers of a new one, and
    confirm to the requester; returns the request's id, or None if the form no longer holds."""
    with translation.override(language):
        form = IntroductionRequestForm(data, peer_country=Country.objects.get(iso3=peer))
        if not form.is_valid():
            logger.warning("Introduction request to %s no longer valid: %s", peer, form.errors)
            return None
        requester = get_user_model().objects.filter(pk=requester_id).first()
        submission = submit_request(form, requester if requester_id else None)
        introduction = submission.introduction
        if submission.created:
            notify_brokers(introduction, site_url)
        confirm_to_requester(submission, site_url + introduction.get_absolute_url())
        return introduction.pk


def submit_request(form, requester=None) -> Submission:
    """Save the form's request, unless the same person already has one open on it.

    Checked first, and enforced by the database under concurrency: of two identical requests
    posted at the same moment, the one whose insert fails finds the other's. An IntegrityError
    that no open request explains (another constraint) is a real error and propagates.
    """
    existing = open_request_like(form)
    if existing is not None:
        return Submission(existing, created=False)
    if requester is not None:
        form.instance.requester = requester
    try:
        with transaction.atomic():
            return Submission(form.save(), created=True)
    except IntegrityError:
        existing = open_request_like(form)
        if existing is None:
            raise
        return Submission(existing, created=False)


def open_request_like(form) -> IntroductionRequest | None:
    """The open request with the form's email, peer country and theme, if there is one."""
    return (
        IntroductionRequest.objects.open()
        .filter(
            email__iexact=form.cleaned_data["email"],
            peer_country=form.peer_country,
            theme=form.cleaned_data.get("theme"),
        )
        .order_by("created_at")
        .first()
    )


def confirm_to_requester(submission: Submission, status_url: str) -> None:
    """Email the address of a request: `received` for a new one, `again` for a repeat.

    The email is queued (exchange.core.mail): a mail server that is down delays it, and never
    loses the request, which is in the brokers' queue all the same.
    """
    kind = "received" if submission.created else "again"
    send_introduction_email(submission.introduction, kind, status_url)


def send_introduction_email(introduction, kind: str, status_url: str) -> None:
    """`received` on asking, `again` when the same person asks again while it is open; a
    status (contacted, introduced, closed) when it moves.

    `status_url` is absolute: the email is the requester's way back to their status page.
    """
    context = {
        "introduction": introduction,
        "kind": kind,
        "now": timezone.now(),
        "status_url": status_url,
        "site_name": "Reform Exchange",
    }
    mail.send_templated("learning/emails/introduction", context, [introduction.email])


def notify_status_change(introduction, request) -> bool:
    """Email the requester about the status the request now has; False if not a notified one."""
    if introduction.status not in NOTIFIED_STATUSES:
        return False
    url = mail.absolute_url(request, introduction.get_absolute_url())
    send_introduction_email(introduction, introduction.status, url)
    return True


def _reachable_users():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def brokers():
    """Active users with an address in the brokers' group (or given the permission directly)."""
    return _reachable_users().filter(
        Q(groups__name=BROKERS_GROUP) | Q(user_permissions__codename="change_introductionrequest")
    )


def broker_emails() -> list[str]:
    """Who is told of a new request: the brokers.

    While there are none (a fresh install), the active superusers: someone must hear of a
    waiting request, and they are the ones who can add brokers.
    """
    emails = set(brokers().values_list("email", flat=True))
    if not emails:
        emails = set(_reachable_users().filter(is_superuser=True).values_list("email", flat=True))
    return sorted(emails)


def notify_brokers(introduction, site_url: str) -> int:
    """Tell the Support Unit a request is waiting; returns how many brokers were written to.

    The email names the countries and theme only: the requester's details stay in the admin.
    """
    recipients = broker_emails()
    if not recipients:
        return 0
    url = site_url + reverse("peer_introductions:broker", args=[introduction.pk])
    theme = f" on {introduction.theme.name}" if introduction.theme else ""
    subject = (
        f"New introduction request: {introduction.country.name} → "
        f"{introduction.peer_country.name}{theme}"
    )
    body = render_to_string(
        "learning/emails/introduction_brokers.txt",
        {"introduction": introduction, "broker_url": url, "theme": theme},
    )
    mail.send(subject, body, recipients)
    return len(recipients)

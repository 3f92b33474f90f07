"""Peer introductions: taking a request, and the emails that keep the requester informed.

The public views (learning/introduction_views.py) and the brokers' admin
(learning/introduction_admin.py) both go through here, so a requester hears the
same thing however their request moves.

One person has at most one open request per peer country and theme. Asking again is not an
error on the page: the page answers exactly as for a new request, and the address is told by
email that it already asked (and when), so nobody learns from the page who asked for what.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from learning.models import IntroductionRequest, IntroductionStatus

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


def confirm_to_requester(submission: Submission, status_url: str) -> bool:
    """Email the address of a request: `received` for a new one, `again` for a repeat.

    False if the mail server refused: the request is saved and in the brokers' queue all the
    same, so the page says only that the email could not go.
    """
    introduction = submission.introduction
    try:
        send_introduction_email(
            introduction, "received" if submission.created else "again", status_url
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not email the requester of introduction %s", introduction.pk)
        return False
    return True


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
    subject = render_to_string("learning/emails/introduction_subject.txt", context)
    body = render_to_string("learning/emails/introduction_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [introduction.email])


def notify_status_change(introduction, request) -> bool:
    """Email the requester about the status the request now has; False if not a notified one."""
    if introduction.status not in NOTIFIED_STATUSES:
        return False
    url = request.build_absolute_uri(introduction.get_absolute_url())
    send_introduction_email(introduction, introduction.status, url)
    return True


def broker_emails() -> list[str]:
    """Active members of the brokers' group (directly or through the permission)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(groups__name=BROKERS_GROUP) | Q(user_permissions__codename="change_introductionrequest")
    )
    return sorted(set(users.values_list("email", flat=True)))


def notify_brokers(introduction, request) -> int:
    """Tell the Support Unit a request is waiting; returns how many brokers were written to.

    The email names the countries and theme only: the requester's details stay in the admin.
    """
    recipients = broker_emails()
    if not recipients:
        return 0
    url = request.build_absolute_uri(reverse("peer_introductions:broker", args=[introduction.pk]))
    theme = f" on {introduction.theme.name}" if introduction.theme else ""
    subject = (
        f"New introduction request: {introduction.country.name} → "
        f"{introduction.peer_country.name}{theme}"
    )
    body = render_to_string(
        "learning/emails/introduction_brokers.txt",
        {"introduction": introduction, "broker_url": url, "theme": theme},
    )
    send_mail(subject, body, None, recipients)
    return len(recipients)

"""Peer introductions: the emails that keep the requester informed.

The public views (learning/introduction_views.py) and the brokers' admin
(learning/introduction_admin.py) both go through here, so a requester hears the
same thing however their request moves.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string

from learning.models import IntroductionStatus

# Statuses the requester is told about by email (a note alone never sends one).
NOTIFIED_STATUSES = (
    IntroductionStatus.CONTACTED,
    IntroductionStatus.INTRODUCED,
    IntroductionStatus.CLOSED,
)


def send_introduction_email(introduction, kind: str, status_url: str) -> None:
    """`received` on asking; a status (contacted, introduced, closed) when it moves.

    `status_url` is absolute: the email is the requester's way back to their status page.
    """
    context = {
        "introduction": introduction,
        "kind": kind,
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

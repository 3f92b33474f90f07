"""Peer introductions: the emails that keep the requester informed.

The public views (learning/introduction_views.py) and the brokers' admin
(learning/introduction_admin.py) both go through here, so a requester hears the
same thing however their request moves.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from learning.models import IntroductionStatus

BROKERS_GROUP = "Introduction brokers"  # created by migration 0006

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

"""Applying to a fellowship, and the emails that tell applicants where they stand.

The page answers the same whether or not the address already applied: an application that
repeats one we have is not saved, and the person behind the address is told by email (with the
date of the first one), never the person who posted.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone

from exchange.rate_limit import RateLimit, client_address, too_many_requests
from learning.accounts.forms import owner_of
from learning.forms import FellowshipApplicationForm
from learning.models import ApplicationStatus, FellowshipApplication

# Every post from one network, valid or not: generous, because a ministry or a workshop often
# shares one public address, but a flood costs the sender before we validate anything.
APPLICATION_ATTEMPTS = RateLimit("fellowship-application-attempts", limit=20)
# Valid applications naming one email address (new or repeated: each sends that address an
# email). A person applies to a handful of fellowships at most. Only valid posts count, so
# nobody can lock someone else out by posting rubbish with their address.
APPLICATIONS_PER_EMAIL = RateLimit("fellowship-applications", limit=5)
RATE_LIMITED_MESSAGE = (
    "Too many applications were sent from your network or with this email address in the "
    "last hour. Please try again in about {minutes} minutes, or write to us if you need help."
)
RECEIVED_MESSAGE = (
    "Thank you, {name}: your application is received. We sent a confirmation to {email}."
)
CLOSED_MESSAGE = "Applications for this fellowship closed on {deadline}. It no longer accepts them."


def apply(request, fellowship):
    if request.method != "POST":
        return redirect(fellowship.url)
    if not fellowship.is_open:
        messages.error(request, CLOSED_MESSAGE.format(deadline=fellowship.deadline_display))
        return redirect(fellowship.url)
    attempt = APPLICATION_ATTEMPTS.hit(client_address(request))
    if not attempt.allowed:
        return _rate_limited(request, fellowship, attempt)
    form = FellowshipApplicationForm(request.POST, fellowship=fellowship)
    if not form.is_valid():
        response = fellowship.render(request, context_overrides={"form": form})
        response.status_code = 400
        return response
    per_email = APPLICATIONS_PER_EMAIL.hit(form.cleaned_data["email"])
    if not per_email.allowed:
        return _rate_limited(request, fellowship, per_email)

    application, created = submit_application(form, owner_of(request, form.cleaned_data["email"]))
    send_application_email(application, "received" if created else "again")
    messages.success(
        request,
        RECEIVED_MESSAGE.format(name=form.cleaned_data["name"], email=form.cleaned_data["email"]),
    )
    return redirect(fellowship.url)


def _rate_limited(request, fellowship, decision):
    messages.error(request, RATE_LIMITED_MESSAGE.format(minutes=decision.retry_after_minutes))
    response = fellowship.render(request, context_overrides={"rate_limited": True})
    return too_many_requests(response, decision)


def submit_application(form, applicant=None) -> tuple[FellowshipApplication, bool]:
    """Save the form's application, or find the one this address already made; True if new.

    The database refuses a second application per fellowship and address
    (`unique_application_per_email`), so two identical posts at the same moment end here too:
    the one that loses the race finds the winner's application.
    """
    existing = _application_of(form)
    if existing is not None:
        return existing, False
    if applicant is not None:
        form.instance.applicant = applicant
    try:
        with transaction.atomic():
            return form.save(), True
    except IntegrityError:
        existing = _application_of(form)
        if existing is None:  # another constraint: not a repeat, a real error
            raise
        return existing, False


def _application_of(form) -> FellowshipApplication | None:
    return FellowshipApplication.objects.filter(
        fellowship=form.fellowship, email__iexact=form.cleaned_data["email"]
    ).first()


def send_application_email(application, kind: str) -> None:
    """`received` on applying, `again` when the address applies a second time; `accepted` /
    `declined` when a reviewer decides."""
    context = {
        "application": application,
        "kind": kind,
        "now": timezone.now(),
        "site_name": "Reform Exchange",
        "ApplicationStatus": ApplicationStatus,
    }
    subject = render_to_string("learning/emails/application_subject.txt", context)
    body = render_to_string("learning/emails/application_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [application.email])

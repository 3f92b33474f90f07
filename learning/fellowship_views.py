"""Applying to a fellowship, and the emails that tell applicants where they stand."""

from __future__ import annotations

from django.contrib import messages
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.loader import render_to_string

from exchange.rate_limit import RateLimit
from learning.forms import FellowshipApplicationForm
from learning.models import ApplicationStatus

# A person applies to a handful of fellowships at most; more from one address or one
# network in an hour is a flood, and each accepted post sends an email.
APPLICATIONS = RateLimit("fellowship-applications", limit=5)
RATE_LIMITED_MESSAGE = (
    "Too many applications were sent from your address or network in the last hour. "
    "Please try again later, or write to us if you need help."
)
CLOSED_MESSAGE = "Applications for this fellowship closed on {deadline}. It no longer accepts them."


def apply(request, fellowship):
    if request.method != "POST":
        return redirect(fellowship.url)
    if not fellowship.is_open:
        messages.error(request, CLOSED_MESSAGE.format(deadline=fellowship.deadline_display))
        return redirect(fellowship.url)
    if APPLICATIONS.hit(request, request.POST.get("email", "")):
        messages.error(request, RATE_LIMITED_MESSAGE)
        response = fellowship.render(request, context_overrides={"rate_limited": True})
        response.status_code = 429
        return response
    form = FellowshipApplicationForm(request.POST, fellowship=fellowship)
    if form.is_valid():
        if request.user.is_authenticated:
            form.instance.applicant = request.user
        try:
            with transaction.atomic():
                application = form.save()
        except IntegrityError:  # the same person applied twice at the same moment
            form.add_error("email", form.error_messages["duplicate"])
        else:
            send_application_email(application, "received")
            messages.success(
                request,
                f"Thank you, {application.name}: your application is received. "
                f"We sent a confirmation to {application.email}.",
            )
            return redirect(fellowship.url)
    response = fellowship.render(request, context_overrides={"form": form})
    response.status_code = 400
    return response


def send_application_email(application, kind: str) -> None:
    """`received` on applying; `accepted` / `declined` when a reviewer decides."""
    context = {
        "application": application,
        "kind": kind,
        "site_name": "Reform Exchange",
        "ApplicationStatus": ApplicationStatus,
    }
    subject = render_to_string("learning/emails/application_subject.txt", context)
    body = render_to_string("learning/emails/application_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [application.email])

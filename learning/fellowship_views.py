"""Applying to a fellowship, and the emails that tell applicants where they stand.

The page answers the same whether or not the address already applied: an application that
repeats one we have is not saved, and the person behind the address is told by email (with the
date of the first one), never the person who posted.

Nor does the time the page takes tell: a new application costs a row, a repeat does not, and
that showed in the response time (issue 10). So the request only validates the form and
enqueues `take_application`; the task saves (or finds) the application and writes the email,
in the worker in production (exchange.core.mail), at once in development and tests. The same
design as peer introductions (learning/introductions.py).
"""

from __future__ import annotations

import logging
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from exchange.core import mail
from exchange.core.rate_limit import RateLimit, client_address, too_many_requests
from learning.accounts.forms import owner_of
from learning.forms import FellowshipApplicationForm
from learning.models import ApplicationStatus, FellowshipApplication, FellowshipPage

logger = logging.getLogger(__name__)

# Every post from one network, valid or not: generous, because a ministry or a workshop often
# shares one public address, but a flood costs the sender before we validate anything.
APPLICATION_ATTEMPTS = RateLimit("fellowship-application-attempts", limit=20)
# Valid applications naming one email address (new or repeated: each sends that address an
# email). A person applies to a handful of fellowships at most. Only valid posts count, so
# nobody can lock someone else out by posting rubbish with their address.
APPLICATIONS_PER_EMAIL = RateLimit("fellowship-applications", limit=5)
RATE_LIMITED_MESSAGE = _(
    "Too many applications were sent from your network or with this email address in the "
    "last hour. Please try again in about {minutes} minutes, or write to us if you need help."
)
RECEIVED_MESSAGE = _(
    "Thank you, {name}: your application is received. We sent a confirmation to {email}."
)
CLOSED_MESSAGE = _(
    "Applications for this fellowship closed on {deadline}. It no longer accepts them."
)


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

    enqueue_application(form, owner_of(request, form.cleaned_data["email"]))
    remember_application_sent(request, fellowship)
    messages.success(
        request,
        RECEIVED_MESSAGE.format(name=form.cleaned_data["name"], email=form.cleaned_data["email"]),
    )
    return redirect(fellowship.url)


# The fellowships this browser sent an application to: the page then confirms it instead of
# showing an empty form. Whatever the address (new or repeated), so it tells nothing about
# who applied before.
SENT_SESSION_KEY = "fellowship_applications_sent"


def remember_application_sent(request, fellowship) -> None:
    sent = set(request.session.get(SENT_SESSION_KEY, []))
    request.session[SENT_SESSION_KEY] = sorted(sent | {fellowship.pk})


def application_context(request, fellowship) -> dict:
    """What the page's "Apply" box shows: the signed-in person's application and its status,
    or a confirmation that this browser sent one, or the form (prefilled when signed in).

    `?another=1` shows the form again after a confirmation, for a shared computer.
    """
    user = request.user
    application = None
    initial = {}
    if user.is_authenticated:
        application = (
            FellowshipApplication.objects.for_user(user).filter(fellowship=fellowship).first()
        )
        initial = {"name": user.get_full_name().strip(), "email": user.email}
    sent = fellowship.pk in request.session.get(SENT_SESSION_KEY, [])
    return {
        "application": application,
        "application_sent": sent and not request.GET.get("another"),
        "form": FellowshipApplicationForm(fellowship=fellowship, initial=initial),
    }


def _rate_limited(request, fellowship, decision):
    messages.error(request, RATE_LIMITED_MESSAGE.format(minutes=decision.retry_after_minutes))
    response = fellowship.render(request, context_overrides={"rate_limited": True})
    return too_many_requests(response, decision)


def enqueue_application(form, applicant=None) -> None:
    """Hand a valid posted application to `take_application`, once the transaction commits.

    The task gets what the form was given (the worker validates it again) and what it cannot
    find out later: who posted and the language the applicant reads. The deadline is not
    checked again: what was posted in time stays in time, however long the queue.
    """
    data = {name: form.data.get(name) for name in form.fields if name in form.data}
    transaction.on_commit(
        partial(
            take_application.enqueue,
            data=data,
            fellowship_id=form.fellowship.pk,
            applicant_id=applicant.pk if applicant is not None else None,
            language=translation.get_language(),
        )
    )


@task()
def take_application(data: dict, fellowship_id: int, applicant_id, language: str):
    """Save the application (or find the one it repeats) and email its address: `received`
    for a new one, `again` for a repeat. Returns the application's id, or None if the
    fellowship is gone or the form no longer holds."""
    fellowship = FellowshipPage.objects.filter(pk=fellowship_id).first()
    if fellowship is None:
        logger.warning("Application to fellowship %s, which no longer exists", fellowship_id)
        return None
    with translation.override(language):
        form = FellowshipApplicationForm(data, fellowship=fellowship)
        if not form.is_valid():
            logger.warning("Application to %s no longer valid: %s", fellowship_id, form.errors)
            return None
        applicant = get_user_model().objects.filter(pk=applicant_id).first()
        application, created = submit_application(form, applicant if applicant_id else None)
        send_application_email(application, "received" if created else "again")
        return application.pk


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
    mail.send_templated("learning/emails/application", context, [application.email])

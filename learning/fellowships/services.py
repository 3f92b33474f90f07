"""Taking an application to a fellowship, and the emails that tell applicants where they stand.

A new application costs a row, a repeat does not, and that showed in the response time
(issue 10). So the page (learning/fellowships/serving.py) only validates the form and
enqueues `take_application`; the task saves (or finds) the application and writes the email,
in the worker in production (exchange.core.mail), at once in development and tests. The same
design as peer introductions (learning/introductions/services.py). The reviewers' admin
(learning/fellowships/admin.py) sends the decision emails through here too.
"""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_tasks import task

from exchange.core import mail
from learning.fellowships.choices import ApplicationStatus
from learning.fellowships.forms import FellowshipApplicationForm
from learning.fellowships.models import FellowshipApplication, FellowshipPage

logger = logging.getLogger(__name__)


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

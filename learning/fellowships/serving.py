"""What the fellowship page shows and does: its "Apply" box and its `apply/` route.

`FellowshipPage` serves itself through this module (its `get_context` and `apply` route call
it); taking the application and the emails are learning/fellowships/services.py.

The page answers the same whether or not the address already applied: an application that
repeats one we have is not saved, and the person behind the address is told by email (with the
date of the first one), never the person who posted. Nor does the time the page takes tell: the
request only validates the form and enqueues the application (services.enqueue_application).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from exchange.core.languages import localized_url
from exchange.core.rate_limit import RateLimit, client_address, too_many_requests
from learning.accounts.forms import owner_of
from learning.fellowships.forms import FellowshipApplicationForm
from learning.fellowships.models import FellowshipApplication
from learning.fellowships.services import enqueue_application

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
        return redirect(localized_url(fellowship.url))
    if not fellowship.is_open:
        messages.error(request, CLOSED_MESSAGE.format(deadline=fellowship.deadline_display))
        return redirect(localized_url(fellowship.url))
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
    return redirect(localized_url(fellowship.url))


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

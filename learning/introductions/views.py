"""Asking for an introduction to a peer country's reformers, and following it.

`/introductions/request/?peer=ISO3&country=ISO3&q=GOAL&theme=SLUG` is linked from
every result on /peers/, so the form arrives filled in with what the reformer just
searched for. `/introductions/<token>/` is the requester's private status page: the
token is in the confirmation email, so it works without an account; signed-in
requesters also find their requests on the dashboard.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from casestudies.models import Country, Theme
from exchange.core.rate_limit import RateLimit, client_address, too_many_requests
from learning.accounts.forms import owner_of
from learning.introductions.choices import IntroductionStatus
from learning.introductions.forms import IntroductionRatingForm, IntroductionRequestForm
from learning.introductions.models import IntroductionRequest
from learning.introductions.services import enqueue_request
from search.thesaurus import parse

# Every post from one network, valid or not: generous, because a ministry or a workshop often
# shares one public address, but a flood costs the sender before we validate anything.
REQUEST_ATTEMPTS = RateLimit("introduction-request-attempts", limit=20)
# Valid requests naming one email address (new or repeated: each lands in a broker's queue or
# sends that address an email). A reformer asks for a few introductions at a time. Only valid
# posts count, so nobody can lock someone else out by posting rubbish with their address.
REQUESTS_PER_EMAIL = RateLimit("introduction-requests", limit=5)
RATE_LIMITED_MESSAGE = _(
    "Too many introduction requests were sent from your network or with this email address "
    "in the last hour. Please try again in about {minutes} minutes, or write to us if you "
    "need help."
)
# What the confirmation page shows after a post (kept in the session across the redirect).
SENT_SESSION_KEY = "introductions:sent"
STATUS_STEPS = list(IntroductionStatus)


def _private(response):
    """Pages with a requester's details: never cached, never leaking the token onwards.

    `same-origin`, not `no-referrer`: with no referrer Chromium sends `Origin: null` on the
    page's own form posts, which Django's CSRF check rightly refuses.
    """
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _initial(request, peer_country) -> dict:
    """What the reformer searched for on /peers/, and who they are if signed in."""
    initial = {"goal": request.GET.get("q", "").strip()[:300]}
    reformer = request.GET.get("country", "").strip().upper()
    if reformer and reformer != peer_country.iso3:
        initial["country"] = Country.objects.filter(iso3=reformer).first()
    theme = Theme.objects.filter(slug=request.GET.get("theme", "")).first()
    if theme is None and initial["goal"]:
        # The goal's first policy area, found the same way peer matching finds it.
        found = parse(initial["goal"]).themes
        theme = Theme.objects.filter(slug__in=found[:1]).first() if found else None
    initial["theme"] = theme
    if request.user.is_authenticated:
        initial["name"] = request.user.get_full_name()
        initial["email"] = request.user.email
    return initial


@require_http_methods(["GET", "POST"])
def request_introduction(request):
    code = (request.GET.get("peer") or request.POST.get("peer") or "").strip().upper()
    peer_country = Country.objects.filter(iso3=code).first() if code else None
    if peer_country is None:
        response = render(
            request,
            "learning/introduction_request.html",
            {"missing_peer": True, "countries_url": "/peers/"},
            status=404 if code else 400,
        )
        return _private(response)

    context = {"peer_country": peer_country, "back_url": _back_to_peers(request)}
    if request.method == "POST":
        return _post_request(request, peer_country, context)
    sent = request.session.pop(SENT_SESSION_KEY, None)
    if sent and sent.get("peer") == peer_country.iso3:
        context["sent"] = sent
        return _private(render(request, "learning/introduction_request_sent.html", context))
    context["form"] = IntroductionRequestForm(
        initial=_initial(request, peer_country), peer_country=peer_country
    )
    return _private(render(request, "learning/introduction_request.html", context))


def _post_request(request, peer_country, context):
    """Take a request; the answer is the same whether it is new or repeats an open one.

    Both end on the same confirmation page (after a redirect, so reloading it posts nothing),
    after the same work: the form is checked and handed to a task
    (learning.introductions.services), so not even the time taken differs. The private status
    link goes only to the email address, which alone learns whether it had asked before.
    """
    attempt = REQUEST_ATTEMPTS.hit(client_address(request))
    if not attempt.allowed:
        return _rate_limited(request, context, attempt)
    form = IntroductionRequestForm(request.POST, peer_country=peer_country)
    if not form.is_valid():
        context["form"] = form
        return _private(render(request, "learning/introduction_request.html", context, status=400))
    per_email = REQUESTS_PER_EMAIL.hit(form.cleaned_data["email"])
    if not per_email.allowed:
        return _rate_limited(request, context, per_email)

    enqueue_request(request, form, owner_of(request, form.cleaned_data["email"]))
    request.session[SENT_SESSION_KEY] = {
        "peer": peer_country.iso3,
        "name": form.cleaned_data["name"],
        "email": form.cleaned_data["email"],
    }
    params = request.GET.copy()
    params["peer"] = peer_country.iso3
    return redirect(f"{request.path}?{params.urlencode()}")


def _rate_limited(request, context, decision):
    messages.error(request, RATE_LIMITED_MESSAGE.format(minutes=decision.retry_after_minutes))
    context["rate_limited"] = True
    response = render(request, "learning/introduction_request.html", context)
    return _private(too_many_requests(response, decision))


def _back_to_peers(request) -> str:
    """The /peers/ search the reformer came from, so they can go back to it."""
    params = request.GET.copy()
    params.pop("peer", None)
    return f"/peers/?{params.urlencode()}" if params else "/peers/"


@require_http_methods(["GET", "POST"])
def introduction_status(request, token):
    introduction = get_object_or_404(
        IntroductionRequest.objects.select_related("peer_country", "country", "theme"),
        access_token=token,
    )
    rating_form = None
    if introduction.can_be_rated:
        rating_form = IntroductionRatingForm(
            request.POST if request.method == "POST" else None, instance=introduction
        )
        if request.method == "POST" and rating_form.is_valid():
            introduction.rate(
                rating_form.cleaned_data["rating"], rating_form.cleaned_data["rating_comment"]
            )
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect(introduction.get_absolute_url())
    elif request.method == "POST":
        messages.error(request, _("You can rate the introduction once we have introduced you."))
        return redirect(introduction.get_absolute_url())

    events = [event for event in introduction.events.all() if event.changed_status]
    reached = STATUS_STEPS.index(introduction.status)
    steps = [
        {"label": status.label, "done": index <= reached, "current": index == reached}
        for index, status in enumerate(STATUS_STEPS)
    ]
    response = render(
        request,
        "learning/introduction_status.html",
        {
            "introduction": introduction,
            "steps": steps,
            "events": events,
            "rating_form": rating_form,
        },
        status=400 if rating_form is not None and rating_form.errors else 200,
    )
    return _private(response)

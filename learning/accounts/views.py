"""Learner account pages: sign up, verify, log in and out, reset a password, dashboard."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from exchange.core import mail
from exchange.core.languages import in_reader_language, localized_url
from exchange.core.rate_limit import RateLimit, client_address, too_many_requests
from learning.accounts import throttling, tokens
from learning.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    ResendVerificationForm,
    SignupForm,
    email_taken,
    is_awaiting_verification,
    user_for_email,
)
from learning.models import FellowshipApplication, IntroductionRequest
from learning.progress import DashboardEntry, dashboard_for

# One account email (verification link, or "you already have an account") per address per
# this many seconds, however often the forms are posted: nobody can use the site to flood an
# inbox.
RESEND_COOLDOWN_SECONDS = 60
# Sign-up posts per network address, valid or not: generous, because a ministry's staff or a
# workshop's participants often share one public address; a bot creating accounts does not
# stop at 30.
SIGNUPS = RateLimit("signup-attempts", limit=30)
SIGNUP_RATE_LIMITED_MESSAGE = _(
    "Too many sign-ups were sent from your network in the last hour. Please try again in "
    "about {minutes} minutes, or write to us if you are signing up a group."
)
SIGNUP_EMAIL_SESSION_KEY = "accounts:signup-email"
LOGIN_EMAIL_SESSION_KEY = "accounts:login-email"


def _cooldown_key(email: str) -> str:
    return "accounts:email-sent:" + hashlib.sha256(email.encode()).hexdigest()


def _send_account_email(email: str, template: str, context: dict) -> bool:
    """Send `accounts/emails/<template>_{subject,body}.txt`, unless the address had one of these
    emails moments ago."""
    if not cache.add(_cooldown_key(email.lower()), 1, RESEND_COOLDOWN_SECONDS):
        return False
    context = {**context, "site_name": "Reform Exchange"}
    mail.send_templated(f"accounts/emails/{template}", context, [email])
    return True


def send_verification_email(request, user) -> bool:
    """Email the account's verification link, unless an account email went to it moments ago."""
    link = mail.absolute_url(request, reverse("accounts:verify", args=[tokens.make_token(user)]))
    return _send_account_email(
        user.email, "verification", {"user": user, "link": link, "days": tokens.MAX_AGE.days}
    )


def send_account_exists_email(request, email: str) -> bool:
    """Tell an address that already has an account that someone tried to sign up with it."""
    user = user_for_email(email)
    return _send_account_email(
        email,
        "account_exists",
        {
            "user": user,
            "awaiting_verification": user is not None and is_awaiting_verification(user),
            "login_link": mail.absolute_url(request, reverse("accounts:login")),
            "reset_link": mail.absolute_url(request, reverse("accounts:password_reset")),
            "resend_link": mail.absolute_url(request, reverse("accounts:resend")),
        },
    )


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """The answer is the same whether or not the address already has an account.

    Both end on "check your email": a new account gets its verification link, an existing one
    a note that someone tried to sign up with it. Both paths hash the password once, so they
    also take as long.
    """
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        attempt = SIGNUPS.hit(client_address(request))
        if not attempt.allowed:
            messages.error(
                request, SIGNUP_RATE_LIMITED_MESSAGE.format(minutes=attempt.retry_after_minutes)
            )
            response = render(request, "accounts/signup.html", {"form": form, "rate_limited": True})
            return too_many_requests(response, attempt)
        if form.is_valid():
            email = form.cleaned_data["email"]
            user = None if email_taken(email) else _create_account(form)
            if user is not None:
                send_verification_email(request, user)
            else:
                make_password(form.cleaned_data["password1"])  # the hashing a new account costs
                _void_unverified_password(email)
                send_account_exists_email(request, email)
            request.session[SIGNUP_EMAIL_SESSION_KEY] = email
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def _void_unverified_password(email: str) -> None:
    """A second sign-up for an address whose account was never verified: whoever chose that
    account's password may not own the inbox (account pre-hijacking), so the password goes.

    Verification links are bound to the password (tokens.py), so none activates the account
    now; the address is emailed a link to choose a password, which also verifies it.
    """
    user = user_for_email(email)
    if user is not None and is_awaiting_verification(user) and user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])


def _create_account(form):
    """The new inactive account; None if the address signed up a moment ago (a race)."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        return None


@never_cache
def signup_done(request):
    return render(
        request,
        "accounts/signup_done.html",
        {
            "email": request.session.get(SIGNUP_EMAIL_SESSION_KEY, ""),
            "days": tokens.MAX_AGE.days,
        },
    )


@never_cache
def verify(request, token: str):
    try:
        user = tokens.check_token(token)
    except tokens.InvalidToken:
        return render(request, "accounts/verify_invalid.html", status=400)
    except tokens.ExpiredToken as expired:
        if not is_awaiting_verification(expired.user):
            return _already_verified(request)
        form = ResendVerificationForm(initial={"email": expired.user.email})
        return render(
            request,
            "accounts/verify_expired.html",
            {"form": form, "days": tokens.MAX_AGE.days},
            status=410,
        )
    if not is_awaiting_verification(user):
        return _already_verified(request)
    user.is_active = True
    user.save(update_fields=["is_active"])
    messages.success(request, _("Thank you: your email address is verified. You can now log in."))
    request.session[LOGIN_EMAIL_SESSION_KEY] = user.email
    return redirect("accounts:login")


def _already_verified(request):
    messages.info(request, _("Your email address is already verified: log in below."))
    return redirect("accounts:login")


@never_cache
@require_http_methods(["GET", "POST"])
def resend_verification(request):
    """Always the same answer, so the form does not tell who has an account."""
    form = ResendVerificationForm(request.POST or None, initial={"email": request.GET.get("email")})
    if request.method == "POST" and form.is_valid():
        user = form.account()
        if user is not None:
            send_verification_email(request, user)
        messages.success(
            request,
            _(
                "If an account at %(email)s is waiting for verification, we have "
                "sent it a new link. Check your inbox (and spam folder) in a few minutes."
            )
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:resend")
    return render(
        request, "accounts/resend_verification.html", {"form": form, "days": tokens.MAX_AGE.days}
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_initial(self):
        # After verifying, the address is filled in: only the password is left to type.
        return {"username": self.request.session.pop(LOGIN_EMAIL_SESSION_KEY, "")}


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default), so no link or image can log a learner out."""

    next_page = reverse_lazy("accounts:logged_out")


@never_cache
def logged_out(request):
    return render(request, "accounts/logged_out.html")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in learner changes their password (the current one is asked for)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in, ends the others
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The emailed link proves the address is theirs: a pause after failures ends here,
        # and an account still awaiting verification is verified by it.
        throttling.forget_account_failures(form.user.get_username())
        if is_awaiting_verification(form.user):
            form.user.is_active = True  # saved with the new password by the form
        return super().form_valid(form)


@dataclass(frozen=True)
class DashboardCourse:
    """A dashboard entry with the addresses of its course and next lesson.

    A translated course is a page of its own, with its own enrolments: the links go where
    the learner's progress is. Read in another language, that is the enrolled version in its
    own language (`taken_in`, named on the dashboard) unless the course has no translation
    into the reader's language, in which case the enrolled page itself is served under the
    reader's prefix, with the interface in their language.
    """

    entry: DashboardEntry
    course_url: str
    next_lesson_url: str | None
    taken_in: str | None


def _dashboard_courses(request, entries: list[DashboardEntry]) -> list[DashboardCourse]:
    reader = translation.get_language()
    courses = [entry.course for entry in entries]
    next_lessons = [entry.progress.next_lesson for entry in entries if entry.progress.next_lesson]
    # Titles in the reader's language where translated; `content_language` says which.
    in_reader_language(courses)
    in_reader_language(next_lessons)
    listed = []
    for entry in entries:
        course, lesson = entry.course, entry.progress.next_lesson
        language = course.locale.language_code
        translated = getattr(course, "content_language", None) == reader
        served_here = language == reader or (language == settings.LANGUAGE_CODE and not translated)
        for page in (course, lesson):
            if page is not None and getattr(page, "content_language", None) != reader:
                page.content_language = language  # its own title, in its own language
        address = localized_url if served_here else str
        listed.append(
            DashboardCourse(
                entry=entry,
                course_url=address(course.get_url(request)),
                next_lesson_url=address(lesson.get_url(request)) if lesson else None,
                taken_in=None if served_here else language,
            )
        )
    return listed


@never_cache
@login_required
def dashboard(request):
    entries = dashboard_for(request.user)
    certificates = [entry.certificate for entry in entries if entry.certificate is not None]
    applications = list(
        FellowshipApplication.objects.for_user(request.user).select_related("fellowship")
    )
    # A live fellowship is named as its page is, in the reader's language where translated; a
    # deleted or unpublished one by the title it had when the learner applied.
    in_reader_language(
        application.fellowship
        for application in applications
        if application.fellowship is not None and application.fellowship.live
    )
    introductions = IntroductionRequest.objects.for_user(request.user).select_related(
        "peer_country", "theme"
    )
    return render(
        request,
        "accounts/dashboard.html",
        {
            "entries": _dashboard_courses(request, entries),
            "certificates": certificates,
            "applications": applications,
            "introductions": introductions,
        },
    )

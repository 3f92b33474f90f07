"""Log-in throttling, for every log-in form of the site: the learners' and Wagtail's admin.

After `FAILURES_PER_ACCOUNT` wrong passwords for one account name in `WINDOW_SECONDS`, or
`FAILURES_PER_ADDRESS` from one network, log-in is paused for that account (or that network):
every attempt is refused, the right password included, without checking it, until the oldest
of those failures is `WINDOW_SECONDS` old. So a guesser gets at most that many tries per window,
and the refusal says so and when to come back (HTTP 429 with Retry-After).

- The account name is counted whether or not such an account exists, so a pause tells nothing
  about who has an account.
- A successful log-in, or a password reset through the emailed link, forgets the account's
  failures. It does not forget the network's: otherwise anyone holding one account could
  clear their network's count by logging in to it between guesses at others.
- The counters are `exchange.core.rate_limit` limits, in the cache that every process shares.

How it hooks in (settings: `AUTHENTICATION_BACKENDS`, `MIDDLEWARE`,
`WAGTAILADMIN_USER_LOGIN_FORM`): `LoginThrottleBackend` comes first and refuses a paused log-in
before any password is checked, whichever form called `authenticate()`; Django's
`user_login_failed` and `user_logged_in` signals count failures and forget them; the log-in
forms turn a refusal into a clear message, and `LoginThrottleMiddleware` makes that response a
429. The learners' form also checks by itself the one case it handles without `authenticate()`
(an account that is not active yet, see `learning.accounts.forms.LoginForm`).
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from exchange.core.rate_limit import Decision, RateLimit, client_address, too_many_requests

WINDOW_SECONDS = 15 * 60
# Strict per account: ten tries in a quarter of an hour is plenty for someone who forgot.
FAILURES_PER_ACCOUNT = RateLimit("login-failures-account", limit=10, window_seconds=WINDOW_SECONDS)
# Generous per network: a ministry's staff or a workshop often share one public address.
FAILURES_PER_ADDRESS = RateLimit("login-failures-address", limit=50, window_seconds=WINDOW_SECONDS)

PAUSED_MESSAGE = _(
    "Too many failed log-in attempts for this account or from your network. To protect the "
    "account, log-in is paused: please try again in about {minutes} minutes, or reset your "
    "password."
)
# Set on the request when a log-in was refused because it is paused (a `Decision`).
REQUEST_ATTRIBUTE = "login_paused"


def account_key(username: str) -> str:
    """Account names compare without case or surrounding spaces, as addresses do."""
    return username.strip().lower()


def paused(request, username: str) -> Decision:
    """Is log-in paused for this account name, or for the network `request` comes from?"""
    decision = FAILURES_PER_ACCOUNT.peek(account_key(username))
    if decision.allowed:
        decision = FAILURES_PER_ADDRESS.peek(client_address(request))
    if not decision.allowed:
        setattr(request, REQUEST_ATTRIBUTE, decision)
    return decision


def pause_of(request) -> Decision | None:
    """The pause that refused this request's log-in, if one did."""
    return getattr(request, REQUEST_ATTRIBUTE, None)


def paused_message(decision: Decision) -> str:
    return PAUSED_MESSAGE.format(minutes=decision.retry_after_minutes)


def forget_account_failures(username: str) -> None:
    FAILURES_PER_ACCOUNT.reset(account_key(username))


class LoginThrottleBackend:
    """First of `AUTHENTICATION_BACKENDS`: refuses a paused log-in before any password check.

    Raising PermissionDenied stops `authenticate()` at once (the later backends never run) and
    it returns None, as for a wrong password; the forms then read the reason from the request.
    Without a request (a shell, the test client's `login()`) there is no network to count.
    It authenticates nobody, so it has no `get_user` (not a `BaseBackend`): Django would
    otherwise pick it as the backend of a session started with `login()` or `force_login()`.
    """

    def authenticate(self, request, username=None, **credentials):
        if request is None or username is None:
            return None
        if not paused(request, username).allowed:
            raise PermissionDenied
        return None


class LoginThrottleMiddleware:
    """A log-in refused because it is paused answers 429 with Retry-After (the page itself,
    with its message, comes from the log-in view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        decision = pause_of(request)
        if decision is not None and response.status_code == 200:
            too_many_requests(response, decision)
        return response


@receiver(user_login_failed, dispatch_uid="learning.accounts.throttling.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None or pause_of(request) is not None:
        return  # no network to count; or refused unchecked, which is no new guess
    username = credentials.get("username")
    if username:
        FAILURES_PER_ACCOUNT.hit(account_key(username))
    FAILURES_PER_ADDRESS.hit(client_address(request))


@receiver(user_logged_in, dispatch_uid="learning.accounts.throttling.forget_failures")
def forget_failures(sender, request, user, **kwargs):
    forget_account_failures(user.get_username())

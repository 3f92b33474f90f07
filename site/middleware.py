"""Middleware of the site: refuse control characters in URLs and form data before any view
or query sees them; the Content-Security-Policy with the admin's one exception.

Control characters
------------------

PostgreSQL cannot store NUL in text, so a `%00` in a filter value reached the database
and came back as a 500 (SQLite answered 400 or 404, or stored it). No path, parameter
or form field of this site has a use for control characters, so they are answered here,
once, for every view, Wagtail's included, instead of in each form and filter:

- a path with one: 404 (no such page can exist);
- a query parameter name or value with one: 400, naming the parameter;
- a form field (POST) with one: 400, except tab, line feed and carriage return, which
  multi-line text fields legitimately hold;
- a cookie with one (a quoted cookie value may spell NUL as `\\000`): the cookie is
  ignored, as if the browser had not sent it. A 400 would lock the visitor out until they
  cleared their cookies; without the cookie, a session or CSRF token is simply not found.

Under /api/ the answer is JSON, `{"error", "param"}` like the rest of the API.

Content-Security-Policy
-----------------------
django-csp sends CONTENT_SECURITY_POLICY on every response. Wagtail 8's page editor still
writes a few inline scripts (the snippet chooser and the date pickers of the scheduling
dialog, InlinePanel set-up: wagtail/wagtail#12940), which no nonce can reach; behind the
admin's log-in, and only there, CONTENT_SECURITY_POLICY_ADMIN is added to the policy.
The log-in page itself, which anyone can reach, keeps the strict policy.

django-csp builds the header from the settings on every response (about 35 µs, a fifth of
what a page from the page cache costs). A response with no policy of its own (django-csp's
decorators) and no nonce gets the same header as every other such response on the same
side of the admin's log-in: it is built once for each and kept until the settings change.
"""

from __future__ import annotations

import re

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.html import escape

# C0 controls, DEL and the C1 controls.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# Form text may span lines: tab, line feed and carriage return are allowed there.
FORM_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>We could not read that request · Reform Exchange</title>
  <link rel="stylesheet" href="{stylesheet}">
</head>
<body>
  <main id="main" class="wrap">
    <h1>We could not read that request</h1>
    <p>{message}</p>
    <p>This often happens when text is copied from another program with invisible
    characters in it. Type it again, or start from the <a href="/">home page</a>.</p>
  </main>
</body>
</html>
"""


def visible(name: str) -> str:
    """A parameter name fit to show: its control characters written as \\xNN."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", name)[:100]


def first_bad_field(data, pattern) -> tuple[str, str] | None:
    """(parameter, where) of the first name or value matching `pattern`, else None."""
    for name, values in data.lists():
        if pattern.search(name):
            return name, "name"
        for value in values:
            if pattern.search(value):
                return name, "value"
    return None


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info):
            return self.not_found(request)
        if any(CONTROL.search(name + value) for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if not CONTROL.search(name + value)
            }
        bad = first_bad_field(request.GET, CONTROL)
        if bad is not None:
            return self.bad_request(request, "parameter", *bad)
        if request.method == "POST" and self.is_form(request):
            bad = first_bad_field(request.POST, FORM_CONTROL)
            if bad is not None:
                return self.bad_request(request, "form field", *bad)
        return self.get_response(request)

    @staticmethod
    def is_form(request) -> bool:
        return request.content_type in FORM_CONTENT_TYPES

    @staticmethod
    def is_api(request) -> bool:
        return request.path_info.startswith("/api/")

    def not_found(self, request):
        if self.is_api(request):
            return JsonResponse({"error": "Not found.", "param": None}, status=404)
        # The site's own 404 page, from the handler; nothing after this middleware runs.
        raise Http404("control character in the path")

    def bad_request(self, request, place: str, param: str, where: str):
        message = (
            f"The {place} '{visible(param)}' has a control character in its {where}; "
            "remove it and try again."
        )
        if self.is_api(request):
            payload = {"error": message, "param": param}
            if request.path_info.startswith("/api/v2/"):
                payload["message"] = message  # the key Wagtail's page API reports errors in
            return JsonResponse(payload, status=400)
        page = PAGE.format(stylesheet=static("css/exchange.css"), message=escape(message))
        return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")


# What django-csp's decorators set on a response to give it a policy of its own.
OWN_POLICY = (
    *(f"_csp_{part}{ro}" for part in ("config", "update", "replace") for ro in ("", "_ro")),
    "_csp_exempt",
    "_csp_exempt_ro",
)
CSP_SETTINGS = (
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "CONTENT_SECURITY_POLICY_ADMIN",
)
# (header, value) pairs by whether the page is behind the admin's log-in.
_shared_headers: dict[bool, tuple[tuple[str, str], ...]] = {}


@receiver(setting_changed)
def _policy_settings_changed(setting, **kwargs) -> None:
    if setting in CSP_SETTINGS:
        _shared_headers.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    ADMIN = "/admin/"
    ADMIN_LOGIN = "/admin/login/"

    def is_admin(self, request) -> bool:
        path = request.path_info
        return path.startswith(self.ADMIN) and not path.startswith(self.ADMIN_LOGIN)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if self.is_admin(request):
            admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
            parts.update = {**admin, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        if not self.shares_policy(request, response):
            return super().process_response(request, response)
        admin = self.is_admin(request)
        if admin not in _shared_headers:
            _shared_headers[admin] = tuple(
                (header, self.policy(request, response, report_only))
                for header, report_only in ((HEADER, False), (HEADER_REPORT_ONLY, True))
            )
        for header, value in _shared_headers[admin]:
            if value and header not in response:
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def policy(self, request, response, report_only: bool) -> str:
        parts = self.get_policy_parts(request, response, report_only)
        return build_policy(
            config=parts.config,
            update=parts.update,
            replace=parts.replace,
            nonce=parts.nonce,
            report_only=report_only,
        )

    @staticmethod
    def shares_policy(request, response) -> bool:
        """Whether the response's header is the one every response like it gets: no nonce,
        no policy of its own, and none of the exceptions django-csp makes by path or for
        Django's debug pages."""
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in OWN_POLICY)
            and not (settings.DEBUG and response.status_code in (404, 500))
            and not any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in CSP_SETTINGS[:2]
            )
        )

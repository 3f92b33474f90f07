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
"""

from __future__ import annotations

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    ADMIN = "/admin/"
    ADMIN_LOGIN = "/admin/login/"

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        path = request.path_info
        if path.startswith(self.ADMIN) and not path.startswith(self.ADMIN_LOGIN):
            admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
            parts.update = {**admin, **(parts.update or {})}
        return parts

"""The Content-Security-Policy header (exchange.middleware): strict on the public pages and
the admin's log-in, with the admin's one exception behind it, a response's own policy where
it sets one, and the settings' current policy, never one remembered from before they changed."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from exchange.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def script_src(policy: str) -> str:
    return next(part.strip() for part in policy.split(";") if "script-src" in part)


def test_public_pages_and_the_admin_log_in_get_the_strict_policy(client, home):
    assert script_src(client.get("/")[HEADER]) == "script-src 'self'"
    assert script_src(client.get("/admin/login/")[HEADER]) == "script-src 'self'"
    # From the page cache too.
    with override_settings(PAGE_CACHE_SECONDS=300):
        client.get("/")
        cached = client.get("/")
    assert cached["X-Page-Cache"] == "hit"
    assert script_src(cached[HEADER]) == "script-src 'self'"


def test_behind_the_admin_log_in_inline_scripts_are_allowed(admin_client, home):
    policy = admin_client.get("/admin/")[HEADER]
    assert script_src(policy) == "script-src 'self' 'unsafe-inline'"
    # ... and only there: the same process answers a public page strictly afterwards.
    assert script_src(admin_client.get("/")[HEADER]) == "script-src 'self'"


def respond(view):
    middleware = ContentSecurityPolicyMiddleware(view)
    return middleware(RequestFactory().get("/"))


def test_a_response_with_a_policy_of_its_own_keeps_it():
    def view(request):
        response = HttpResponse()
        response._csp_update = {"img-src": ["https://tiles.example.org"]}
        return response

    assert "https://tiles.example.org" in respond(view)[HEADER]
    assert "https://tiles.example.org" not in respond(lambda request: HttpResponse())[HEADER]


def test_a_changed_policy_setting_takes_effect():
    respond(lambda request: HttpResponse())
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "cdn.example"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert "cdn.example" in respond(lambda request: HttpResponse())[HEADER]
    assert "cdn.example" not in respond(lambda request: HttpResponse())[HEADER]

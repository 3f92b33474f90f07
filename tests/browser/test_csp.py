"""The Content-Security-Policy holds in a real Chromium: every page sends it, and neither the
public pages nor the Wagtail admin (log-in, dashboard, page editor) trip it.

Chromium reports each blocked script, style, image or frame on the console; the page also
records `securitypolicyviolation` events, which name the directive and what was blocked.
"""

import re
import time

import pytest
from playwright.sync_api import Page, expect
from wagtail.admin.models import EditingSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


class Watch:
    """CSP headers and violations seen by one browser page."""

    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        self.policies: dict[str, str | None] = {}
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy")

    def violations(self) -> list[str]:
        recorded = self.page.evaluate("window.__cspViolations || []")
        return [*self.console, *recorded]

    def visit(self, url: str, strict: bool = True) -> None:
        response = self.page.goto(url)
        assert response.ok, url
        self.check(url, strict)

    def check(self, label: str, strict: bool = True) -> None:
        self.page.wait_for_load_state("networkidle")
        header = self.policies.get(self.page.url.split("#")[0])
        assert header, f"no Content-Security-Policy on {label}"
        directives = {}
        for part in filter(None, (part.strip() for part in header.split(";"))):
            name, _, sources = part.partition(" ")
            directives[name] = sources
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert "unsafe" not in directives["style-src"]
        # Inline scripts: never on the public site; behind the admin's log-in Wagtail needs them.
        assert ("'unsafe-inline'" not in directives["script-src"]) == strict, label
        assert self.violations() == [], label


def test_public_pages_work_under_the_policy(published_site, live_server, page: Page):
    watch = Watch(page)
    watch.visit(live_server.url + "/")
    watch.visit(live_server.url + "/case-studies/")
    page.get_by_role("link", name=re.compile("Chile")).first.click()
    expect(page.get_by_role("heading", name="Lessons for peers")).to_be_visible()
    watch.check("a case study")
    watch.visit(live_server.url + "/peers/?country=PRY&q=a+public+register+of+lobbyists")
    expect(page.locator(".peer").first).to_be_visible()
    # Disclosures (evidence lists) open and close with the site's own script.
    page.locator(".peer").first.get_by_text(re.compile(r"Evidence \(\d+\)")).click()
    watch.check("peers, evidence open")
    watch.visit(live_server.url + "/search/?q=access+to+information")
    watch.visit(live_server.url + "/countries/CHL/")


def test_the_admin_works_under_the_policy(
    published_site, live_server, page: Page, django_user_model
):
    from casestudies.models import CaseStudyPage

    django_user_model.objects.create_superuser("csp-admin", "csp@example.org", "pw-csp-admin-1")
    story = CaseStudyPage.objects.live().order_by("pk").first()
    watch = Watch(page)

    watch.visit(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("csp-admin")
    page.get_by_label("Password").fill("pw-csp-admin-1")
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page.get_by_role("heading", name=re.compile("Reform Exchange"))).to_be_visible()
    watch.check("the dashboard", strict=False)

    watch.visit(f"{live_server.url}/admin/pages/{story.get_parent().pk}/", strict=False)
    expect(page.get_by_role("link", name=story.title).first).to_be_visible()

    watch.visit(f"{live_server.url}/admin/pages/{story.pk}/edit/", strict=False)
    expect(page.locator("#id_title")).to_have_value(story.title)
    # The editor's tabs and a chooser modal, which loads its own markup and script.
    page.get_by_role("tab", name=re.compile("Promote")).click()
    page.get_by_role("tab", name=re.compile("Content")).click()
    chooser = page.locator("#id_country-chooser")
    chooser.get_by_role("button", name="Actions").click()
    chooser.get_by_role("button", name="Choose another country").click()
    modal = page.locator(".modal")
    expect(modal.get_by_role("heading", name="Choose country")).to_be_visible()
    modal.get_by_label("Search term").fill("Chile")
    expect(modal.get_by_role("link", name="Chile", exact=True)).to_be_visible()
    watch.check("the page editor with a chooser open", strict=False)

    leave_the_editor(page, story)


def leave_the_editor(page: Page, story) -> None:
    """Leave the page editor, and wait until the server has heard it.

    On leaving, the editor sends a beacon releasing its editing session; sent as the page
    closed at the end of the test, it reached the server while the test's database was
    being emptied, and every later browser test failed. A beacon cannot be awaited in the
    browser, so wait for its effect: the session gone from the database.
    """
    sessions = EditingSession.objects.filter(object_id=str(story.pk))
    assert sessions.exists(), "the editor opened no editing session"
    page.goto("about:blank")
    for _ in range(100):
        if not sessions.exists():
            return
        time.sleep(0.05)
    raise AssertionError("the editor did not release its editing session")

"""Reports → Needs attention: what an editor should look at, with a CSV to share."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudyPage, Country
from casestudies.reports import LinkChecker

pytestmark = pytest.mark.django_db

URL = "/admin/reports/needs-attention/"
KENYA = "kenya-access-to-information-act"


@pytest.fixture
def editor_client(client, editor, demo_site):
    client.force_login(editor)
    return client


def rows(client, **params) -> list[dict[str, str]]:
    response = client.get(URL, params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    headings = [th.get_text(strip=True) for th in soup.select("table thead th")]
    return [
        dict(zip(headings, (td.get_text(" ", strip=True) for td in tr.select("td")), strict=True))
        for tr in soup.select("table tbody tr")
    ]


def problems_of(client, title: str, **params) -> list[tuple[str, str]]:
    return [
        (row["Problem"], row["Detail"]) for row in rows(client, **params) if row["Page"] == title
    ]


def kenya() -> CaseStudyPage:
    return CaseStudyPage.objects.get(slug=KENYA)


def test_editors_find_the_report_under_reports(editor_client):
    response = editor_client.get(reverse("wagtailadmin_home"))
    assert URL in response.content.decode()
    assert editor_client.get(URL).status_code == 200


def test_a_user_who_edits_no_page_cannot_open_it(client, django_user_model, demo_site):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("visitor", "v@example.org", "pw-visitor-1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get(URL).status_code in (302, 403)


def test_a_case_study_without_sources_is_listed(editor_client):
    page = kenya()
    page.sources = []
    page.save()

    assert ("No sources", "Readers cannot check the story.") in problems_of(
        editor_client, page.title
    )


def test_links_to_pages_and_countries_that_do_not_exist_and_malformed_addresses_are_listed(
    editor_client,
):
    page = kenya()
    page.body.append(
        (
            "markdown",
            "See [a removed story](/case-studies/gone-story/), [Atlantis](/countries/ATL/), "
            "[Kenya](/countries/KEN/) and [the act](http//kenyalaw.org/act).",
        )
    )
    page.sources.append(("source", {"title": "A report", "url": "www.example.org/report"}))
    page.save()

    broken = [
        detail
        for problem, detail in problems_of(editor_client, page.title)
        if problem == "Broken link"
    ]

    assert broken == [
        "www.example.org/report is not a web address",
        "/case-studies/gone-story/ leads nowhere: the page no longer exists",
        "/countries/ATL/ leads nowhere: the country no longer exists",
        "http//kenyalaw.org/act is not a web address",
    ]


def test_links_that_work_are_not_listed(demo_site):
    checker = LinkChecker()
    live_case_study = CaseStudyPage.objects.live().first()

    assert checker.problem(live_case_study.url) is None
    assert checker.problem(Country.objects.get(iso3="KEN").get_absolute_url()) is None
    assert checker.problem("/themes/right-to-information/") is None
    assert checker.problem("https://www.opengovpartnership.org/members/kenya/") is None
    assert checker.problem("#results") is None


def test_sample_pages_are_listed(editor_client):
    samples = CaseStudyPage.objects.filter(is_sample=True)
    listed = {row["Page"] for row in rows(editor_client, problem="sample")}

    assert samples.exists()
    assert set(samples.values_list("title", flat=True)) <= listed


def test_a_page_not_edited_for_a_year_is_listed_and_a_recent_one_is_not(editor_client):
    page = kenya()
    two_years_ago = timezone.now() - timedelta(days=730)
    CaseStudyPage.objects.filter(pk=page.pk).update(latest_revision_created_at=two_years_ago)

    stale = {row["Page"]: row["Detail"] for row in rows(editor_client, problem="stale")}

    assert stale == {page.title: f"Last edited {two_years_ago.date().isoformat()}."}


def test_the_filter_keeps_only_one_kind_of_problem(editor_client):
    kinds = {row["Problem"] for row in rows(editor_client, problem="sample")}
    assert kinds == {"Sample content"}


def test_the_report_says_why_search_terms_are_not_used(editor_client):
    text = editor_client.get(URL).content.decode()
    assert "the site does not record what people search for" in text


def test_csv_export_lists_the_problems_with_a_link_to_edit_each_page(editor_client):
    page = kenya()
    page.sources = []
    page.save()

    response = editor_client.get(URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="needs-attention.csv"'
    content = b"".join(response.streaming_content).decode("utf-8")
    table = list(csv.DictReader(io.StringIO(content)))
    row = next(r for r in table if r["Page"] == page.title and r["Problem"] == "No sources")
    assert row["Type"] == "Case study"
    assert row["Edit in the admin"] == f"http://testserver/admin/pages/{page.pk}/edit/"
    assert row["Last edited"] == page.latest_revision_created_at.date().isoformat()


# The admin's home page ----------------------------------------------------------------


def home_panel(client):
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    return soup.select_one("#needs-attention-section")


def test_the_admin_home_tells_an_editor_how_many_pages_each_problem_concerns(editor_client):
    page = kenya()
    page.sources = []
    page.save()

    panel = home_panel(editor_client)

    counts = {
        row.a.get_text(strip=True): (int(row.select("td")[1].get_text()), row.a["href"])
        for row in panel.select("tbody tr")
    }
    assert counts["No sources"] == (1, f"{URL}?problem=no-sources")
    # The demo's case studies are sample content: each is one page, whatever its findings.
    samples = CaseStudyPage.objects.filter(is_sample=True).count()
    assert counts["Sample content"][0] >= samples > 0
    assert ("No sources", page.title) in [
        (row["Problem"], row["Page"]) for row in rows(editor_client, problem="no-sources")
    ]


def test_the_admin_home_says_when_nothing_needs_attention(editor_client):
    from wagtail.models import Page

    for model_page in Page.objects.filter(depth__gt=1).specific():
        if getattr(model_page, "is_sample", False):
            model_page.delete()
    CaseStudyPage.objects.all().delete()

    panel = home_panel(editor_client)

    assert panel.select("table") == []
    assert "Nothing needs attention" in panel.get_text()


def test_the_panel_is_not_shown_to_someone_who_edits_no_page(client, django_user_model, demo_site):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reviewer", "r@example.org", "pw-reviewer-1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert home_panel(client) is None

"""Who may do what in the admin, and production settings that are safe by default."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from casestudies.models import CaseStudyPage, Commitment, Country, Theme

ADMIN_SNIPPETS = "/admin/snippets/casestudies"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def listing_titles(response) -> list[str]:
    """The title column of an admin listing, one entry per row."""
    return [a.get_text(strip=True) for a in soup(response).select("td.title .title-wrapper a")]


def case_study_form(**changes) -> dict:
    """What the admin's case study form posts, for a complete new case study."""
    data = nested_form_data(
        {
            "title": "Zambia's budget hearings",
            "slug": "zambias-budget-hearings",
            "summary": "Citizens heard the budget before the vote.",
            "country": Country.objects.get(iso3="ZMB").pk,
            "jurisdiction": "",
            "period_start": "2019",
            "period_end": "",
            "status": "in-progress",
            "key_figures": streamfield([]),
            "body": streamfield([("markdown", "Hearings in **every** province.")]),
            "sources": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    data["themes"] = [Theme.objects.get(slug="fiscal-openness").pk]
    data.update(changes)
    return data


def add_case_study(client, index, **changes):
    url = reverse("wagtailadmin_pages:add", args=["casestudies", "casestudypage", index.pk])
    response = client.post(url, case_study_form(**changes))
    assert response.status_code == 302, response.context["form"].errors
    return CaseStudyPage.objects.get(slug="zambias-budget-hearings")


@pytest.fixture
def submitted(real_data, case_study_index, editor, client):
    """A case study an editor wrote and submitted for moderation."""
    client.force_login(editor)
    page = add_case_study(client, case_study_index, **{"action-submit": "Submit for moderation"})
    client.logout()
    return page


# --- Getting into the admin ----------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_user_without_a_group_cannot_open_the_admin(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", "reader@example.org", "pw-read-1")
    client.force_login(reader)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(f"{ADMIN_SNIPPETS}/commitment/").status_code == 302


@pytest.mark.django_db
def test_editor_and_moderator_can_open_the_admin(client, editor, moderator):
    for user in (editor, moderator):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_migrate_creates_the_editorial_groups_and_approval_workflow():
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    workflow = Workflow.objects.get(name="Moderators approval")

    assert workflow.active
    assert [task.name for task in workflow.tasks.all()] == ["Moderators approval"]
    assert workflow.tasks.get().specific.groups.get() == moderators
    assert workflow.workflow_pages.get().page == Page.get_first_root_node()
    editor_permissions = set(editors.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_country", "change_commitment", "add_theme"} <= editor_permissions
    assert "delete_country" not in editor_permissions
    moderator_permissions = set(moderators.permissions.values_list("codename", flat=True))
    assert {"access_admin", "delete_country", "delete_commitment"} <= moderator_permissions

    def page_permissions(group):
        return set(
            GroupPagePermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        )

    assert {"add_page", "change_page"} <= page_permissions(editors)
    assert "publish_page" not in page_permissions(editors)
    assert "publish_page" in page_permissions(moderators)


# --- Editing and moderating case studies ------------------------------------------------------


@pytest.mark.django_db
def test_editor_submits_a_case_study_for_moderation_and_it_stays_unpublished(
    submitted, editor, client
):
    assert not submitted.live
    assert submitted.workflow_in_progress
    assert submitted.current_workflow_task.name == "Moderators approval"
    assert not submitted.permissions_for_user(editor).can_publish()
    assert client.get("/case-studies/zambias-budget-hearings/").status_code == 404
    listing = soup(client.get("/case-studies/"))
    assert "Zambia" not in " ".join(card.get_text() for card in listing.select(".card"))
    # Nor does the draft leak into the listing's filter choices.
    assert not listing.select("#id_country option[value='ZMB']")


@pytest.mark.django_db
def test_editor_saves_a_draft_that_readers_cannot_see(real_data, case_study_index, editor, client):
    client.force_login(editor)
    page = add_case_study(client, case_study_index)
    client.logout()

    assert not page.live
    assert not page.workflow_in_progress
    assert page.get_latest_revision().content["summary"] == (
        "Citizens heard the budget before the vote."
    )
    assert client.get("/case-studies/zambias-budget-hearings/").status_code == 404


@pytest.mark.django_db
def test_editor_pressing_publish_does_not_publish(real_data, case_study_index, editor, client):
    client.force_login(editor)

    page = add_case_study(client, case_study_index, **{"action-publish": "Publish"})

    assert not page.live
    assert client.get("/case-studies/zambias-budget-hearings/").status_code == 404


@pytest.mark.django_db
def test_editor_cannot_approve_their_own_submission(submitted, editor, client):
    task_state = submitted.current_workflow_task_state
    client.force_login(editor)

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk])
    )

    submitted.refresh_from_db()
    assert not submitted.live
    assert submitted.workflow_in_progress


@pytest.mark.django_db
def test_moderator_approves_and_the_case_study_goes_live(submitted, moderator, client):
    assert submitted.permissions_for_user(moderator).can_publish()
    task_state = submitted.current_workflow_task_state
    client.force_login(moderator)

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", task_state.pk]
        ),
        {"comment": "Checked the sources."},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    assert not submitted.workflow_in_progress
    client.logout()
    page = client.get("/case-studies/zambias-budget-hearings/")
    assert page.status_code == 200
    assert soup(page).h1.get_text() == "Zambia's budget hearings"
    assert soup(page).select_one(".case-study__body strong").get_text() == "every"


# --- Reference data snippets ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "first"),
    [
        ("country", lambda: Country.objects.order_by("name").first().name),
        ("theme", lambda: Theme.objects.order_by("name").first().name),
        (
            "commitment",
            lambda: (
                Commitment.objects.order_by("member_name", "plan_start_year", "identifier")
                .first()
                .identifier
            ),
        ),
    ],
    ids=["country", "theme", "commitment"],
)
def test_editor_reaches_the_reference_data_listings(real_data, editor, client, model, first):
    client.force_login(editor)

    response = client.get(f"{ADMIN_SNIPPETS}/{model}/")

    assert response.status_code == 200
    titles = listing_titles(response)
    assert len(titles) == 50  # a page of them
    assert titles[0] == first()


@pytest.mark.django_db
def test_country_listing_filters_by_region(real_data, editor, client):
    client.force_login(editor)

    response = client.get(f"{ADMIN_SNIPPETS}/country/", {"region": "North America"})

    assert sorted(listing_titles(response)) == sorted(
        Country.objects.filter(region="North America").values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_theme_listing_filters_by_parent_area(real_data, editor, client):
    client.force_login(editor)
    parent = Theme.objects.get(slug="anti-corruption-and-integrity")

    response = client.get(f"{ADMIN_SNIPPETS}/theme/", {"parent": parent.pk})

    names = listing_titles(response)
    assert "Right to information" in names
    assert sorted(names) == sorted(parent.children.values_list("name", flat=True))


@pytest.mark.django_db
def test_commitment_listing_filters_starred_commitments(real_data, editor, client):
    client.force_login(editor)

    response = client.get(f"{ADMIN_SNIPPETS}/commitment/", {"starred": "true"})

    assert response.status_code == 200
    titles = listing_titles(response)
    assert "CL0015" in titles  # starred
    assert "KE0012" not in titles  # not starred
    assert len(titles) == min(50, Commitment.objects.filter(starred=True).count())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "query", "found", "not_found"),
    [
        ("commitment", "KE0038", "KE0038", "KE0033"),
        ("commitment", "Kenya", "KE0038", "CL0015"),
        ("country", "Kenya", "Kenya", "Ghana"),
        ("country", "KEN", "Kenya", "Ghana"),
        ("theme", "lobbying", "Lobbying", "Open data"),
        ("theme", "RTI", "Right to information", "Open data"),
    ],
)
def test_editor_searches_the_reference_data(
    real_data, editor, client, model, query, found, not_found
):
    client.force_login(editor)

    response = client.get(f"{ADMIN_SNIPPETS}/{model}/", {"q": query})

    assert response.status_code == 200
    titles = listing_titles(response)
    assert found in titles
    assert not_found not in titles


# --- Production settings --------------------------------------------------------------------


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env(tmp_path: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="exchange.settings.production",
        ALLOWED_HOSTS="example.org",
        VAR_DIR=str(tmp_path),
    )
    return env


def test_deploy_check_is_clean_with_production_settings(production_env):
    production_env["SECRET_KEY"] = secrets.token_urlsafe(64)

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(production_env):
    result = run_manage("check", env=production_env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production." in result.stderr


def test_production_refuses_an_empty_secret_key(production_env):
    production_env["SECRET_KEY"] = ""

    result = run_manage("check", env=production_env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production." in result.stderr

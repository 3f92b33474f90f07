"""An editor writes a case study: finds Ghana by typing, then links a Ghana commitment.

Transactional test (the live server reads the database from another thread): the data is
loaded by `published_site`, not the session-wide `real_data`.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-editor-in-chief-1"


@pytest.fixture
def logged_in(page: Page, live_server, django_user_model):
    django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def test_editor_finds_ghana_by_typing_then_links_a_ghana_commitment(
    published_site, live_server, logged_in: Page, artifacts_dir
):
    from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Commitment

    page = logged_in
    index = CaseStudyIndexPage.objects.get()
    page.goto(f"{live_server.url}/admin/pages/add/casestudies/casestudypage/{index.pk}/")
    page.locator("#id_title").fill("Ghana's budget hearings (browser test)")
    page.locator("#id_summary").fill("A browser test of the case-study editor.")
    page.locator("#id_period_start").fill("2019")
    page.locator("#id_status").select_option(label="In progress")

    # The country: typed, not paged through.
    page.get_by_role("button", name="Choose country").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_placeholder("Search").fill("Ghana")
    modal.get_by_role("link", name="Ghana", exact=True).click()
    expect(modal).to_be_hidden()

    # Themes: grouped by area, narrowed by typing.
    page.get_by_label("Filter themes").fill("fiscal")
    expect(page.get_by_label("Fiscal openness", exact=True)).to_be_visible()
    expect(page.get_by_label("Anti-corruption agencies")).to_be_hidden()
    page.get_by_label("Fiscal openness", exact=True).check()

    # The commitment chooser opens on Ghana and shows the IRM's ratings.
    page.get_by_role("button", name="Find commitments").click()
    expect(modal.get_by_label("Country")).to_have_value(
        str(Commitment.objects.filter(country__iso3="GHA").first().country_id)
    )
    rows = modal.locator("tbody tr")
    expect(rows.first).to_contain_text("Ghana")
    expect(modal.locator("thead")).to_contain_text("Potential impact")
    expect(rows.filter(has_not_text="Ghana")).to_have_count(0)
    modal.get_by_placeholder("Search").fill("GH0003")
    expect(rows).to_have_count(1)
    screenshot(page, artifacts_dir, "editor-commitment-chooser.png")
    rows.first.get_by_role("checkbox").check()
    modal.get_by_role("button", name="Confirm selection").click()
    expect(modal).to_be_hidden()

    linked = page.get_by_role("checkbox", name=re.compile("GH0003"))
    expect(linked).to_be_checked()
    expect(page.locator("[data-commitment-picker]")).to_contain_text("Potential impact:")
    screenshot(page, artifacts_dir, "editor-case-study-form.png")

    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))

    saved = CaseStudyPage.objects.get(title__startswith="Ghana's budget hearings")
    revision = saved.get_latest_revision_as_object()
    assert revision.country.iso3 == "GHA"
    assert [c.identifier for c in revision.commitments.all()] == ["GH0003"]
    assert [t.name for t in revision.themes.all()] == ["Fiscal openness"]

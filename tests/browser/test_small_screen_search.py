"""On a phone, results come first: filters wait behind a disclosure (issue 12)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 800}


def test_search_on_a_phone_shows_results_before_the_filters(
    published_site, live_server, page: Page, artifacts_dir
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/search/?q=information")

    heading = page.locator("#results-heading")
    expect(heading).to_be_in_viewport()
    first_hit = page.locator("li.hit").first
    assert first_hit.bounding_box()["y"] < PHONE["height"] * 1.5
    filters = page.locator("details#filters")
    expect(filters).not_to_have_attribute("open", "")
    screenshot(page, artifacts_dir, "search-phone.png")

    page.get_by_role("link", name="Filter results").click()
    filters.locator("summary").click()
    expect(filters.get_by_role("heading", name="Type")).to_be_visible()
    filters.get_by_role("link", name="Commitment").click()
    expect(page.locator(".hit__type .tag").first).to_have_text("Commitment")


def test_search_on_a_wide_screen_shows_the_filters_beside_the_results(
    published_site, live_server, page: Page
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/search/?q=information")

    facets = page.locator("details#filters")
    expect(facets).to_have_attribute("open", "")
    results = page.locator("section.results").bounding_box()
    assert facets.bounding_box()["x"] < results["x"]  # filters on the left


def test_case_study_listing_on_a_phone_folds_its_filters_until_asked(
    published_site, live_server, page: Page, artifacts_dir
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/case-studies/")

    expect(page.locator(".result-count")).to_be_in_viewport()
    panel = page.locator("details.filter-panel")
    expect(panel).not_to_have_attribute("open", "")
    panel.locator("summary").click()
    page.get_by_label("Country", exact=True).select_option(label="Kenya")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".result-count")).to_have_text("1 case study")
    # A filtered listing keeps its filters in view: the reader sees what is applied.
    expect(page.locator("details.filter-panel")).to_have_attribute("open", "")
    screenshot(page, artifacts_dir, "case-studies-phone.png")

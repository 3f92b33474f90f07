"""A reformer's first visit, in a real Chromium: home → case study → country.

Transactional tests (the live server reads the database from another thread) cannot rely on
the session-wide `real_data` rows, so each test loads the data it needs itself.
"""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KENYA_ATI = re.compile(r"^Kenya.s Access to Information Act$")
SECTION_HEADINGS = ["Context", "What was done", "Results"]
PHONE = {"width": 375, "height": 800}


def open_kenya_case_study(page: Page, base_url: str) -> None:
    """From the case study listing, filtered to Kenya, to the case study itself."""
    page.goto(f"{base_url}/case-studies/")
    panel = page.locator("details.filter-panel")
    if panel.get_attribute("open") is None:  # folded on a phone until asked
        panel.locator("summary").click()
    page.get_by_label("Country", exact=True).select_option(label="Kenya")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".result-count")).to_have_text("1 case study")
    page.get_by_role("link", name=KENYA_ATI).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(KENYA_ATI)


def test_reformer_goes_from_home_to_a_case_study_and_its_country(
    published_site, live_server, page: Page, artifacts_dir
):
    from casestudies.models import Commitment

    # Home: headline figures from the real IRM data and featured case studies.
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Reform Exchange"))
    figures = page.locator(".figure-grid")
    expect(figures.locator("div", has_text="commitments in our data").locator("dd")).to_have_text(
        intcomma(Commitment.objects.count())
    )
    expect(figures.locator("dd")).to_have_count(5)
    expect(figures.locator("dd", has_text="—")).to_have_count(0)
    featured = page.locator("section", has=page.locator("#featured-heading")).locator(".card")
    expect(featured.first).to_be_visible()
    expect(featured.first.locator(".card__title a")).to_have_attribute("href", re.compile(r"."))
    screenshot(page, artifacts_dir, "home.png")

    # Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / "home-skip-link.png"))
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # Case studies: filter to Kenya and open its access to information case study.
    page.get_by_role("link", name="Browse case studies").click()
    expect(page).to_have_url(re.compile(r"/case-studies/$"))
    open_kenya_case_study(page, live_server.url)
    for heading in SECTION_HEADINGS:
        expect(page.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    expect(page.locator(".key-figures")).to_contain_text("21 days")
    expect(page.locator(".commitment")).to_contain_text("KE0038")
    sources = page.locator("section", has=page.locator("#sources-heading"))
    expect(sources.get_by_role("heading", name="Sources")).to_be_visible()
    expect(sources.locator("li")).to_have_count(4)
    expect(sources.get_by_role("link")).to_have_attribute(
        "href", "https://opengovpartnership.org/members/kenya/commitments/ke0038"
    )
    screenshot(page, artifacts_dir, "case-study.png")

    # Country: World Bank context and the IRM-rated commitments.
    page.locator(".facts").get_by_role("link", name="Kenya", exact=True).click()
    expect(page).to_have_url(re.compile(r"/countries/KEN/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kenya")
    expect(page.locator(".facts")).to_contain_text("Sub-Saharan Africa")
    expect(page.get_by_role("heading", name="Commitments and IRM outcomes")).to_be_visible()
    kenya_commitments = Commitment.objects.filter(country__iso3="KEN").count()
    assert kenya_commitments > 0
    expect(page.locator(".action-plan .commitment")).to_have_count(kenya_commitments)
    expect(page.locator(".action-plan .commitment", has_text="KE0038")).to_have_count(1)
    expect(page.locator(".cards")).to_contain_text("Access to Information Act")
    screenshot(page, artifacts_dir, "country.png")


@pytest.mark.parametrize(
    "screen",
    [
        "case-study",
        "case-studies",
    ],
)
def test_page_fits_a_phone_screen(published_site, live_server, new_context, artifacts_dir, screen):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    if screen == "case-study":
        open_kenya_case_study(page, live_server.url)
        expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    else:
        page.goto(f"{live_server.url}/case-studies/")
        page.locator("details.filter-panel summary").click()  # folded on a phone
        expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, artifacts_dir, f"{screen}-mobile.png")
    assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"

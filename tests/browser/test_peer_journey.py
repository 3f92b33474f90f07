"""Find my peers, in a real Chromium: a goal typed on the home page → peers with reasons →
the evidence behind one of them."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reformer_types_a_goal_on_the_home_page_and_follows_evidence_to_a_case_study(
    published_site, live_server, page: Page, artifacts_dir
):
    page.goto(live_server.url + "/")
    page.get_by_label("Your country", exact=True).select_option(label="Paraguay")
    page.get_by_label("The reform you want", exact=True).fill("a public register of lobbyists")
    page.get_by_role("button", name="Find peers").click()

    expect(page).to_have_url(re.compile(r"/peers/\?country=PRY&q=a\+public\+register"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Peers for Paraguay"))
    ).to_be_visible()
    peers = page.locator(".peer")
    expect(peers.first).to_be_visible()
    names = peers.locator("h3").all_inner_texts()
    assert "Paraguay" not in names
    assert {"Chile", "Ireland"} <= set(names[:5])
    chile = peers.filter(has=page.get_by_role("heading", name="Chile"))
    expect(chile.locator(".reasons")).to_contain_text("Same region: Latin America & Caribbean")
    expect(chile.locator(".reasons")).to_contain_text("Lobbying Law")
    expect(page.get_by_role("heading", name=re.compile("How the ranking works"))).to_be_visible()
    screenshot(page, artifacts_dir, "peers.png")

    chile.get_by_text(re.compile(r"Evidence \(\d+\)")).click()
    chile.get_by_role("link", name=re.compile("Chile's Lobbying Law")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chile")
    expect(page.get_by_role("heading", name="Lessons for peers")).to_be_visible()

"""A brokered peer introduction, in a real Chromium: find peers → request an introduction →
the Support Unit sees it in the admin queue and marks it introduced → the requester sees the
new status on their private page and rates the introduction."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from learning.models import IntroductionRequest, IntroductionStatus
from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def broker(django_user_model):
    user = django_user_model.objects.create_user(
        "broker", "broker@example.org", "pw-broker-1", first_name="Ana", last_name="Broker"
    )
    user.groups.add(Group.objects.get(name="Introduction brokers"))
    return user


def test_requester_follows_an_introduction_the_support_unit_brokers(
    published_site, broker, live_server, page: Page, browser: Browser, artifacts_dir
):
    # The reformer finds their peers and asks to meet Chile's reformers.
    page.goto(live_server.url + "/peers/?country=PRY&q=a+public+register+of+lobbyists")
    chile = page.locator(".peer").filter(has=page.get_by_role("heading", name="Chile"))
    chile.get_by_role("link", name="Request an introduction to reformers in Chile").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Request an introduction to reformers in Chile"
    )
    expect(page.get_by_label("Your country")).to_have_value(
        page.locator("#id_country option", has_text="Paraguay").get_attribute("value")
    )
    expect(page.get_by_label("The reform")).to_have_value("a public register of lobbyists")
    page.get_by_label("Your name").fill("Lucía Benítez")
    page.get_by_label("Your email").fill("lucia@example.org")
    page.get_by_label("Organisation and role").fill("SENAC, policy adviser")
    page.get_by_label("What you want to learn").fill(
        "How ministries were brought to publish their meetings with lobbyists."
    )
    screenshot(page, artifacts_dir, "introduction-request.png")
    page.get_by_role("button", name="Send my request").click()

    # Consent is required: the form says so and keeps what was typed.
    expect(page.locator(".field-error")).to_contain_text("Please agree")
    expect(page.get_by_label("Your name")).to_have_value("Lucía Benítez")
    page.get_by_label(re.compile("I agree that the Support Unit shares")).check()
    page.get_by_role("button", name="Send my request").click()

    # The page says the same whether or not this person asked before; the private status
    # link goes only to the email address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Lucía Benítez")
    expect(page.get_by_role("status")).to_contain_text("lucia@example.org")
    screenshot(page, artifacts_dir, "introduction-request-sent.png")
    assert mail.outbox[-1].to == ["lucia@example.org"]
    status_url = re.search(r"https?://\S+/introductions/[\w-]+/", mail.outbox[-1].body).group(0)
    page.goto(status_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your introduction to reformers in Chile"
    )
    expect(page.locator(".introduction__status")).to_have_text("New")
    screenshot(page, artifacts_dir, "introduction-status-new.png")

    # The Support Unit finds it in the queue and marks it introduced.
    admin_context = browser.new_context()
    admin = admin_context.new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.get_by_label("Username").fill("broker")
    admin.get_by_label("Password").fill("pw-broker-1")
    admin.get_by_role("button", name=re.compile("Sign in")).click()
    admin.goto(live_server.url + "/admin/peer_introductions/")
    row = admin.locator("tr", has_text="Lucía Benítez")
    expect(row).to_contain_text("Chile")
    expect(row).to_contain_text("New")
    screenshot(admin, artifacts_dir, "introduction-admin-queue.png")
    row.get_by_role("link", name="Lucía Benítez").click()

    expect(admin.get_by_text("How ministries were brought to publish")).to_be_visible()
    admin.get_by_label("Move to").select_option(label="Introduced")
    admin.get_by_label("Note").fill("Introduced to the lobbying register team by email.")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text(re.compile("emailed", re.IGNORECASE)).first).to_be_visible()
    screenshot(admin, artifacts_dir, "introduction-admin-broker.png")
    admin_context.close()

    introduction = IntroductionRequest.objects.get()
    assert introduction.status == IntroductionStatus.INTRODUCED
    assert status_url in mail.outbox[-1].body

    # The requester sees the new status and says the introduction was useful.
    page.goto(status_url)
    expect(page.locator(".introduction__status")).to_have_text("Introduced")
    expect(page.get_by_text("Introduced to the lobbying register team")).to_have_count(0)
    page.get_by_label("5 — very useful").check()
    page.get_by_label(re.compile("Anything we should know")).fill("They shared their law.")
    page.get_by_role("button", name="Save my rating").click()
    expect(page.get_by_text("Thank you: your rating is saved.")).to_be_visible()
    expect(page.get_by_text("You rated it 5 out of 5", exact=False)).to_be_visible()
    screenshot(page, artifacts_dir, "introduction-status-introduced.png")
    introduction.refresh_from_db()
    assert introduction.rating == 5

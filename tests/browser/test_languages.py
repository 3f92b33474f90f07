"""A French-speaking reformer in a real Chromium: switch to French, read a translated case
study, and an untranslated one in English with a notice (never a "page not found")."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from exchange.sample_translations import load_sample_translations
from tests.browser.conftest import screenshot
from tests.i18n import ensure_compiled_messages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def translated_site(published_site):
    ensure_compiled_messages()
    call_command("import_courses", "learning/sample_content", publish=True, verbosity=0)
    load_sample_translations()


def test_reformer_switches_to_french_and_reads_case_studies(
    translated_site, live_server, page: Page, artifacts_dir
):
    page.goto(live_server.url + "/case-studies/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The switcher keeps the reader on the same page, now in French.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    expect(page).to_have_url(live_server.url + "/fr/case-studies/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Études de cas").first).to_be_visible()
    language_nav = page.get_by_role("navigation", name="Langue")
    expect(language_nav.get_by_role("link", name="Français")).to_have_attribute(
        "aria-current", "true"
    )

    # A translated case study: French text, still marked as sample content, no notice.
    page.locator(".card__title a[href$='/kenya-access-to-information-act/']").click()
    expect(page).to_have_url(re.compile(r"/fr/case-studies/kenya-access-to-information-act/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "La loi kényane sur l’accès à l’information"
    )
    expect(page.locator(".notice--sample")).to_contain_text("Contenu d’exemple.")
    expect(page.locator(".notice--translation")).to_have_count(0)
    expect(page.get_by_text("Dernière mise à jour")).to_be_visible()
    screenshot(page, artifacts_dir, "fr-case-study.png")

    # An untranslated one: the English story at the French address, with a notice.
    page.go_back()
    page.locator(".card__title a[href$='/uk-beneficial-ownership-register/']").click()
    expect(page).to_have_url(re.compile(r"/fr/case-studies/uk-beneficial-ownership-register/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The UK's Public Register of Beneficial Ownership"
    )
    notice = page.locator(".notice--translation")
    expect(notice).to_have_text(
        "Cette page n’est pas encore disponible en français : vous lisez la version anglaise."
    )
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    expect(page.locator(".case-study__body")).to_have_attribute("lang", "en")
    # The interface around it stays French, and English is one click away.
    expect(page.get_by_role("button", name="Rechercher")).to_be_visible()
    screenshot(page, artifacts_dir, "fr-untranslated-case-study.png")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/case-studies/uk-beneficial-ownership-register/")
    expect(page.locator(".notice--translation")).to_have_count(0)

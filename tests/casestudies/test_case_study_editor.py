"""The case-study editor: linked commitments with their ratings, themes grouped by area."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, demo_site):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    client.force_login(user)
    return client


def editor_form(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser"), len(queries)


def commitment_boxes(soup) -> dict[str, bool]:
    """Commitment title -> whether its box is ticked."""
    picker = soup.select_one('[data-commitment-picker][data-name="commitments"]')
    return {
        item.select_one(".commitment-picker__title").get_text(strip=True): item.input.has_attr(
            "checked"
        )
        for item in picker.select("li")
    }


def test_edit_form_ticks_linked_commitments_and_offers_the_rest_of_the_country(admin_client):
    page = CaseStudyPage.objects.get(slug="kenya-access-to-information-act")
    linked = {str(c) for c in page.commitments.all()}

    soup, queries = editor_form(admin_client, reverse("wagtailadmin_pages:edit", args=[page.pk]))

    boxes = commitment_boxes(soup)
    kenya = {str(c) for c in Commitment.objects.filter(country=page.country)}
    assert {title for title, ticked in boxes.items() if ticked} == linked
    assert set(boxes) == kenya | linked  # Kenya's, not the 558 of every country
    assert len(boxes) < Commitment.objects.count() / 5
    assert queries <= 60


def test_each_offered_commitment_shows_its_ratings(admin_client):
    page = CaseStudyPage.objects.get(slug="kenya-access-to-information-act")
    soup, _ = editor_form(admin_client, reverse("wagtailadmin_pages:edit", args=[page.pk]))

    picker = soup.select_one('[data-commitment-picker][data-name="commitments"]')
    ke0012 = next(li for li in picker.select("li") if "KE0012" in li.get_text())
    assert "Potential impact: Moderate" in ke0012.get_text(" ", strip=True)


def test_add_form_lists_no_commitment_until_a_country_is_chosen(admin_client):
    index = CaseStudyIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["casestudies", "casestudypage", index.pk])

    soup, queries = editor_form(admin_client, url)

    assert commitment_boxes(soup) == {}
    assert "Choose the country first" in soup.select_one("[data-commitment-picker]").get_text()
    assert soup.select_one("[data-commitment-picker-open]")  # the chooser, with JavaScript
    assert queries <= 40


def test_themes_are_grouped_under_their_policy_area(admin_client):
    index = CaseStudyIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["casestudies", "casestudypage", index.pk])
    soup, _ = editor_form(admin_client, url)

    widget = soup.select_one("[data-grouped-themes]")
    groups = {
        group.legend.get_text(strip=True): [
            label.get_text(strip=True) for label in group.select("label")
        ]
        for group in widget.select("fieldset")
    }
    assert "Anti-corruption agencies" in groups["Anti-corruption and integrity"]
    assert groups["Anti-corruption and integrity"][0] == "Anti-corruption and integrity"
    assert "Other policy areas" in groups
    # Every theme is offered exactly once.
    offered = [name for names in groups.values() for name in names]
    assert len(offered) == len(set(offered)) == 85
    assert widget.select_one('label[for$="_filter"]').get_text(strip=True) == "Filter themes"

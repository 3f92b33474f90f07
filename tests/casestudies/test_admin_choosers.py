"""Editors find a country or a commitment by typing in the case-study editor's chooser."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, real_data):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    client.force_login(user)
    return client


def chosen_titles(response) -> list[str]:
    html = (
        response.json()["html"]
        if response["Content-Type"].startswith("application/json")
        else (response.content.decode())
    )
    return [a.get_text(strip=True) for a in BeautifulSoup(html, "html.parser").select("td a")]


def chooser_results(client, model, query):
    url = reverse(f"wagtailsnippetchoosers_casestudies_{model}:choose_results")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return chosen_titles(response)


def test_typing_a_country_name_finds_it_although_imports_fill_no_search_index(admin_client):
    assert chooser_results(admin_client, "country", "ghana") == ["Ghana"]
    assert "Ghana" in chooser_results(admin_client, "country", "GHA")  # also its code


def test_typing_part_of_a_title_or_an_identifier_finds_the_commitment(admin_client):
    by_identifier = chooser_results(admin_client, "commitment", "ke0012")
    assert len(by_identifier) == 1
    assert "Enhance transparency in the legislative process" in by_identifier[0]
    assert any(
        "legislative process" in title
        for title in chooser_results(admin_client, "commitment", "legislative process")
    )


def test_a_search_without_match_says_so_and_does_not_fail(admin_client):
    assert chooser_results(admin_client, "country", "Atlantis") == []


# The commitment chooser: one country at a time, with the IRM's ratings


def commitment_rows(client, **params) -> list[list[str]]:
    url = reverse("wagtailsnippetchoosers_casestudies_commitment:choose_results")
    response = client.get(url, params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")
    ]


def test_the_commitment_chooser_lists_only_the_chosen_countrys_commitments(admin_client):
    from casestudies.models import Commitment, Country

    ghana = Country.objects.get(iso3="GHA")
    rows = commitment_rows(admin_client, country=ghana.pk)

    expected = Commitment.objects.filter(country=ghana).count()
    assert 0 < len(rows) == min(expected, 25)  # 25 a page
    assert {row[1] for row in rows} == {"Ghana"}


def test_each_commitment_row_shows_its_irm_ratings_and_star(admin_client):
    from casestudies.models import Commitment

    starred = Commitment.objects.filter(starred=True).select_related("country").first()
    [row] = commitment_rows(admin_client, q=starred.identifier)

    assert row[0] == str(starred)
    assert row[1:] == [
        starred.country.name,
        starred.action_plan_label,
        starred.get_potential_impact_display(),
        starred.get_completion_display(),
        "★ Starred",
    ]


def test_a_commitment_the_irm_did_not_rate_says_not_assessed(admin_client):
    from casestudies.models import Commitment

    unrated = Commitment.objects.filter(potential_impact__isnull=True).first()
    [row] = commitment_rows(admin_client, q=unrated.identifier)

    assert row[3] == "Not assessed"


def test_clearing_the_country_searches_every_country(admin_client):
    from casestudies.models import Country

    ghana = Country.objects.get(iso3="GHA")
    in_ghana = commitment_rows(admin_client, country=ghana.pk, q="ke0012")
    everywhere = commitment_rows(admin_client, country="", q="ke0012")

    assert in_ghana == []
    assert [row[1] for row in everywhere] == ["Kenya"]


def test_the_chooser_opens_with_its_country_menu_set_to_the_chosen_country(admin_client):
    from casestudies.models import Country

    ghana = Country.objects.get(iso3="GHA")
    url = reverse("wagtailsnippetchoosers_casestudies_commitment:choose")
    response = admin_client.get(url, {"country": ghana.pk, "multiple": 1})

    soup = BeautifulSoup(response.json()["html"], "html.parser")
    menu = soup.select_one("select[name=country]")
    assert menu.find("option", selected=True).get_text() == "Ghana"
    assert soup.select("input[data-multiple-choice-select]")  # several may be ticked


def test_picking_commitments_returns_them_with_their_ratings(admin_client):
    from casestudies.models import Commitment

    commitment = Commitment.objects.get(identifier="KE0012")
    url = reverse("wagtailsnippetchoosers_casestudies_commitment:chosen_multiple")
    response = admin_client.get(url, {"id": [commitment.pk]})

    [chosen] = response.json()["result"]
    assert chosen["id"] == str(commitment.pk)
    assert chosen["ratings"].startswith("Potential impact: ")


def test_typing_a_synonym_finds_the_theme(admin_client):
    assert "Right to information" in chooser_results(admin_client, "theme", "FOI")

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

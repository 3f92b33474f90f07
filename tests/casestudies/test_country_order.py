"""Countries sort as readers expect: "Côte d'Ivoire" before "Czechia", "Türkiye" before
"Turkmenistan", in every list, although neither database sorts by language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from casestudies.models import Commitment, Country
from casestudies.models.reference import sort_key

pytestmark = pytest.mark.django_db


def before(names: list[str], first: str, second: str) -> bool:
    return names.index(first) < names.index(second)


def test_the_sort_key_sets_accents_and_case_aside():
    assert sort_key("Côte d'Ivoire") == "cote d'ivoire"
    assert sort_key("São Tomé and Principe") == "sao tome and principe"
    assert sort_key("Côte d'Ivoire") < sort_key("Czechia")


def test_imported_countries_sort_by_their_name_without_accents(real_data):
    names = list(Country.objects.values_list("name", flat=True))

    assert before(names, "Côte d'Ivoire", "Czechia")
    assert before(names, "Türkiye", "Turkmenistan")
    assert not Country.objects.filter(sort_name="").exists()  # bulk imports keep it too


def test_renaming_a_country_keeps_its_sort_key(real_data):
    country = Country.objects.get(iso3="CIV")
    country.name = "Ivory Coast"
    country.save(update_fields=["name"])

    country.refresh_from_db()
    assert country.sort_name == "ivory coast"


def test_bulk_writes_keep_the_sort_key(db):
    Country.objects.bulk_create([Country(iso3="ZZA", name="Éire (test)", region="Test")])
    country = Country.objects.get(iso3="ZZA")
    assert country.sort_name == "eire (test)"

    country.name = "Ōland (test)"
    Country.objects.bulk_update([country], ["name"])
    assert Country.objects.get(iso3="ZZA").sort_name == "oland (test)"


def test_the_countries_page_lists_cote_divoire_before_czechia(client, real_data):
    names = []
    for number in (1, 2, 3, 4):  # the list is paginated
        response = client.get(reverse("casestudies:country_list"), {"page": number})
        soup = BeautifulSoup(response.content.decode(), "html.parser")
        names += [
            link.get_text(strip=True)
            for link in soup.select("div[aria-label='Countries table'] th[scope=row] a")
        ]

    assert before(names, "Côte d'Ivoire", "Czechia")


def test_commitments_follow_their_countrys_order(real_data):
    countries = list(dict.fromkeys(Commitment.objects.values_list("country__name", flat=True)))
    assert countries == sorted(countries, key=sort_key)


def test_the_admin_country_list_sorts_by_the_key(client, django_user_model, real_data):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-chief-1")
    client.force_login(user)

    url = reverse("wagtailsnippets_casestudies_country:list")
    for params in ({}, {"ordering": "name"}):  # as it opens, and sorted by its Name column
        names = []
        for number in (1, 2):  # 50 a page: Czechia is on the second
            response = client.get(url, {**params, "p": number})
            soup = BeautifulSoup(response.content.decode(), "html.parser")
            names += [cell.get_text(strip=True) for cell in soup.select("tbody td.title a")]

        assert before(names, "Côte d'Ivoire", "Czechia")

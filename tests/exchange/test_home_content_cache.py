"""The home page keeps its figures, theme counts and country menu in the shared cache,
and shows the new ones as soon as the content changes (exchange.core.page_cache.content_cached)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.factories import CommitmentFactory
from casestudies.models import Country, Theme

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def shown_commitments(client) -> str:
    html = soup(client.get("/"))
    for item in html.select("dl.figure-grid > div"):
        if item.dt.get_text(strip=True) == "commitments in our data":
            return item.dd.get_text(strip=True)
    raise AssertionError("no commitment figure")


def menu(client) -> dict[str, str]:
    html = soup(client.get("/"))
    return {option["value"]: option.get_text() for option in html.select("#peer-country option")}


def theme_counts(client) -> dict[str, str]:
    html = soup(client.get("/"))
    return {
        item.a.get_text(): item.select_one(".count").get_text()
        for item in html.select(".theme-grid li")
    }


def test_home_page_reads_figures_themes_and_countries_from_the_cache_after_a_first_visit(
    real_data, home, client
):
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("casestudies_commitment", "casestudies_country", "casestudies_theme"):
        assert f'FROM "{table}"' not in sql


def test_home_page_counts_a_new_commitment_at_once(real_data, home, client):
    before = int(shown_commitments(client).replace(",", ""))

    CommitmentFactory(country=Country.objects.get(iso3="KEN"))

    assert int(shown_commitments(client).replace(",", "")) == before + 1


def test_home_page_menu_shows_a_renamed_country_at_once(real_data, home, client):
    assert menu(client)["KEN"] == "Kenya"
    kenya = Country.objects.get(iso3="KEN")

    kenya.name = "Republic of Kenya"
    kenya.save()

    assert menu(client)["KEN"] == "Republic of Kenya"


def test_home_page_theme_counts_follow_a_commitment_tagged_anew(real_data, home, client):
    theme = Theme.objects.filter(parent__isnull=True).order_by("name").first()
    before = theme_counts(client)[theme.name]
    commitment = CommitmentFactory(country=Country.objects.get(iso3="KEN"))

    commitment.themes.add(theme)

    count = int(before.split()[0])
    assert theme_counts(client)[theme.name] == f"{count + 1} commitments"

"""Reform records as a reader sees them: on country pages and theme pages."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.factories import CountryFactory
from casestudies.models import ReformRecord, ReformSource, Theme

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def trackers_section(html):
    return html.find(id="reform-records-heading").find_parent("section")


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_kenya_page_shows_its_ocds_publisher_with_year_link_and_source(real_data, client):
    record = ReformRecord.objects.get(country__iso3="KEN", kind="ocds-publisher")

    section = trackers_section(soup(client.get("/countries/KEN/")))

    item = section.find(id=f"reform-{record.pk}")
    assert item.a.get_text(strip=True) == record.title
    assert item.a["href"] == "https://tenders.go.ke/Contracts"
    text = item.get_text(" ", strip=True)
    assert "Since 2024" in text
    assert "Source: Open Contracting Partnership , data as of April 2025" in text
    # The record's URL (used by search hits) points at this item.
    assert record.get_absolute_url() == f"/countries/KEN/#reform-{record.pk}"


def test_country_page_groups_records_by_theme(real_data, client):
    section = trackers_section(soup(client.get("/countries/KEN/")))

    headings = [h3.get_text(strip=True) for h3 in section.select("h3")]
    assert headings == ["Beneficial ownership", "Open contracting"]
    ownership = section.select("section.reform-theme")[0].get_text(" ", strip=True)
    assert "Committed to beneficial-ownership transparency" in ownership
    assert "Source: Open Ownership , data as of February 2022" in ownership


def test_country_page_lists_several_registers_of_one_country(real_data, client):
    section = trackers_section(soup(client.get("/countries/SVK/")))

    links = [a.get_text(strip=True) for a in section.select("a[rel=external]")]
    assert "Slovakia Public Sector Partners Register" in links
    assert "Slovakia Commercial Register" in links


def test_country_without_records_says_so(real_data, client):
    section = trackers_section(soup(client.get("/countries/DZA/")))

    assert "No reform tracker we import records anything for Algeria yet." in section.text


def test_country_page_with_reform_records_renders_in_at_most_ten_queries(
    real_data, client, django_assert_max_num_queries
):
    client.get("/countries/GBR/")  # three OCDS publishers and a register
    with django_assert_max_num_queries(10):
        response = client.get("/countries/GBR/")
    assert "What trackers record" in response.text


def test_country_page_queries_do_not_grow_with_reform_records(real_data, client):
    country = CountryFactory()
    themes = list(Theme.objects.filter(slug__in=["open-contracting", "beneficial-ownership"]))

    def add(number, theme):
        ReformRecord.objects.create(
            source=ReformSource.OPEN_CONTRACTING,
            kind="ocds-publisher",
            key=f"test:{number}",
            country=country,
            theme=theme,
            title=f"Publisher number {number}",
            since=2020,
            source_url="https://www.open-contracting.org/worldwide/",
        )

    add(0, themes[0])
    url = f"/countries/{country.iso3}/"
    one = query_count(client, url)
    for number in range(1, 8):
        add(number, themes[number % 2])
    many = query_count(client, url)

    assert len(trackers_section(soup(client.get(url))).select("li.reform-record")) == 8
    assert many == one <= 10


def test_theme_page_lists_countries_with_records_and_their_first_year(real_data, client):
    html = soup(client.get("/themes/open-contracting/"))

    section = html.find(id="reform-countries-heading").find_parent("section")
    countries = {li.a.get_text(strip=True): li.get_text(" ", strip=True) for li in section("li")}
    count = ReformRecord.objects.filter(theme__slug="open-contracting")
    count = count.values("country").distinct().count()
    assert f"{count} countries with a record" in section.text
    assert len(countries) == count
    assert countries["Kenya"] == "Kenya (since 2024)"
    assert countries["United Kingdom"] == "United Kingdom (since 2016)"  # earliest of three
    assert section.find("a", string="Kenya")["href"] == "/countries/KEN/"
    assert "Source: Open Contracting Partnership." in section.get_text(" ", strip=True).replace(
        " .", "."
    )


def test_theme_page_without_records_has_no_trackers_section(real_data, client):
    html = soup(client.get("/themes/lobbying/"))

    assert html.find(id="reform-countries-heading") is None

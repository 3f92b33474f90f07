"""Insights as a reader sees them on the real data: the world maps on /countries/ and the
theme pages, the benchmark on each country page and /insights/ (casestudies/insights)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db.models import Q

from casestudies.factories import CommitmentFactory
from casestudies.insights import ambition
from casestudies.models import Commitment, Country, ReformRecord, Theme

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def map_titles(html, map_id) -> dict[str, str]:
    """The map's links as {href: accessible name}."""
    svg = html.select_one(f"figure[aria-labelledby='{map_id}-title'] svg")
    return {link["href"]: link.title.get_text() for link in svg.select("a")}


# --- /countries/ ---------------------------------------------------------------------------


def test_country_map_links_every_ogp_member_with_its_commitments(real_data, client):
    html = soup(client.get("/countries/"))

    titles = map_titles(html, "members-map")
    members = Country.objects.ogp_members()
    assert members.count() == 75
    for member in members:
        count = Commitment.objects.filter(country=member).count()
        word = "commitment" if count == 1 else "commitments"
        assert titles[f"/countries/{member.iso3}/"] == (
            f"{member.name}: {count} {word} in the IRM data"
        )
    assert titles["/countries/KEN/"] == "Kenya: 8 commitments in the IRM data"


def test_country_map_draws_members_missing_at_small_scale_as_dots(real_data, client):
    html = soup(client.get("/countries/"))

    # Cabo Verde, Malta and Seychelles have no outline at 1:110m: a dot, not nothing.
    for iso3 in ("CPV", "MLT", "SYC"):
        link = html.select_one(f"svg a[href='/countries/{iso3}/']")
        assert link.select("circle") and not link.select("path")
    # Kenya is large enough to be an outline alone.
    kenya = html.select_one("svg a[href='/countries/KEN/']")
    assert kenya.select("path") and not kenya.select("circle")


def test_country_map_has_a_legend_and_a_table_with_the_same_figures(real_data, client):
    html = soup(client.get("/countries/"))

    figure = html.select_one("figure.world-map")
    legend = [item.get_text(" ", strip=True) for item in figure.select(".world-map__keys li")]
    assert legend[0] == "None"
    assert legend[-2:] == ["Not an OGP member", "Small state, drawn as a dot"]
    assert re.fullmatch(r"\d+ or more", legend[-3])
    rows = {
        row.th.get_text(strip=True): row.select_one("td").get_text()
        for row in figure.select("details table tbody tr")
    }
    assert rows["Kenya"] == "8"
    assert rows["South Africa"] == "0"  # a member with no commitment in the data
    assert len(rows) == len(map_titles(html, "members-map"))


def test_keyboard_users_can_skip_the_maps_links(real_data, client):
    html = soup(client.get("/countries/"))

    skip = html.select_one("figure.world-map a.world-map__skip")
    assert skip.get_text() == "Skip the map's 78 country links"
    target = html.select_one(skip["href"])
    assert "world-map__legend" in target["class"]
    assert target["tabindex"] == "-1"


def test_country_map_follows_the_data_once_cached(real_data, client):
    kenya = Country.objects.get(iso3="KEN")
    client.get("/countries/")  # the rendered map is now in the content cache

    CommitmentFactory(country=kenya)

    titles = map_titles(soup(client.get("/countries/")), "members-map")
    assert titles["/countries/KEN/"] == "Kenya: 9 commitments in the IRM data"


def test_country_map_stays_light(real_data, client):
    html = soup(client.get("/countries/"))

    svg = str(html.select_one("figure.world-map svg"))
    # Natural Earth 1:110m, simplified and written as whole relative moves: about 40 KB.
    assert len(svg.encode()) < 50_000


# --- /themes/<slug>/ --------------------------------------------------------------------


def test_theme_map_counts_commitments_and_tracker_records(real_data, client):
    theme = Theme.objects.get(slug="open-contracting")
    recorded = (
        ReformRecord.objects.filter(theme=theme).values_list("country__iso3", flat=True).first()
    )
    country = Country.objects.get(iso3=recorded)
    records = ReformRecord.objects.filter(theme=theme, country=country).count()
    commitments = Commitment.objects.filter(themes=theme, country=country).count()

    titles = map_titles(soup(client.get("/themes/open-contracting/")), "evidence-map")

    title = titles[f"/countries/{country.iso3}/"]
    assert title.startswith(f"{country.name}: ")
    assert f"{records} tracker record" in title
    if commitments:
        assert f"{commitments} commitment" in title
    # Every OGP member shows, with or without evidence; no other country without any.
    shown = {href.split("/")[2] for href in titles}
    with_evidence = set(
        Country.objects.filter(
            Q(commitments__themes=theme) | Q(reform_records__theme=theme)
        ).values_list("iso3", flat=True)
    )
    members = set(Country.objects.ogp_members().values_list("iso3", flat=True))
    assert shown == members | with_evidence


def test_theme_map_says_when_a_member_has_no_evidence(real_data, client):
    theme = Theme.objects.get(slug="open-contracting")
    member = (
        Country.objects.ogp_members()
        .exclude(commitments__themes=theme)
        .exclude(reform_records__theme=theme)
        .first()
    )

    titles = map_titles(soup(client.get("/themes/open-contracting/")), "evidence-map")

    assert titles[f"/countries/{member.iso3}/"] == (
        f"{member.name}: no commitment or tracker record on this theme"
    )


# --- /countries/<iso3>/ -------------------------------------------------------------------


def share_cell(rated, good) -> str:
    return f"{round(100 * good.count() / rated.count())}% ({good.count()}/{rated.count()})"


def test_country_page_benchmarks_the_irm_record_against_peers_and_all_members(real_data, client):
    kenya = Country.objects.get(iso3="KEN")
    peers = Country.objects.ogp_members().filter(
        region=kenya.region, income_group=kenya.income_group
    )
    peers = peers.exclude(pk=kenya.pk)
    rated = Commitment.objects.filter(potential_impact__isnull=False)
    transformative = rated.filter(potential_impact="transformative")

    html = soup(client.get("/countries/KEN/"))

    table = html.select_one("table.bench-table")
    headings = [cell.get_text(strip=True) for cell in table.select("thead th")]
    assert headings == ["IRM rating", "Kenya", "Not assessed", "Context peers", "All OGP members"]
    rows = {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in table.select("tbody tr")
    }
    assert list(rows) == [
        "Transformative potential impact",
        "Substantially or fully complete",
        "Starred by the IRM",
        "Opened government: major or outstanding",
    ]
    own = Commitment.objects.filter(country=kenya)
    assert rows["Transformative potential impact"] == [
        share_cell(rated.filter(country=kenya), transformative.filter(country=kenya)),
        str(own.filter(potential_impact__isnull=True).count()),
        share_cell(rated.filter(country__in=peers), transformative.filter(country__in=peers)),
        share_cell(
            rated.filter(country__ogp_member=True), transformative.filter(country__ogp_member=True)
        ),
    ]
    assert rows["Transformative potential impact"][:2] == ["0% (0/3)", "5"]
    intro = html.select_one("section.benchmark p").get_text(" ", strip=True)
    assert "Context peers: the 5 other OGP members in the same World Bank region" in intro
    assert "those not assessed are left out" in intro


def test_country_page_chart_says_each_share_with_its_n(real_data, client):
    html = soup(client.get("/countries/KEN/"))

    charts = html.select(".bench-chart svg")
    assert len(charts) == 4
    # The chart's accessible name holds all three figures; its text repeats them.
    label = charts[0].title.get_text()
    assert label.startswith("Kenya: 0% of 3 rated; Context peers: ")
    assert "All OGP members: " in label
    assert charts[0].select_one("text.bench-chart__value").get_text() == "0% · n=3"


def test_country_page_sets_governance_against_the_regional_median(real_data, client):
    kenya = Country.objects.get(iso3="KEN")
    region = sorted(
        Country.objects.filter(region=kenya.region, rule_of_law__isnull=False).values_list(
            "rule_of_law", flat=True
        )
    )
    middle = len(region) // 2
    median = region[middle] if len(region) % 2 else (region[middle - 1] + region[middle]) / 2

    html = soup(client.get("/countries/KEN/"))

    row = next(
        row
        for row in html.select("table.governance-median tbody tr")
        if row.th.get_text() == "Rule of law"
    )
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[0] == f"{kenya.rule_of_law:.2f}"
    assert cells[1] == f"{median:.2f} (n={len(region)})"
    assert cells[2] == f"{kenya.rule_of_law - median:+.2f}"


def test_member_without_commitments_gets_no_benchmark_but_says_why(real_data, client):
    html = soup(client.get("/countries/ZAF/"))

    section = html.select_one("section.benchmark")
    assert section.select_one("p.empty").get_text(strip=True) == (
        "No commitments from South Africa are in our IRM data, so there is no record to compare."
    )
    assert not section.select("table")


# --- /insights/ ----------------------------------------------------------------------------


def test_insights_page_is_in_the_main_navigation(real_data, client):
    html = soup(client.get("/insights/"))

    link = html.select_one("nav[aria-label='Main'] a[href='/insights/']")
    assert link.get_text() == "Insights"
    assert link["aria-current"] == "page"
    assert html.h1.get_text() == "Ambition against implementation"


def test_insights_page_gives_n_in_every_cell_and_flags_thin_groups(real_data, client):
    html = soup(client.get("/insights/"))

    tables = html.select("table.ambition-table")
    assert len(tables) == 2  # regions, policy areas
    for row in (row for table in tables for row in table.select("tbody tr")):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for share in cells[1:]:
            assert re.fullmatch(r"\d+% \(n=\d+\)|none rated|—", share), share
    regions = {row.th.a.get_text(): row for row in tables[0].select("tbody tr")}
    assert set(regions) == set(Commitment.objects.values_list("country__region", flat=True))
    north_america = regions["North America"]
    rated = Commitment.objects.filter(
        country__region="North America", potential_impact__isnull=False
    ).count()
    assert rated < ambition.MIN_RATED
    assert "too few to tell" in north_america.th.get_text()
    assert "too-few" in north_america["class"]


def test_insights_page_says_what_the_data_shows(real_data, client):
    html = soup(client.get("/insights/"))

    rated = Commitment.objects.filter(potential_impact__isnull=False)
    transformative = rated.filter(potential_impact="transformative").count()
    text = html.select_one("main").get_text(" ", strip=True)
    assert (
        f"Of the {rated.count()} commitments the IRM rated for potential impact, "
        f"{round(100 * transformative / rated.count())}% had transformative potential"
    ) in text
    findings = [item.get_text(" ", strip=True) for item in html.select("ul.findings li")]
    assert any(finding.startswith("Ambition was highest in") for finding in findings)
    assert any(
        finding.startswith("Too few rated commitments to tell (fewer than 20")
        for finding in findings
    )


def test_insights_page_links_regions_to_their_countries_and_areas_to_their_themes(
    real_data, client
):
    html = soup(client.get("/insights/"))

    hrefs = [a["href"] for a in html.select("table.ambition-table th a")]
    assert "/countries/?region=Sub-Saharan+Africa" in hrefs
    top_level = Theme.objects.filter(parent__isnull=True, commitments__isnull=False).first()
    assert top_level.get_absolute_url() in hrefs


def test_insights_and_maps_keep_within_the_query_budget(
    real_data, client, django_assert_max_num_queries
):
    client.get("/insights/")
    with django_assert_max_num_queries(3):  # the commitments' ratings are cached
        client.get("/insights/")
    client.get("/themes/open-contracting/")
    with django_assert_max_num_queries(10):
        client.get("/themes/open-contracting/")

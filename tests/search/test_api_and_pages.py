"""What reformers and API clients see: /search/, /peers/, the JSON APIs, match_peers.

Everything runs over the embedded index built from the demo site (real OGP
commitments and the sample case studies).
"""

import json
import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import Country

pytestmark = pytest.mark.django_db

SEARCH_API = "/api/v1/search/"
MATCH_API = "/api/v1/match/"
FACETS = {"type", "theme", "country", "region", "income_group", "outcome"}


@pytest.fixture
def site(embedded_index):
    """The demo site with its search index: for anything that shows results."""
    return embedded_index


@pytest.fixture
def pages(real_data, home):
    """Countries, themes and the page tree: enough for pages that show no results."""
    return home


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def get_json(client, url, params=None, **more):
    response = client.get(url, {**(params or {}), **more})
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def count_queries(client, url, params) -> int:
    client.get(url, params)  # warm the per-process caches a running server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    # Gathering SQLite's full-text matches takes one statement per part of the query (a
    # word, a group's phrases by language): they follow the question, not its answers.
    return sum("INSERT INTO temp.search_matches" not in query["sql"] for query in queries)


# --- GET /api/v1/search/ ----------------------------------------------------------------


def test_search_api_answers_with_results_and_facets(client, site):
    status, data = get_json(client, SEARCH_API, q="beneficial ownership")

    assert status == 200
    assert {"total", "results", "facets"} <= set(data)
    assert data["total"] >= 10
    assert len(data["results"]) == min(20, data["total"])
    for result in data["results"]:
        assert {"title", "url", "type", "country", "themes", "snippet"} <= set(result)
        assert result["url"].startswith("http://testserver/")
        assert result["type"] in {"casestudy", "commitment", "reform"}
        assert set(result["country"]) == {"iso3", "name"}
    first = data["results"][0]
    assert "beneficial-ownership" in first["themes"]
    assert "<mark>" in "".join(result["snippet"] for result in data["results"])
    assert set(data["facets"]) == FACETS
    types = {facet["value"]: facet for facet in data["facets"]["type"]}
    assert types["commitment"]["label"] == "Commitment"
    assert sum(facet["count"] for facet in data["facets"]["type"]) == data["total"]
    themes = {facet["value"]: facet["label"] for facet in data["facets"]["theme"]}
    assert themes["beneficial-ownership"] == "Beneficial ownership"


def test_search_api_names_the_synonyms_it_searched(client, site):
    _, data = get_json(client, SEARCH_API, q="FOI")

    assert any("right to information" in group for group in data["expanded_terms"])
    assert data["total"] > 0


def test_search_api_shows_the_uk_register_for_who_owns_companies(client, site):
    _, data = get_json(client, SEARCH_API, q="who owns companies", type="casestudy")

    top = {result["title"]: result for result in data["results"][:2]}
    uk = top["The UK's Public Register of Beneficial Ownership"]
    assert uk["country"] == {"iso3": "GBR", "name": "United Kingdom"}
    assert "Slovakia's Register of Public Sector Partners" in top


FILTERS = [
    ({"type": "casestudy"}, lambda r: r["type"] == "casestudy"),
    ({"theme": "right-to-information"}, lambda r: "right-to-information" in r["themes"]),
    ({"country": "UKR"}, lambda r: r["country"]["iso3"] == "UKR"),
    ({"country": "ukr"}, lambda r: r["country"]["iso3"] == "UKR"),
]


def test_search_api_filters_keep_only_matching_results(client, site):
    _, unfiltered = get_json(client, SEARCH_API, q="information")

    for params, check in FILTERS:
        _, data = get_json(client, SEARCH_API, q="information", **params)
        assert data["results"], params
        assert all(check(result) for result in data["results"]), params
        assert data["total"] < unfiltered["total"], params


def test_search_api_region_and_income_filters_narrow_the_facets(client, site):
    _, data = get_json(
        client,
        SEARCH_API,
        q="information",
        region="Sub-Saharan Africa",
        income_group="Lower middle income",
    )

    assert data["total"] > 0
    assert [facet["value"] for facet in data["facets"]["region"]] == ["Sub-Saharan Africa"]
    assert [f["value"] for f in data["facets"]["income_group"]] == ["Lower middle income"]
    countries = [facet["value"] for facet in data["facets"]["country"]]
    assert countries
    assert Country.objects.filter(
        iso3__in=countries, region="Sub-Saharan Africa", income_group="Lower middle income"
    ).count() == len(countries)
    _, unfiltered = get_json(client, SEARCH_API, q="information")
    assert data["total"] < unfiltered["total"]


def test_search_api_outcome_filter_keeps_only_that_outcome(client, site):
    _, data = get_json(client, SEARCH_API, q="information", outcome="starred")

    assert data["total"] > 0
    outcomes = {facet["value"]: facet["count"] for facet in data["facets"]["outcome"]}
    assert outcomes["starred"] == data["total"]
    assert {facet["value"] for facet in data["facets"]["type"]} == {"commitment"}


def test_search_api_paginates(client, site):
    _, first = get_json(client, SEARCH_API, q="information", page_size=5)
    _, second = get_json(client, SEARCH_API, q="information", page_size=5, page=2)

    assert first["total"] == second["total"] > 10
    assert (first["page"], second["page"]) == (1, 2)
    assert len(first["results"]) == len(second["results"]) == 5
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    _, last = get_json(client, SEARCH_API, q="information", page=1000)
    assert last["results"] == [] and last["total"] == first["total"]


def test_search_api_without_text_browses_newest_first(client, site):
    _, data = get_json(client, SEARCH_API, type="casestudy")

    assert data["total"] == 16
    years = [result["year"] for result in data["results"]]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"country": "XYZ"}, "country"),
        ({"country": "Zambia"}, "country"),
        ({"theme": "no-such-theme"}, "theme"),
        ({"type": "blog"}, "type"),
        ({"region": "Atlantis"}, "region"),
        ({"income_group": "Very rich"}, "income_group"),
        ({"outcome": "famous"}, "outcome"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "1001"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"q": "x" * 501}, "q"),
        ({"theme": [f"t{n}" for n in range(21)]}, "theme"),
    ],
)
def test_search_api_rejects_bad_parameters_naming_them(client, real_data, params, param):
    status, data = get_json(client, SEARCH_API, {"q": "information", **params})

    assert status == 400
    assert set(data) == {"error", "param"}
    assert data["param"] == param
    assert data["error"]


def test_search_api_accepts_500_characters_and_odd_text(client, site):
    for text in ["x" * 500, "<script>alert(1)</script>", '"unbalanced (', "AND OR NOT *", "ñandú"]:
        status, data = get_json(client, SEARCH_API, q=text)
        assert status == 200, text
        assert data["total"] >= 0


# --- GET /api/v1/match/ -----------------------------------------------------------------


def test_match_api_answers_with_ranked_peers_and_their_evidence(client, site):
    status, data = get_json(client, MATCH_API, country="ZMB", q="beneficial ownership", limit=5)

    assert status == 200
    assert {"country", "understood_as", "peers", "fellowships", "courses"} <= set(data)
    assert data["understood_as"][0] == {
        "slug": "beneficial-ownership",
        "name": "Beneficial ownership",
        "confidence": 1.0,
    }
    assert data["country"] == {
        "iso3": "ZMB",
        "name": "Zambia",
        "region": "Sub-Saharan Africa",
        "income_group": "Lower middle income",
    }
    assert (data["fellowships"], data["courses"]) == ([], [])
    assert 1 <= len(data["peers"]) <= 5
    scores = [peer["score"] for peer in data["peers"]]
    assert scores == sorted(scores, reverse=True)
    for peer in data["peers"]:
        assert set(peer["country"]) == {"iso3", "name", "region", "income_group"}
        assert peer["country"]["iso3"] != "ZMB"
        assert 0 < peer["score"] <= 100
        assert peer["reasons"] and all(isinstance(r, str) for r in peer["reasons"])
        assert peer["evidence"]
        for evidence in peer["evidence"]:
            assert {"title", "url", "type", "year", "themes", "irm"} <= set(evidence)
            assert evidence["url"].startswith("http://testserver/")  # as search results
            assert isinstance(evidence["irm"], dict)
        assert any("beneficial-ownership" in e["themes"] for e in peer["evidence"])
    commitments = [e for p in data["peers"] for e in p["evidence"] if e["type"] == "commitment"]
    assert any(e["irm"].get("completion") for e in commitments)


def test_match_api_accepts_a_theme_instead_of_text(client, site):
    status, data = get_json(client, MATCH_API, country="KEN", theme="right-to-information")

    assert status == 200
    assert data["peers"]
    assert all(
        "right-to-information" in evidence["themes"]
        for peer in data["peers"]
        for evidence in peer["evidence"]
    )


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"q": "beneficial ownership"}, "country"),
        ({"country": "", "q": "beneficial ownership"}, "country"),
        ({"country": "XYZ", "q": "beneficial ownership"}, "country"),
        ({"country": "Zambia", "q": "beneficial ownership"}, "country"),
        ({"country": "ZMB"}, "q"),
        ({"country": "ZMB", "q": "   "}, "q"),
        ({"country": "ZMB", "q": "how do I"}, "q"),
        ({"country": "ZMB", "q": "x" * 501}, "q"),
        ({"country": "ZMB", "q": "beneficial ownership", "limit": "0"}, "limit"),
        ({"country": "ZMB", "q": "beneficial ownership", "limit": "51"}, "limit"),
        ({"country": "ZMB", "q": "beneficial ownership", "limit": "abc"}, "limit"),
        ({"country": "ZMB", "q": "beneficial ownership", "limit": "-3"}, "limit"),
        ({"country": "ZMB", "q": "beneficial ownership", "theme": "nope"}, "theme"),
    ],
)
def test_match_api_rejects_bad_parameters_naming_them(client, real_data, params, param):
    status, data = get_json(client, MATCH_API, params)

    assert status == 400
    assert set(data) == {"error", "param"}
    assert data["param"] == param
    assert data["error"]


def test_match_api_only_answers_get(client, real_data):
    response = client.post(MATCH_API, {"country": "ZMB", "q": "beneficial ownership"})

    assert response.status_code == 405


# --- /search/ ---------------------------------------------------------------------------


def test_search_page_shows_typed_results_facets_and_highlights(client, site):
    response = client.get("/search/", {"q": "freedom of information"})
    html = soup(response)

    assert response.status_code == 200
    heading = html.select_one("#results-heading").get_text(" ", strip=True)
    assert heading.endswith("results for “freedom of information”")
    hits = html.select("li.hit")
    assert len(hits) == 20
    labels = {hit.select_one(".hit__type .tag").get_text(strip=True) for hit in hits}
    assert labels <= {"Case study", "Commitment"} and "Commitment" in labels
    assert html.select(".hit__snippet mark")
    assert [h.get_text(strip=True) for h in html.select(".facet h3")][:2] == ["Type", "IRM outcome"]
    facet_labels = [a.get_text(strip=True) for a in html.select(".facet a")]
    assert "Right to information" in facet_labels
    also = html.find(string=lambda text: text and "Also searching for" in text)
    assert also and "right to information" in also and "foi" in also
    # The case study is found too. (The trilingual thesaurus also matches Spanish titles
    # naming the right to information, which now fill much of the first page.)
    case_studies = soup(
        client.get("/search/", {"q": "freedom of information", "type": "casestudy"})
    )
    assert "Kenya's Access to Information Act" in [
        a.get_text(strip=True) for a in case_studies.select(".hit__title a")
    ]


def test_a_spanish_search_lists_spanish_synonyms_first_and_folds_the_long_tail(client, site):
    html = soup(client.get("/es/search/", {"q": "acceso a la información"}))

    also = html.select_one(".also-searching")
    shown = also.p.get_text(" ", strip=True).removeprefix("También se busca:").strip()
    shown_phrases = [p.strip() for p in shown.replace(";", ",").split(",") if p.strip()]
    assert len(shown_phrases) == 8
    assert shown_phrases[0] == "derecho a la información"  # Spanish before English
    assert "acceso a la información" not in shown_phrases  # what was typed is not repeated
    summary = also.select_one("details summary").get_text(strip=True)
    folded = also.select_one("details p").get_text(" ", strip=True)
    assert summary == f"y {folded.count(',') + folded.count(';') + 1} términos más"
    assert "right to information" in shown + folded


def test_search_page_escapes_the_query_and_documents(client, site):
    response = client.get("/search/", {"q": "<script>alert(1)</script> information"})

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_search_page_for_nonsense_shows_suggestions(client, site):
    response = client.get("/search/", {"q": "xyzzyplugh qwertyuiop"})
    html = soup(response)

    assert response.status_code == 200
    assert "0 results" in html.select_one("#results-heading").get_text()
    empty = html.select_one(".empty")
    assert "No results for “xyzzyplugh qwertyuiop”" in empty.get_text()
    suggestions = [a["href"] for a in empty.select("a")]
    assert len(suggestions) >= 5
    assert all(href.startswith("/themes/") for href in suggestions)
    assert client.get(suggestions[0]).status_code == 200


def test_search_page_keeps_the_query_and_filters_in_its_links(client, site):
    response = client.get("/search/", {"q": "information", "type": "commitment"})
    html = soup(response)

    facet_links = [parse_qs(urlsplit(a["href"]).query) for a in html.select(".facet a")]
    selected = html.select_one('.facet a[aria-current="true"]')
    assert selected.get_text(strip=True).endswith("Commitment")
    assert parse_qs(urlsplit(selected["href"]).query) == {"q": ["information"]}
    adding = [query for query in facet_links if "theme" in query]
    assert adding
    for query in adding:
        assert query["q"] == ["information"] and query["type"] == ["commitment"]
    next_page = parse_qs(urlsplit(html.select_one('a[rel="next"]')["href"]).query)
    assert next_page == {"q": ["information"], "type": ["commitment"], "page": ["2"]}
    assert html.select_one("#search-q")["value"] == "information"

    second = client.get("/search/", next_page)
    assert "Page 2 of" in second.content.decode()
    assert all(
        hit.select_one(".tag").get_text(strip=True) == "Commitment"
        for hit in soup(second).select("li.hit")
    )


def test_search_page_rejects_bad_filters_with_a_message(client, real_data):
    response = client.get("/search/", {"q": "information", "country": "XYZ"})

    assert response.status_code == 400
    alert = soup(response).select_one('[role="alert"]').get_text(" ", strip=True)
    assert "Unknown country: XYZ" in alert
    assert "Start a new search" in alert


# --- /peers/ ----------------------------------------------------------------------------


def test_peers_page_shows_peers_with_reasons_and_evidence(client, site):
    response = client.get("/peers/", {"country": "ZMB", "q": "make public who owns companies"})
    html = soup(response)

    assert response.status_code == 200
    assert "Peers for Zambia" in html.select_one("#peers-heading").get_text()
    peers = html.select("li.peer")
    assert 5 <= len(peers) <= 10
    names = [peer.select_one("h3 a").get_text(strip=True) for peer in peers]
    assert "Zambia" not in names
    assert names[0] == "Nigeria"  # same region and income group, an IRM-rated BO register
    for peer in peers:
        assert peer.select("ul.reasons li")
        links = peer.select("ul.evidence a")
        assert links and all(a["href"] for a in links)
        assert "/100" in peer.select_one(".peer__score").get_text()
    evidence = [a.get_text(strip=True) for a in peers[0].select("ul.evidence a")]
    assert "To establish a public register of beneficial owners of corporate entities" in evidence
    assert html.select_one("#how-it-works")


def test_peers_page_says_how_it_read_the_goal_and_lets_the_reformer_choose(client, site):
    response = client.get("/peers/", {"country": "ZMB", "q": "make public who owns companies"})
    html = soup(response)

    understood = html.select_one(".understood")
    assert "We read your goal as: Beneficial ownership" in understood.get_text(" ", strip=True)
    form = understood.select_one("form")
    assert form.select_one("input[name=country]")["value"] == "ZMB"
    assert form.select_one("input[name=q]")["value"] == "make public who owns companies"
    assert form.select_one("label[for=peer-theme]")
    options = [option["value"] for option in form.select("select[name=theme] option")]
    assert options[0] == "" and "lobbying" in options

    chosen = soup(client.get("/peers/", {"country": "ZMB", "q": "who owns", "theme": "lobbying"}))
    text = chosen.select_one(".understood").get_text(" ", strip=True)
    assert "Policy area you chose: Lobbying" in text
    assert chosen.select_one("select[name=theme] option[selected]")["value"] == "lobbying"
    selected = html.select_one("#peer-country option[selected]")
    assert selected["value"] == "ZMB"


def test_peer_links_lead_to_pages_that_exist(client, site):
    html = soup(client.get("/peers/", {"country": "ZMB", "q": "beneficial ownership"}))
    peer = html.select_one("li.peer")

    assert client.get(peer.select_one("h3 a")["href"]).status_code == 200
    for link in peer.select("ul.evidence a"):
        assert client.get(link["href"].split("#")[0]).status_code == 200


def test_each_peer_offers_an_introduction_request_filled_in_with_the_search(client, site):
    html = soup(client.get("/peers/", {"country": "ZMB", "q": "beneficial ownership"}))
    peer = html.select_one("li.peer")
    name = peer.select_one("h3 a").get_text(strip=True)

    link = peer.select_one(".peer__introduce a")
    assert f"to reformers in {name}" in link.get_text()
    form = client.get(link["href"])
    assert form.status_code == 200
    assert form.context["peer_country"].name == name
    assert form.context["form"].initial["country"].iso3 == "ZMB"
    assert form.context["form"].initial["goal"] == "beneficial ownership"


def test_peers_page_without_a_question_shows_the_form_and_how_it_works(client, real_data):
    response = client.get("/peers/")
    html = soup(response)

    assert response.status_code == 200
    assert html.select_one("form.peer-form")
    assert html.select_one("#how-it-works h2").get_text().startswith("Why these peers?")
    assert not html.select("li.peer")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "XYZ", "q": "beneficial ownership"}, "Choose your country from the list"),
        ({"country": "ZMB", "q": "x" * 501}, "Your description is too long"),
        ({"country": "ZMB", "q": "how do I"}, "The goal has no words we can search for"),
        ({"country": "ZMB", "q": "lobbying", "theme": "nope"}, "We do not know that policy area"),
    ],
)
def test_peers_page_explains_bad_input_in_words_not_parameter_names(
    client, real_data, params, message
):
    response = client.get("/peers/", params)

    assert response.status_code == 400
    alert = soup(response).select_one('[role="alert"]').get_text()
    assert message in alert
    assert "'" not in alert.replace("’", "")  # no 'country' or 'q'
    assert soup(response).select_one("form.peer-form")


@pytest.mark.parametrize(
    ("params", "prompt"),
    [
        ({"q": "public register", "theme": "beneficial-ownership"}, "Choose your country"),
        ({"country": "ZMB", "q": ""}, "Describe the reform you want"),
    ],
)
def test_peers_page_asks_for_what_is_missing_without_an_error(client, real_data, params, prompt):
    """A lesson's "Find peers" link carries the reform but not the reader's country."""
    response = client.get("/peers/", params)

    assert response.status_code == 200
    assert prompt in soup(response).select_one('[role="status"]').get_text()
    form = soup(response).select_one("form.peer-form")
    assert form.select_one("input[name=q]")["value"] == params["q"]


@pytest.mark.parametrize(
    "url", ["/", "/countries/ZMB/", "/themes/beneficial-ownership/", "/peers/"]
)
def test_the_peer_form_is_on_home_country_theme_and_peers_pages(client, pages, url):
    response = client.get(url)
    form = soup(response).select_one("form.peer-form")

    assert response.status_code == 200
    assert form["action"] == "/peers/" and form["method"] == "get"
    label = form.select_one('label[for="peer-country"]')
    assert label.get_text(strip=True) == "Your country"
    assert len(form.select("#peer-country option")) > 200
    assert form.select_one('label[for="peer-q"]')


def test_the_country_page_form_preselects_the_country(client, pages):
    form = soup(client.get("/countries/ZMB/")).select_one("form.peer-form")

    assert form.select_one("#peer-country option[selected]")["value"] == "ZMB"


def test_the_theme_page_form_carries_the_theme(client, pages):
    form = soup(client.get("/themes/beneficial-ownership/")).select_one("form.peer-form")

    assert form.select_one('input[name="theme"]')["value"] == "beneficial-ownership"


# --- Query counts -----------------------------------------------------------------------


# On SQLite the embedded backend gathers full-text hits in a temporary table once per
# search (create if missing, empty, then one fill per query part and language: at most
# four for these questions), whatever the result count.
TEMP_TABLE_STATEMENTS = 6 if connection.vendor == "sqlite" else 0

# (url, a question with few answers, one with many, what counts the answers, query bound)
QUERY_BUDGETS = [
    ("/search/", {"q": "political finance"}, {"q": "information"}, "li.hit", 12),
    (
        SEARCH_API,
        {"q": "lobbying", "page_size": 2},
        {"q": "information", "page_size": 100},
        "results",
        11,
    ),
    (
        "/peers/",
        {"country": "ZMB", "q": "lobbying"},
        {"country": "ZMB", "q": "open data"},
        "li.peer",
        # + courses and open fellowships on the themes the goal names (one query each), and
        # the footer's site settings, which a request reads once unless an earlier one in the
        # process left them cached
        7,
    ),
    (
        MATCH_API,
        {"country": "ZMB", "q": "lobbying"},
        {"country": "ZMB", "q": "open data"},
        "peers",
        4,  # + courses and open fellowships on the themes the goal names (one query each)
    ),
]


def answers(response, counted) -> int:
    if response["Content-Type"] == "application/json":
        return len(response.json()[counted])
    return len(soup(response).select(counted))


def test_query_count_is_bounded_and_does_not_grow_with_results(
    client, site, django_assert_max_num_queries
):
    for url, few, many, counted, bound in QUERY_BUDGETS:
        assert answers(client.get(url, few), counted) < answers(client.get(url, many), counted)

        small, large = count_queries(client, url, few), count_queries(client, url, many)

        assert small == large, url
        with django_assert_max_num_queries(bound + TEMP_TABLE_STATEMENTS):
            client.get(url, many)


def test_query_counts_rise_only_by_the_filters_checked(client, site):
    plain = count_queries(client, SEARCH_API, {"q": "information"})
    filtered = count_queries(
        client, SEARCH_API, {"q": "information", "theme": "legislation", "country": "KEN"}
    )

    assert filtered == plain + 2  # one query each to check the theme and the country exist


# --- manage.py match_peers --------------------------------------------------------------


def test_match_peers_command_prints_ranked_peers_with_reasons(site):
    out = StringIO()

    call_command("match_peers", "--country", "ZMB", "--goal", "beneficial ownership", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Peers for Zambia — beneficial ownership"
    ranked = [line for line in lines if line[:3].strip().rstrip(".").isdigit()]
    assert ranked[0].startswith(" 1. ")
    assert len(ranked) >= 5
    assert any("(NGA)" in line for line in ranked)
    assert not any("(ZMB)" in line for line in ranked)
    assert any(line.strip().startswith("- Same region: Sub-Saharan Africa") for line in lines)


def test_match_peers_json_is_the_apis_ranking(client, site):
    out = StringIO()

    call_command(
        "match_peers", "--country", "ZMB", "--goal", "beneficial ownership", "--json", stdout=out
    )

    data = json.loads(out.getvalue())
    _, api = get_json(client, MATCH_API, country="ZMB", q="beneficial ownership")
    assert data["country"] == api["country"]

    def paths(peers):  # the command links the default site, the API the request's host
        for peer in peers:
            for evidence in peer["evidence"]:
                evidence["url"] = re.sub(r"^https?://[^/]+", "", evidence["url"])
        return peers

    assert all(e["url"].startswith("http") for p in data["peers"] for e in p["evidence"])
    assert paths(data["peers"]) == paths(api["peers"])


@pytest.mark.parametrize(
    ("arguments", "flag"),
    [
        (["--country", "XYZ", "--goal", "beneficial ownership"], "--country"),
        (["--country", "ZMB", "--goal", ""], "--goal"),
        (["--country", "ZMB", "--goal", "lobbying", "--limit", "0"], "--limit"),
        (["--country", "ZMB", "--goal", "lobbying", "--theme", "nope"], "--theme"),
    ],
)
def test_match_peers_command_names_the_bad_option(real_data, arguments, flag):
    with pytest.raises(CommandError) as error:
        call_command("match_peers", *arguments, stdout=StringIO())

    assert str(error.value).startswith(flag)

"""Fellowships are searchable, and offered with peer results, in the API and the command.

A reformer from Ireland asking about beneficial ownership gets, among others, the United
Kingdom, Slovakia and Armenia as peers (real IRM data, Open Ownership's records and the
sample case studies), and Switzerland, with no evidence on the reform in the data, is not
one of them: the fellowships below are placed accordingly.
"""

import datetime as dt
import json
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casestudies.models import Country, Theme
from learning.factories import FellowshipPageFactory
from learning.models import FellowshipIndexPage, FellowshipPage
from search import documents
from search.backends import get_search_backend, reset_backends
from search.backends.base import SearchQuery
from search.peers import MAX_FELLOWSHIPS, find_peers, open_fellowships_hosted_by
from search.presenters import fellowship_hit_status
from search.service import search
from tests.search.conftest import PLAIN_JSON_NODE

pytestmark = pytest.mark.django_db

REFORMER, GOAL = "IRL", "beneficial ownership"
TITLE = "Verifying a quokka register of company owners"
MATCH_API = "/api/v1/match/"
SAMPLE_FELLOWSHIPS = (
    settings.BASE_DIR / "learning" / "sample_content" / "fellowships" / "fellowships.yaml"
)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change and the on-commit hooks it registered, as a real request would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def publish_fellowship(embedded_index, commit):
    """Create and publish a fellowship (hosted in the UK, on beneficial ownership by default)."""
    index = FellowshipIndexPage.objects.get()

    def make(host="GBR", themes=("beneficial-ownership",), deadline_in_days=60, **fields):
        fields.setdefault(
            "application_deadline", timezone.now() + dt.timedelta(days=deadline_in_days)
        )

        def create():
            page = FellowshipPageFactory(
                parent=index,
                host_country=Country.objects.get(iso3=host),
                themes=list(Theme.objects.filter(slug__in=themes)),
                **fields,
            )
            page.save_revision().publish()
            return page

        return commit(create)

    return make


@pytest.fixture
def fellowship(publish_fellowship):
    return publish_fellowship(
        title=TITLE,
        summary="Six weeks with the registry team that checks who really owns companies.",
        host_institution="Companies House",
    )


def fellowship_hits(text, **filters):
    return [hit for hit in search(text, **filters).results.hits if hit.type == "fellowship"]


# --- Search ------------------------------------------------------------------------------


def test_published_fellowship_is_found_on_the_search_page_with_its_type_and_status(
    fellowship, client
):
    html = soup(client.get("/search/", {"q": "quokka"}))

    (hit,) = html.select("li.hit")
    assert hit.select_one(".hit__title a")["href"] == fellowship.url
    meta = hit.select_one(".hit__type").get_text(" ", strip=True)
    assert meta.startswith("Fellowship · Companies House, United Kingdom · Open · apply by")
    assert "UTC" in meta
    type_facet = [section for section in html.select("section.facet") if section.h3.text == "Type"]
    assert "Fellowship" in type_facet[0].get_text()


def test_search_api_lists_the_fellowship_with_its_host_country_and_status(fellowship, client):
    data = client.get("/api/v1/search/", {"q": "quokka"}).json()

    (result,) = data["results"]
    assert result["type"] == "fellowship"
    assert result["url"] == f"http://testserver{fellowship.url}"
    assert result["country"] == {"iso3": "GBR", "name": "United Kingdom"}
    assert result["themes"] == ["beneficial-ownership"]
    assert result["status"] == "open"
    assert dt.datetime.fromisoformat(result["application_deadline"]) == (
        fellowship.application_deadline
    )
    assert {"value": "fellowship", "label": "Fellowship", "count": 1} in data["facets"]["type"]


def test_type_and_theme_facets_narrow_results_to_the_fellowship(fellowship, client):
    by_type = client.get("/api/v1/search/", {"q": "company owners", "type": "fellowship"}).json()
    by_theme = client.get(
        "/api/v1/search/", {"type": "fellowship", "theme": "beneficial-ownership"}
    ).json()

    assert [result["title"] for result in by_type["results"]] == [TITLE]
    assert [result["title"] for result in by_theme["results"]] == [TITLE]
    assert (
        client.get("/api/v1/search/", {"type": "fellowship", "theme": "lobbying"}).json()["results"]
        == []
    )


def test_fellowship_is_found_through_its_host_country_region_and_income_group(fellowship):
    gbr = Country.objects.get(iso3="GBR")

    assert [hit.title for hit in fellowship_hits("", countries=["GBR"])] == [TITLE]
    assert [hit.title for hit in fellowship_hits("", regions=[gbr.region])] == [TITLE]
    assert [hit.title for hit in fellowship_hits("", income_groups=[gbr.income_group])] == [TITLE]
    assert fellowship_hits("", countries=["FRA"]) == []


def test_fellowship_is_found_by_what_the_fellow_will_do_and_the_host_institution(
    publish_fellowship,
):
    publish_fellowship(
        title="Six weeks in Bratislava",
        host="SVK",
        host_institution="Ministry of Justice",
        what_you_will_do="- Follow a wombat filing from registration to verification.",
    )

    assert [hit.title for hit in fellowship_hits("wombat filing")] == ["Six weeks in Bratislava"]
    assert [hit.title for hit in fellowship_hits("ministry justice bratislava")] == [
        "Six weeks in Bratislava"
    ]


@pytest.mark.parametrize(
    "prefix, said",
    [
        ("", "Bratislava time (UTC+1)"),
        ("/fr", "heure locale (Bratislava, UTC+1)"),
        ("/es", "hora de Bratislava (UTC+1)"),
    ],
)
def test_a_fellowship_hit_says_its_deadline_in_the_readers_language(
    publish_fellowship, client, prefix, said
):
    """The index keeps the deadline and its time zone, not words said in one language."""
    publish_fellowship(
        title="Six weeks in Bratislava",
        host="SVK",
        application_deadline=dt.datetime(2099, 1, 31, 22, 59, tzinfo=dt.UTC),
        deadline_time_zone="Europe/Bratislava",
    )

    html = soup(client.get(f"{prefix}/search/", {"q": "Bratislava"}))

    meta = html.select_one("li.hit .hit__type").get_text(" ", strip=True)
    assert f"2099, 23:59 {said}" in meta or f"2099, 23:59, {said}" in meta
    assert {"": "January", "/fr": "janvier", "/es": "enero"}[prefix] in meta


def test_a_search_hit_names_its_country_in_the_readers_language(fellowship, client):
    html = soup(client.get("/fr/search/", {"q": "quokka"}))

    meta = html.select_one("li.hit .hit__type").get_text(" ", strip=True)
    assert "Companies House, Royaume-Uni" in meta


def test_closed_fellowship_stays_searchable_and_reads_closed(publish_fellowship, client):
    closed = publish_fellowship(title="A closed quokka placement", deadline_in_days=-3)

    html = soup(client.get("/search/", {"q": "quokka placement"}))
    meta = html.select_one("li.hit .hit__type").get_text(" ", strip=True)
    assert "Closed · applications closed" in meta
    assert "Open" not in meta
    (result,) = client.get("/api/v1/search/", {"q": "quokka placement"}).json()["results"]
    assert (result["title"], result["status"]) == (closed.title, "closed")


def test_a_fellowship_indexed_while_open_reads_closed_once_its_deadline_passes(fellowship):
    (hit,) = fellowship_hits("quokka register")

    assert fellowship_hit_status(hit) == "open"
    after = fellowship.application_deadline + dt.timedelta(seconds=1)
    assert fellowship_hit_status(hit, now=after) == "closed"
    assert fellowship_hit_status(hit, now=fellowship.application_deadline) == "closed"


def test_unpublished_fellowship_leaves_search(fellowship, commit):
    commit(FellowshipPage.objects.get(pk=fellowship.pk).unpublish)

    assert fellowship_hits("quokka register") == []


def test_deleted_fellowship_leaves_search(fellowship, commit):
    commit(FellowshipPage.objects.get(pk=fellowship.pk).delete)

    assert fellowship_hits("quokka register") == []


def test_draft_fellowship_is_not_searchable(embedded_index, commit):
    index = FellowshipIndexPage.objects.get()
    commit(
        FellowshipPageFactory,
        parent=index,
        title=TITLE,
        live=False,
        host_country=Country.objects.get(iso3="GBR"),
    )

    assert fellowship_hits("quokka register") == []


def test_sample_fellowships_are_searchable_and_the_past_one_reads_closed(embedded_index, commit):
    commit(call_command, "import_fellowships", SAMPLE_FELLOWSHIPS, publish=True, verbosity=0)

    hits = fellowship_hits("", types=["fellowship"], page_size=50)
    assert len(hits) == FellowshipPage.objects.live().count() == 7
    (chile,) = [hit for hit in hits if hit.country == "CHL"]
    assert fellowship_hit_status(chile) == "closed"  # its deadline was 30 June 2026
    assert all(hit.details["sample"] for hit in hits)


def test_rebuild_counts_and_indexes_fellowships(fellowship):
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=StringIO())

    assert f"{documents.count_documents()} documents indexed" in out.getvalue()
    assert [hit.title for hit in fellowship_hits("quokka register")] == [TITLE]


@pytest.fixture(params=["embedded", "elasticsearch"])
def rebuilt_backend(request, fellowship):
    """Each backend rebuilt from the database, as `search_index rebuild` does."""
    if request.param == "embedded":
        return get_search_backend()
    backend = request.getfixturevalue("elasticsearch_backend")
    backend.rebuild(documents.all_documents())
    return backend


def test_both_backends_return_fellowships_with_facets_and_deadline(rebuilt_backend, fellowship):
    results = rebuilt_backend.search(
        SearchQuery(text="quokka register", words=("quokka", "register"), types=("fellowship",))
    )

    (hit,) = results.hits
    assert (hit.doc_id, hit.type, hit.country, hit.year) == (
        f"fellowship-{fellowship.pk}",
        "fellowship",
        "GBR",
        fellowship.start_date.year,
    )
    assert hit.details["host_institution"] == "Companies House"
    assert fellowship_hit_status(hit) == "open"
    assert [(facet.value, facet.label) for facet in results.facets["type"]] == [
        ("fellowship", "Fellowship")
    ]


def test_publishing_and_unpublishing_reach_elasticsearch(
    embedded_index, publish_fellowship, elasticsearch_url, commit
):
    with override_settings(
        ELASTICSEARCH_URL=elasticsearch_url, ELASTICSEARCH_NODE_CLASS=PLAIN_JSON_NODE
    ):
        reset_backends()
        try:
            page = publish_fellowship(title=TITLE)
            primary = get_search_backend().primary
            query = SearchQuery(text="quokka", words=("quokka",), types=("fellowship",))
            assert [hit.title for hit in primary.search(query).hits] == [TITLE]

            commit(FellowshipPage.objects.get(pk=page.pk).unpublish)
            assert primary.search(query).hits == []
        finally:
            reset_backends()


# --- Peers -------------------------------------------------------------------------------


def test_fellowships_are_never_evidence_for_a_peer(fellowship):
    result = find_peers(REFORMER, "quokka register beneficial ownership")

    assert result.peers
    types = {item.hit.type for peer in result.peers for item in peer.evidence}
    assert types <= {"casestudy", "commitment", "reform"}


@pytest.fixture
def placements(publish_fellowship):
    """One fellowship the reformer should be offered, and three it should not."""
    return {
        "offered": publish_fellowship(title="Open, peer, theme", host="GBR"),
        "closed": publish_fellowship(title="Closed, peer, theme", host="GBR", deadline_in_days=-1),
        "non_peer": publish_fellowship(title="Open, not a peer, theme", host="CHE"),
        "other_theme": publish_fellowship(title="Open, peer, lobbying", themes=("lobbying",)),
    }


def test_match_api_lists_open_fellowships_hosted_by_peers_on_the_theme(placements, client):
    data = client.get(MATCH_API, {"country": REFORMER, "q": GOAL}).json()

    assert "GBR" in [peer["country"]["iso3"] for peer in data["peers"]]
    assert "CHE" not in [peer["country"]["iso3"] for peer in data["peers"]]
    (listed,) = data["fellowships"]
    offered = placements["offered"]
    assert listed == {
        "title": "Open, peer, theme",
        "url": f"http://testserver{offered.url}",
        "host_country": {"iso3": "GBR", "name": "United Kingdom"},
        "host_institution": offered.host_institution,
        "themes": ["beneficial-ownership"],
        "start_date": offered.start_date.isoformat(),
        "end_date": offered.end_date.isoformat(),
        "application_deadline": offered.application_deadline.isoformat(),
        "status": "open",
        "sample": False,
    }
    assert dt.datetime.fromisoformat(listed["application_deadline"]).utcoffset() is not None
    assert {"country", "goal", "themes", "peers", "courses", "method"} <= set(data)


def test_a_chosen_theme_counts_like_one_found_in_the_goal(placements, client):
    data = client.get(MATCH_API, {"country": REFORMER, "theme": "beneficial-ownership"}).json()

    assert [item["title"] for item in data["fellowships"]] == ["Open, peer, theme"]


def test_fellowships_follow_the_policy_area_read_from_the_goal(placements, client):
    """The goal names no theme, yet it is read as beneficial ownership."""
    data = client.get(MATCH_API, {"country": REFORMER, "q": "registry of company owners"}).json()

    assert data["understood_as"][0]["slug"] == "beneficial-ownership"
    assert [item["title"] for item in data["fellowships"]] == ["Open, peer, theme"]


def test_drafts_and_fellowships_in_a_private_section_are_not_offered(placements):
    offered = placements["offered"]
    PageViewRestriction.objects.create(page=offered, restriction_type="login")
    assert find_peers(REFORMER, GOAL).fellowships == ()

    PageViewRestriction.objects.all().delete()
    assert find_peers(REFORMER, GOAL).fellowships == (offered,)
    offered.unpublish()
    assert find_peers(REFORMER, GOAL).fellowships == ()


def test_a_fellowship_offered_with_peers_is_withdrawn_when_its_deadline_passes(placements):
    offered = placements["offered"]
    hosts, themes = ["GBR"], ["beneficial-ownership"]
    assert open_fellowships_hosted_by(hosts, themes) == [offered]  # now kept with the content

    deadline = FellowshipPage.objects.get(pk=offered.pk).application_deadline
    assert open_fellowships_hosted_by(hosts, themes, now=deadline - dt.timedelta(seconds=1))
    assert open_fellowships_hosted_by(hosts, themes, now=deadline) == []


def test_fellowships_come_nearest_deadline_first_and_at_most_five(publish_fellowship):
    for days in (90, 30, 60, 120, 10, 45, 75):
        publish_fellowship(title=f"Closes in {days} days", host="SVK", deadline_in_days=days)

    titles = [page.title for page in find_peers(REFORMER, GOAL).fellowships]

    assert len(titles) == MAX_FELLOWSHIPS
    assert titles == [f"Closes in {days} days" for days in (10, 30, 45, 60, 75)]


def test_peers_page_shows_each_fellowship_under_its_host(placements, client):
    html = soup(client.get("/peers/", {"country": REFORMER, "q": GOAL}))

    by_peer = {
        peer.select_one("h3 a").get_text(strip=True): peer.select(".peer__fellowship")
        for peer in html.select("li.peer")
    }
    (line,) = by_peer["United Kingdom"]
    assert line.a["href"] == placements["offered"].url
    text = line.get_text(" ", strip=True)
    assert "hosted here: Open, peer, theme · Companies House · apply by" in text
    assert "UTC" in text
    assert all(not lines for name, lines in by_peer.items() if name != "United Kingdom")
    section = html.find(id="fellowships-heading").parent
    assert section.h2.get_text() == "Fellowships on this reform"
    assert [a.get_text() for a in section.select("li a")] == ["Open, peer, theme"]


def test_peers_page_without_fellowships_has_no_fellowship_heading(embedded_index, client):
    html = soup(client.get("/peers/", {"country": REFORMER, "q": GOAL}))

    assert html.select("li.peer")
    assert html.find(id="fellowships-heading") is None
    assert html.select(".peer__fellowship") == []


def count_queries(client, url, params) -> int:
    client.get(url, params)  # warm the per-process caches a running server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [MATCH_API, "/peers/"])
def test_query_count_does_not_grow_with_fellowships(publish_fellowship, client, url):
    params = {"country": REFORMER, "q": GOAL}
    publish_fellowship(host="GBR")
    one = count_queries(client, url, params)

    for host in ("GBR", "SVK", "NGA", "ARM", "SVK", "FRA"):
        publish_fellowship(host=host, themes=("beneficial-ownership", "lobbying"))
    many = count_queries(client, url, params)

    assert len(find_peers(REFORMER, GOAL).fellowships) == MAX_FELLOWSHIPS
    assert many == one


# --- manage.py match_peers ---------------------------------------------------------------


def test_match_peers_command_lists_open_fellowships(placements):
    out = StringIO()
    call_command("match_peers", country=REFORMER, goal=GOAL, stdout=out)

    text = out.getvalue()
    assert "Open fellowships hosted by these peers" in text
    assert "Open, peer, theme" in text
    assert "Companies House, United Kingdom; apply by" in text
    assert "Closed, peer, theme" not in text


def test_match_peers_json_includes_the_fellowships(placements):
    out = StringIO()
    call_command("match_peers", country=REFORMER, goal=GOAL, json=True, stdout=out)

    data = json.loads(out.getvalue())
    assert [item["title"] for item in data["fellowships"]] == ["Open, peer, theme"]
    assert data["fellowships"][0]["status"] == "open"
    assert {"country", "goal", "peers"} <= set(data)

"""Wagtail's page API (`/api/v2/`) answers bad input with a 400 naming the parameter, never a
500 (issue 10); run this file on both databases (`DATABASE_URL=postgres://...`)."""

import json
import random

import pytest

from casestudies.factories import CaseStudyPageFactory

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
WORDS_200 = "+".join(f"word{number}" for number in range(200))


@pytest.fixture
def story(case_study_index):
    return CaseStudyPageFactory(parent=case_study_index, title="Beneficial ownership register")


@pytest.mark.parametrize(
    ("query", "param"),
    [
        pytest.param("search=%22", "search", id="a lone quote"),
        pytest.param("search=%22open+data", "search", id="an unclosed quote"),
        pytest.param("search=%00", "search", id="NUL"),
        pytest.param("search=+", "search", id="only a space"),
        pytest.param("search=", "search", id="empty"),
        pytest.param(f"search={WORDS_200}", "search", id="200 words"),
        pytest.param("search=" + "a" * 201, "search", id="201 characters"),
        pytest.param("search=%3Cscript%3E", "search", id="markup"),
        pytest.param("search=open&search_operator=xor", "search_operator", id="operator"),
        pytest.param("offset=" + "9" * 30, "offset", id="30-digit offset"),
        pytest.param("offset=9223372036854775808", "offset", id="offset past 64 bits"),
        pytest.param("offset=10001", "offset", id="offset past the maximum"),
        pytest.param("offset=-1", "offset", id="negative offset"),
        pytest.param("offset=1e3", "offset", id="offset not a whole number"),
        pytest.param("limit=" + "9" * 30, "limit", id="30-digit limit"),
        pytest.param("limit=21", "limit", id="limit past WAGTAILAPI_LIMIT_MAX"),
        pytest.param("fields=" + "a(" * 3000 + ")" * 3000, "fields", id="fields nested deep"),
        pytest.param("fields=" + "x," * 600, "fields", id="fields too long"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, story, query, param):
    response = client.get(f"{PAGES}?{query}")
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["param"] == param
    assert body["message"]  # Wagtail's own key for API errors


def test_the_detail_and_find_views_check_their_parameters_too(client, story):
    response = client.get(f"{PAGES}{story.pk}/?fields=" + "a(" * 100 + ")" * 100)
    assert response.status_code == 400
    assert (
        client.get(f"{PAGES}find/?html_path=/case-studies/&offset=" + "9" * 30).status_code == 400
    )


@pytest.mark.parametrize(
    "query",
    [
        "search=beneficial+ownership",
        "search=%22beneficial+ownership%22",
        "search=Beneficial-ownership,+register.",
        "search=caf%C3%A9+o%27neil",
        "search=beneficial&search_operator=or",
        f"search={'+'.join(['open'] * 32)}",
        "offset=0&limit=20",
        "offset=10000",
        "fields=title,slug",
    ],
)
def test_good_input_still_answers(client, story, query):
    response = client.get(f"{PAGES}?{query}")
    assert response.status_code == 200
    assert "items" in json.loads(response.content)


def test_a_search_finds_the_published_page(client, story):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    body = json.loads(client.get(f"{PAGES}?search=beneficial+ownership").content)
    assert [item["title"] for item in body["items"]] == ["Beneficial ownership register"]


def test_no_allowed_search_breaks_either_database(client, story):
    """Random queries from every allowed character (quotes paired): none may reach a 500."""
    alphabet = [*"aé1 Ωß-'’.,_/&:;!?()", '""', '"x"']
    generator = random.Random(10)
    for _ in range(60):
        query = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 40)))
        response = client.get(PAGES, {"search": query})
        assert response.status_code in (200, 400), query
        if response.status_code == 400:  # only a blank query may be refused
            assert not query.strip(), query

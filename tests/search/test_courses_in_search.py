"""Courses are searchable and offered as next steps with peer results."""

import pytest
from wagtail.models import PageViewRestriction

from casestudies.models import Theme
from learning.factories import build_course
from learning.models import CourseIndexPage
from search.peers import find_peers
from search.service import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def beneficial_ownership_course(embedded_index, django_capture_on_commit_callbacks):
    course_index = CourseIndexPage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        course = build_course(
            course_index,
            title="Registers of company owners, step by step",
            summary="How to publish who really owns companies.",
        )
        course.themes.set([Theme.objects.get(slug="beneficial-ownership")])
        course.save_revision().publish()
    return course


def test_published_course_is_found_by_search_with_its_type(beneficial_ownership_course):
    results = search("company owners register").results

    course_hits = [hit for hit in results.hits if hit.type == "course"]
    assert [hit.title for hit in course_hits] == [beneficial_ownership_course.title]
    assert course_hits[0].url == beneficial_ownership_course.url
    assert any(facet.value == "course" for facet in results.facets["type"])


def test_unpublished_course_leaves_search(
    beneficial_ownership_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        beneficial_ownership_course.unpublish()

    hits = search("company owners register", types=["course"]).results.hits
    assert hits == []


def test_peer_results_offer_courses_on_the_theme_the_goal_names(beneficial_ownership_course):
    result = find_peers("ZMB", "make public who really owns companies")

    assert [course.title for course in result.courses] == [beneficial_ownership_course.title]


def test_match_api_lists_courses_with_their_level_and_duration(beneficial_ownership_course, client):
    response = client.get("/api/v1/match/", {"country": "ZMB", "q": "beneficial ownership"})

    courses = response.json()["courses"]
    assert [course["title"] for course in courses] == [beneficial_ownership_course.title]
    assert courses[0]["url"].endswith(beneficial_ownership_course.url)
    assert {"level", "duration_hours", "summary"} <= set(courses[0])


def test_goal_on_another_theme_offers_no_unrelated_course(beneficial_ownership_course):
    assert find_peers("PRY", "lobbying register").courses == ()


def test_peers_page_links_to_courses_on_the_reform(beneficial_ownership_course, client):
    response = client.get("/peers/", {"country": "ZMB", "q": "beneficial ownership"})

    assert "Learn how: courses on this reform" in response.content.decode()
    assert beneficial_ownership_course.url in response.content.decode()


def test_a_course_made_private_is_no_longer_offered_with_peers(beneficial_ownership_course, client):
    query = {"country": "ZMB", "q": "beneficial ownership"}
    assert beneficial_ownership_course.url in client.get("/peers/", query).content.decode()

    PageViewRestriction.objects.create(page=beneficial_ownership_course, restriction_type="login")

    assert beneficial_ownership_course.url not in client.get("/peers/", query).content.decode()
    assert client.get("/api/v1/match/", query).json()["courses"] == []

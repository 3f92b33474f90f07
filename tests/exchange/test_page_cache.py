import pytest
from django.test import override_settings

from casestudies.factories import CaseStudyPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_cache")]


@pytest.fixture
def locmem_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@override_settings(PAGE_CACHE_SECONDS=300)
def test_anonymous_visitor_gets_the_cached_page_on_the_second_visit(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Cached reform story")
    first = client.get(page.url)
    second = client.get(page.url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert b"Cached reform story" in second.content


@override_settings(PAGE_CACHE_SECONDS=300)
def test_publishing_a_change_is_visible_at_once_to_anonymous_visitors(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Old title of the story")
    assert b"Old title of the story" in client.get(page.url).content

    page.title = "New title of the story"
    page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert b"New title of the story" in response.content


@override_settings(PAGE_CACHE_SECONDS=300)
def test_logged_in_editor_never_gets_a_cached_page(client, case_study_index, editor):
    page = CaseStudyPageFactory(parent=case_study_index)
    client.get(page.url)
    client.force_login(editor)
    assert "X-Page-Cache" not in client.get(page.url)


@override_settings(PAGE_CACHE_SECONDS=300)
def test_admin_is_never_cached(client, home):
    response = client.get("/admin/login/")
    assert "X-Page-Cache" not in response

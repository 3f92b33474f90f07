"""What every page is served through (the site, its root page and sections, where view
restrictions apply, the site settings) comes from the shared content cache, and a change of
any of them shows at once, in every process (exchange.site_frame.SiteFrame)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from casestudies.factories import CaseStudyPageFactory, CountryFactory, ThemeFactory
from exchange.core import page_cache
from exchange.core.cache import DatabaseCache
from exchange.models import SiteSettings
from learning.factories import FellowshipPageFactory
from learning.models import FellowshipIndexPage

pytestmark = pytest.mark.django_db

PASSWORD_FIELD = b'name="password"'


@pytest.fixture
def story(case_study_index):
    return CaseStudyPageFactory(parent=case_study_index, title="A story behind a password")


def restrict(page, restriction_type, **fields) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **fields
    )


def test_a_page_restricted_after_it_was_served_asks_for_its_password(client, story):
    assert b"A story behind a password" in client.get(story.url).content

    restriction = restrict(story, PageViewRestriction.PASSWORD, password="s3cret-words")

    response = client.get(story.url)
    assert PASSWORD_FIELD in response.content
    assert b"A story behind a password" not in response.content

    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/",
        {"password": "s3cret-words", "return_url": story.url},
    )
    assert b"A story behind a password" in client.get(story.url).content


def test_a_password_on_the_section_covers_its_pages(client, story, case_study_index):
    client.get(story.url)

    restrict(case_study_index, PageViewRestriction.PASSWORD, password="s3cret-words")

    assert PASSWORD_FIELD in client.get(story.url).content
    assert PASSWORD_FIELD in client.get("/case-studies/").content
    assert PASSWORD_FIELD in client.get(f"/fr{story.url}").content
    assert PASSWORD_FIELD not in client.get("/").content


def test_a_login_restriction_on_the_home_page_sends_visitors_to_log_in_until_lifted(
    client, story, home
):
    assert client.get("/case-studies/").status_code == 200

    restriction = restrict(home, PageViewRestriction.LOGIN)

    for url in ("/", "/case-studies/", story.url):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]

    restriction.delete()

    assert client.get(story.url).status_code == 200


def test_a_group_restriction_admits_only_the_group(client, story, editor, moderator):
    client.get(story.url)

    restriction = restrict(story, PageViewRestriction.GROUPS)
    restriction.groups.set(editor.groups.all())

    client.force_login(moderator)
    assert b"A story behind a password" not in client.get(story.url).content
    client.force_login(editor)
    assert b"A story behind a password" in client.get(story.url).content


def test_an_alias_of_a_restricted_page_asks_for_the_same_password(client, story):
    restrict(story, PageViewRestriction.PASSWORD, password="s3cret-words")
    client.get("/case-studies/")

    alias = story.create_alias(update_slug="the-same-story-again")

    assert PASSWORD_FIELD in client.get(alias.url).content


def test_an_unpublished_section_is_not_found(client, case_study_index):
    assert client.get("/case-studies/").status_code == 200

    case_study_index.unpublish()

    assert client.get("/case-studies/").status_code == 404


def test_a_page_added_under_an_empty_section_is_found_at_once(client, home):
    host = CountryFactory()
    fellowships = FellowshipIndexPage.objects.get()
    assert client.get("/fellowships/").status_code == 200

    fellowship = FellowshipPageFactory(
        parent=fellowships, title="A placement added after the first visit", host_country=host
    )

    response = client.get(fellowship.url)
    assert response.status_code == 200
    assert b"A placement added after the first visit" in response.content


def test_a_new_section_added_under_the_home_page_is_served(client, home):
    client.get("/")
    section = home.add_child(instance=FellowshipIndexPage(title="More", slug="more", live=True))

    assert client.get(section.url).status_code == 200


def test_a_section_saved_without_a_publish_shows_its_row_as_saved(client, case_study_index):
    client.get("/case-studies/")

    case_study_index.intro = "An introduction saved straight to the page's row."
    case_study_index.save()

    assert b"An introduction saved straight to the page" in client.get("/case-studies/").content


def test_site_settings_edits_show_at_once(client, home):
    client.get("/")

    settings = SiteSettings.load()
    settings.footer_text = "Footer written after the first visit."
    settings.save()

    assert b"Footer written after the first visit." in client.get("/").content


def test_moving_the_site_to_another_root_page_serves_that_page(client, case_study_index):
    client.get("/")

    site = Site.objects.get(is_default_site=True)
    site.root_page = case_study_index
    site.save()

    assert client.get("/").context["page"] == case_study_index


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/case-studies/",
        "/courses/",
        "/fellowships/",
        # Django views drawing page links and the footer (exchange.site_frame's middleware):
        # the story's country and theme pages list it.
        "/countries/{iso3}/",
        "/themes/{theme}/",
        "/countries/",
        "/fr/countries/{iso3}/",
    ],
)
def test_serving_a_page_asks_the_database_nothing_about_the_site_or_its_frame(client, story, url):
    theme = ThemeFactory()
    story.themes.add(theme)
    story.save()  # a ParentalManyToManyField writes on save
    hub = "{" in url
    url = url.format(iso3=story.country.iso3, theme=theme.slug)
    first = client.get(url).content.decode()
    if hub:
        assert story.title in first

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    # The table each query reads first (listings still ask, in a subquery, which of their
    # pages are restricted: exchange.core.visibility.live_public).
    tables = {query["sql"].split(" FROM ", 1)[1].split()[0] for query in queries.captured_queries}
    assert not tables & {
        '"wagtailcore_site"',
        '"wagtailcore_pageviewrestriction"',
        '"exchange_sitesettings"',
    }


def test_case_study_page_stays_within_its_query_budget(
    client, story, django_assert_max_num_queries
):
    client.get(story.url)

    # The page itself, its themes and its commitments.
    with django_assert_max_num_queries(3):
        assert client.get(story.url).status_code == 200


@pytest.fixture
def other_process(settings, monkeypatch):
    """The site's default cache, the database's, shared with another process that has its own
    client of it (as another gunicorn worker or `manage.py shell` does)."""
    config = {
        "BACKEND": "exchange.core.cache.DatabaseCache",
        "LOCATION": "exchange_cache",
        "KEY_PREFIX": "reform-exchange",
    }
    settings.CACHES = {"default": config}
    other = DatabaseCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})

    def in_other_process(change):
        with monkeypatch.context() as patched:
            patched.setattr(page_cache, "cache", other)
            change()

    return in_other_process


def test_a_section_unpublished_in_another_process_is_not_served_here(
    client, case_study_index, other_process
):
    assert client.get("/case-studies/").status_code == 200

    other_process(case_study_index.unpublish)

    assert client.get("/case-studies/").status_code == 404


def test_a_restriction_added_in_another_process_is_enforced_here(client, story, other_process):
    assert client.get(story.url).status_code == 200

    other_process(lambda: restrict(story, PageViewRestriction.PASSWORD, password="s3cret-words"))

    assert PASSWORD_FIELD in client.get(story.url).content

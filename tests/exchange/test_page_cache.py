"""The anonymous page cache: what it serves, what it keys on, and that a change made by any
process retires it for every process.

Most tests run on the test settings' in-memory cache (fast, and the autouse `fresh_cache`
fixture empties it between tests). What only a shared cache can show, one process's change
seen by another, runs on the database cache the site uses by default (and on Redis, the
REDIS_URL setting), with two separate cache clients standing for two processes.
"""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import override_settings

from casestudies.factories import (
    CaseStudyPageFactory,
    CommitmentFactory,
    CountryFactory,
    ThemeFactory,
)
from casestudies.signals import commitments_imported, countries_imported
from exchange.core import page_cache
from exchange.core.cache import DatabaseCache
from tests.conftest import require_service

pytestmark = [pytest.mark.django_db]

cache_on = override_settings(PAGE_CACHE_SECONDS=300)


@cache_on
def test_anonymous_visitor_gets_the_cached_page_on_the_second_visit(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Cached reform story")
    first = client.get(page.url)
    second = client.get(page.url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert b"Cached reform story" in second.content


@cache_on
def test_publishing_a_change_is_visible_at_once_to_anonymous_visitors(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Old title of the story")
    assert b"Old title of the story" in client.get(page.url).content

    page.title = "New title of the story"
    page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert b"New title of the story" in response.content


@cache_on
def test_unpublishing_removes_the_page_for_anonymous_visitors(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Soon withdrawn")
    assert client.get(page.url).status_code == 200
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    page.unpublish()

    assert client.get(page.url).status_code == 404
    assert b"Soon withdrawn" not in client.get("/case-studies/").content


@cache_on
def test_logged_in_editor_never_gets_a_cached_page(client, case_study_index, editor):
    page = CaseStudyPageFactory(parent=case_study_index)
    client.get(page.url)
    client.force_login(editor)
    assert "X-Page-Cache" not in client.get(page.url)


@cache_on
def test_admin_and_api_are_never_cached(client, home):
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/api/v2/pages/")


# Keys: the page's own filters only.


@cache_on
def test_unknown_parameters_are_served_the_cached_page(client, home):
    assert client.get("/")["X-Page-Cache"] == "miss"
    for query in ("?x=1", "?x=random&utm_source=mail", "?page=&x="):
        response = client.get("/" + query)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit", query


@cache_on
def test_unknown_parameters_add_no_entry(client, home):
    # Cold cache: rendered for the visitor, but not stored under `/` (a view reading a
    # parameter the registry does not know must not give its answer to everyone).
    assert client.get("/?x=1")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


@cache_on
def test_filters_are_normalised_into_one_entry(client, home):
    # Codes and names of their own: the session's real data may be loaded too.
    CountryFactory(iso3="XAA", name="Aaaland", region="Testland Region")
    first = client.get("/countries/?region=Testland+Region&page=1")
    assert first["X-Page-Cache"] == "miss"
    same = client.get("/countries/?page=1&members=&x=2&region=Testland+Region")
    assert same["X-Page-Cache"] == "hit"
    assert b"Aaaland" in same.content
    # A different filter value is a different page.
    other = client.get("/countries/?region=Other+Testland&page=1")
    assert other["X-Page-Cache"] == "miss"
    assert b"Aaaland" not in other.content


def test_key_keeps_repeated_values_in_order_and_drops_empty_ones(rf):
    filters = page_cache.filters_for("/search/")
    query = rf.get("/search/?theme=b&x=1&theme=a&country=&page=2").GET
    assert page_cache.normalised_query(query, filters) == "page=2&theme=b&theme=a"


@cache_on
def test_a_value_the_view_reads_differently_is_its_own_page(client, home):
    """`region= ` (a space) lists no country, unlike `region=`: it must not be stored as the
    unfiltered list, or every visitor would see an empty list."""
    CountryFactory(iso3="XAA", name="Aaaland", region="Testland Region")
    assert b"Aaaland" not in client.get("/countries/?region=+").content
    response = client.get("/countries/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Aaaland" in response.content


def test_each_listing_declares_its_filters():
    assert {"theme", "country", "region", "status", "page"} <= set(
        page_cache.filters_for("/case-studies/").keyed
    )
    assert page_cache.filters_for("/fellowships/").keyed == (
        "theme",
        "country",
        "region",
        "status",
        "page",
    )
    assert page_cache.filters_for("/courses/").keyed == ("theme", "level", "page")
    assert page_cache.filters_for("/themes/lobbying/").keyed == ("page",)
    assert page_cache.filters_for("/fr/countries/").keyed == ("region", "members", "page")
    # A case study, a country profile: no filters, the bare path.
    assert page_cache.filters_for("/case-studies/chile-lobbying/") == page_cache.NO_FILTERS
    assert page_cache.filters_for("/countries/CHL/") == page_cache.NO_FILTERS


@cache_on
def test_free_text_search_and_peer_queries_are_answered_fresh(client, home):
    for url in ("/search/?q=freedom+of+information", "/peers/?country=CHL&q=lobbying"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url
    # The peer form itself, without a query, is cached like any page.
    client.get("/peers/")
    assert client.get("/peers/?utm_source=x")["X-Page-Cache"] == "hit"


@cache_on
def test_a_lost_version_key_never_brings_back_older_pages(client, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Before the edit")
    client.get(page.url)
    page.title = "After the edit"
    page.save_revision().publish()
    # An entry stored under the old version is still in the cache; the version key is
    # evicted (memory pressure, a cull): the restarted version must not match the entry.
    caches["default"].delete(page_cache.VERSION_KEY)
    response = client.get(page.url)
    assert b"After the edit" in response.content


@cache_on
def test_a_cache_outage_serves_pages_uncached(client, home, caplog, page_cache_down):
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "Page cache unavailable" in caplog.text


# Invalidation by reference data and imports (which write in bulk, without post_save).


@cache_on
@pytest.mark.parametrize(
    "change",
    [
        # save(): the factory gets or creates by ISO3, and a code left by another test is "got".
        pytest.param(lambda: CountryFactory().save(), id="country saved"),
        pytest.param(lambda: ThemeFactory(), id="theme saved"),
        pytest.param(lambda: CommitmentFactory(), id="commitment saved"),
        pytest.param(lambda: commitments_imported.send(sender=None), id="commitments imported"),
        pytest.param(lambda: countries_imported.send(sender=None), id="countries imported"),
        pytest.param(
            lambda: __import__(
                "casestudies.importers.reforms", fromlist=["reform_records_imported"]
            ).reform_records_imported.send(sender=None, source="ocp", deleted_ids=[]),
            id="reform records imported",
        ),
    ],
)
def test_reference_data_changes_retire_cached_pages(client, home, change):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    change()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_country_profiles_follow_country_edits(db):
    from search.peers import country_profiles

    country = CountryFactory(iso3="XZA", name="Zedland", region="Sub-Saharan Africa")
    assert country_profiles()["XZA"].region == "Sub-Saharan Africa"
    country.region = "Middle East & North Africa"
    country.save()
    assert country_profiles()["XZA"].region == "Middle East & North Africa"


def test_country_profiles_follow_membership_imports(real_data, django_capture_on_commit_callbacks):
    """The members importer writes in bulk: its signal, not post_save, clears the profiles."""
    from casestudies.importers.members import import_members
    from casestudies.models import Country
    from search.peers import PROFILES_CACHE_KEY, country_profiles

    member = Country.objects.ogp_members().order_by("iso3").first()
    country_profiles()
    assert caches["default"].get(PROFILES_CACHE_KEY) is not None
    Country.objects.filter(pk=member.pk).update(ogp_status="")  # as if edited elsewhere
    with django_capture_on_commit_callbacks(execute=True):
        result = import_members()
    assert result.created + result.updated == 1
    assert caches["default"].get(PROFILES_CACHE_KEY) is None


def test_country_import_announces_its_bulk_writes(real_data, django_capture_on_commit_callbacks):
    from casestudies.importers.countries import import_countries
    from casestudies.models import Country

    received = []

    def receiver(**kwargs):
        received.append(kwargs["sender"])

    countries_imported.connect(receiver, dispatch_uid="test-countries-imported")
    try:
        Country.objects.filter(iso3="CHL").update(name="Chile (stale)")
        with django_capture_on_commit_callbacks(execute=True):
            import_countries()
    finally:
        countries_imported.disconnect(dispatch_uid="test-countries-imported")
    assert received == [Country]
    assert Country.objects.get(iso3="CHL").name == "Chile"


# One truth across processes: the shared cache.


def test_the_default_cache_is_shared_by_every_process():
    from exchange.settings import base

    if base.REDIS_URL:
        assert base.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    else:
        assert base.CACHES["default"]["BACKEND"] == "exchange.core.cache.DatabaseCache"
        assert base.CACHES["default"]["LOCATION"] == "exchange_cache"


def test_migrate_creates_the_cache_table(db):
    assert "exchange_cache" in connection.introspection.table_names()


def _database_cache() -> dict:
    return {
        "BACKEND": "exchange.core.cache.DatabaseCache",
        "LOCATION": "exchange_cache",
        "KEY_PREFIX": "reform-exchange",
    }


def _redis_cache() -> dict:
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        available = True
    except redis.exceptions.RedisError:
        available = False
    require_service(available, "Redis is not running on 127.0.0.1:6379")
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        # A prefix of this test's own: other tests and people share this server.
        "KEY_PREFIX": f"test-page-cache-{uuid.uuid4().hex}",
    }


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The site's cache as configured in production (this process's client), and a second,
    separate client of the same store: another process."""
    from django_redis.cache import RedisCache

    config = _database_cache() if request.param == "database" else _redis_cache()
    settings.CACHES = {"default": config}
    params = {key: value for key, value in config.items() if key not in {"BACKEND", "LOCATION"}}
    if request.param == "database":
        other = DatabaseCache(config["LOCATION"], params)
    else:
        other = RedisCache(config["LOCATION"], params)
    yield other
    if request.param == "redis":
        other.delete_pattern("*")


@cache_on
def test_a_publish_in_another_process_retires_this_process_pages(
    client, case_study_index, shared_cache, monkeypatch
):
    page = CaseStudyPageFactory(parent=case_study_index, title="Title before the import")
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    # Another process (`manage.py shell`, an import, the other gunicorn worker): its own
    # cache client, sharing only the store.
    with monkeypatch.context() as other_process:
        other_process.setattr(page_cache, "cache", shared_cache)
        page.title = "Title after the import"
        page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Title after the import" in response.content
    assert client.get(page.url)["X-Page-Cache"] == "hit"


@cache_on
def test_a_page_cached_by_one_process_is_served_by_another(client, home, shared_cache):
    assert client.get("/")["X-Page-Cache"] == "miss"
    key = page_cache.AnonymousPageCacheMiddleware.key(client.get("/").wsgi_request, "")
    stored = shared_cache.get(key)
    assert stored.version == shared_cache.get(page_cache.VERSION_KEY)
    assert b"Reform Exchange" in stored.response.content
    # A process that never served the page (this one, forgetting what it kept) gets it
    # from the shared cache.
    page_cache.recent_pages.clear()
    assert client.get("/")["X-Page-Cache"] == "hit"


@cache_on
def test_a_cached_page_is_served_no_longer_than_the_cache_keeps_it(client, home, monkeypatch):
    # Pages that show the time (which fellowships are open) are at most this old.
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    later = page_cache.time.time() + 301
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert client.get("/")["X-Page-Cache"] == "miss"


@cache_on
def test_an_entry_of_an_older_release_is_a_miss_not_an_error(client, home):
    response = client.get("/")
    key = page_cache.AnonymousPageCacheMiddleware.key(response.wsgi_request, "")
    version = caches["default"].get(page_cache.VERSION_KEY)
    caches["default"].set(key, (version, HttpResponse(b"A page as an older release kept it")))
    page_cache.recent_pages.clear()
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_recent_pages_keep_the_most_recently_served_within_their_size():
    def page(size):
        return page_cache.KeptPage(1, float("inf"), "200 OK", (), b"x" * size)

    recent = page_cache.RecentPages(max_bytes=2500)  # two pages of 1,000 bytes
    recent.put("a", page(1000))
    recent.put("b", page(1000))
    recent.get("a")  # served again: "b" is now the least recently served
    recent.put("c", page(1000))
    assert [key for key in "abc" if recent.get(key)] == ["a", "c"]
    recent.put("huge", page(5000))
    assert recent.get("huge") is None

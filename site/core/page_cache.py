"""Whole-page cache for anonymous visitors, shared by every process, invalidated on change.

Readers on slow connections get cached pages in a fraction of the time. Only anonymous
GET requests for public pages are cached (no session cookie; nothing under /admin/,
/accounts/ or /api/), and only 200 responses that set no cookie and are not private.

One truth across processes: the cache is the site's shared cache (a table in the database
by default, Redis with REDIS_URL), never a per-process memory, so what one process stores
or invalidates, every gunicorn worker, management command and import sees at once.

Invalidation: any publish, unpublish, move or delete of a page, any edit of reference
data (countries, themes, commitments, reform records, site settings) and any import sets
a new version number in that cache. Each entry remembers the version it was rendered
under and counts only while that is still the current one, so one bump retires every
page at once. The version is read together with the entry (one round trip); versions come
from the clock, so a lost version key never restarts at a number older entries carry.

Keys: the language (from the path's prefix: /fr/, /es/, none for English) and the path
plus only the query parameters the page reads (FILTERS below), sorted,
repeated values kept in order, empty values dropped. Any other parameter neither
bypasses the cache nor adds an entry: `/?x=1` is served the cached `/`. A view that
starts reading a new query parameter must be added to FILTERS, or every visitor gets
the page rendered without it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from exchange.core.languages import language_of_path, unprefixed

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/api/", "/documents/", "/static/", "/media/")
MAX_KEY_QUERY = 1000


@dataclass(frozen=True)
class Filters:
    """The query parameters one page reads.

    `keyed`: each combination of values is its own cached page. `uncached`: free text
    and per-visitor input; a request giving one a value is answered fresh and never
    stored (every distinct goal or search would add an entry and push real pages out,
    and answering one costs tens of milliseconds).
    """

    keyed: tuple[str, ...] = ()
    uncached: tuple[str, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.keyed) | frozenset(self.uncached)


# Read from the views, filter sets and forms that serve each path (see the module docstring).
FILTERS: dict[str, Filters] = {
    # casestudies.filters.CaseStudyFilter and the page number.
    "/case-studies/": Filters(
        keyed=("theme", "country", "region", "income_group", "status", "page"), uncached=("q",)
    ),
    # search.params.search_filters.
    "/search/": Filters(
        keyed=("type", "theme", "country", "region", "income_group", "outcome", "page"),
        uncached=("q",),
    ),
    # search.views.peers_page: any peer query is computed for the visitor.
    "/peers/": Filters(keyed=("theme",), uncached=("country", "q")),
    # casestudies.views.country_list.
    "/countries/": Filters(keyed=("region", "members", "page")),
    # learning.filters.CourseFilter and learning.fellowships.filters.FellowshipFilter.
    "/courses/": Filters(keyed=("theme", "level", "page")),
    "/fellowships/": Filters(keyed=("theme", "country", "region", "status", "page")),
    # learning.introductions.views: a form, private anyway.
    "/introductions/request/": Filters(uncached=("peer", "country", "theme", "q")),
}
# Paths with a variable part.
PATTERN_FILTERS: tuple[tuple[re.Pattern, Filters], ...] = (
    (re.compile(r"^/themes/[^/]+/$"), Filters(keyed=("page",))),
)
NO_FILTERS = Filters()


def filters_for(path: str) -> Filters:
    """The filters of the page at `path` (a language prefix such as /fr/ is ignored)."""
    path = unprefixed(path)
    found = FILTERS.get(path)
    if found is not None:
        return found
    for pattern, filters in PATTERN_FILTERS:
        if pattern.match(path):
            return filters
    return NO_FILTERS


def normalised_query(query, filters: Filters) -> str:
    """The page's own parameters from `query` (a QueryDict), in a canonical order.

    Empty values are dropped: every view reads `?region=` as no region. Other values are
    kept as given, spaces included: a view that does not strip them answers differently.
    """
    pairs = []
    for name in sorted(filters.keyed):
        pairs.extend((name, value) for value in query.getlist(name) if value)
    return urlencode(pairs)


def new_version() -> int:
    """The time of the change, in nanoseconds: a new version never equals one that entries
    still carry, even when the version key was lost (evicted, culled) in between. Set, not
    incremented: the database cache's `incr` would also give the key a 300 s lifetime."""
    return time.time_ns()


def current_version(found: dict) -> int:
    """The version in `found` (a `get_many` answer), or a new one if there is none yet."""
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, new_version(), timeout=None)


def invalidate(**kwargs) -> None:
    """Make every cached page stale (exchange.signals connects it to every content change).

    Bumped at once, so the rest of this process's request or transaction sees the change,
    and again once the transaction commits: a page another process rendered from the
    old rows between the first bump and the commit must not outlive the commit.
    """
    _bump()
    transaction.on_commit(_bump)


@dataclass(frozen=True)
class CachedPage:
    """A page as the shared cache keeps it: rendered under `version`, served until `expires`
    (a Unix time: pages that show the time, such as which fellowships are open, are at most
    PAGE_CACHE_SECONDS old)."""

    version: int
    expires: float
    response: object  # an HttpResponse, rendered


@dataclass(frozen=True)
class KeptPage:
    """A page as this process keeps it: what the site answered, as it left Django (every
    middleware's headers included), to be sent again as it is (exchange.front_door)."""

    version: int
    expires: float
    status: str  # "200 OK"
    headers: tuple[tuple[str, str], ...]
    body: bytes


class RecentPages:
    """The pages this process served lately, at most `max_bytes` of them (least recently
    served go first).

    A hit in the shared cache reads the whole page (tens of kilobytes, base64 in the
    database cache), unpickles it and sends it through Django's middleware again. Kept here
    as the bytes that were sent, a page costs only the read of the version, still asked of
    the shared cache on every request: a page counts only while the version it was rendered
    under is the current one, in every process, so this keeps no truth of its own.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._bytes = 0
        # Gunicorn's sync workers serve one request at a time; runserver uses threads.
        self._lock = threading.Lock()

    def get(self, key: str) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: KeptPage) -> None:
        with self._lock:
            self._discard(key)
            if len(page.body) > self.max_bytes:
                return
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._discard(next(iter(self._pages)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._discard(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _discard(self, key: str) -> None:
        page = self._pages.pop(key, None)
        if page is not None:
            self._bytes -= len(page.body)


# About 600 pages of 25 KB per process: a site's busy pages in its three languages.
recent_pages = RecentPages(max_bytes=16 * 1024 * 1024)
# Where the middleware leaves (key, version, expires) of a page it served from the shared
# cache or stored there, for exchange.front_door to keep as it leaves Django.
KEEP = "exchange.page_cache.keep"


def kept_page(key: str) -> KeptPage | None:
    """The page this process kept under `key`, while it is still current: its version is
    the shared cache's (one round trip) and it has not expired. A stale one is forgotten."""
    page = recent_pages.get(key)
    if page is None:
        return None
    if page.version == cache.get(VERSION_KEY) and page.expires > time.time():
        return page
    recent_pages.discard(key)
    return None


def cached_page(key: str) -> tuple[int, CachedPage | None]:
    """The current version, and the page stored under `key` for it, if there is one: both
    from the shared cache in one round trip."""
    found = cache.get_many([VERSION_KEY, key])
    version = current_version(found)
    stored = found.get(key)
    # Anything else (an entry stored by an older release, in another shape) is a miss.
    if (
        not isinstance(stored, CachedPage)
        or stored.version != version
        or stored.expires <= time.time()
    ):
        return version, None
    return version, stored


def store_page(key: str, version: int, response) -> CachedPage:
    """Keep `response` (rendered) as the page under `key` in the shared cache."""
    page = CachedPage(version, time.time() + settings.PAGE_CACHE_SECONDS, response)
    cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    return page


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def cacheable_request(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not unprefixed(request.path_info).startswith(EXCLUDED_PREFIXES)
        )

    @staticmethod
    def cacheable_response(response) -> bool:
        vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            # Anonymous visitors without a session all send the same (no) cookie, and the
            # language comes from the path (LocaleMiddleware adds Accept-Language to the
            # unprefixed, English URLs, but never reads it there); anything else the
            # response varies on is not in the key.
            and vary <= {"", "cookie", "accept-language"}
        )

    @staticmethod
    def key(request, query: str) -> str:
        # The language is in the path already; named in the key too, so that no change of
        # URL scheme can ever serve one language's page to another's readers.
        language = language_of_path(request.path_info)
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return f"page-cache:{language}:{hashlib.sha256(url.encode()).hexdigest()}"

    @classmethod
    def cache_key(cls, request) -> str | None:
        """The key of the page `request` asks for, or None when it is answered fresh: a
        free-text or per-visitor parameter is given, or the page's own are too long."""
        filters = filters_for(request.path_info)
        if any(value for name in filters.uncached for value in request.GET.getlist(name)):
            return None
        query = normalised_query(request.GET, filters)
        if len(query) > MAX_KEY_QUERY:
            return None
        return cls.key(request, query)

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = self.cache_key(request)
        if key is None:
            return self.get_response(request)
        try:
            version, stored = cached_page(key)
        except Exception:
            # A cache outage slows pages down; it must not take them down.
            logger.exception("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        if stored is not None:
            request.META[KEEP] = (key, stored.version, stored.expires)
            response = stored.response
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        # Only a request made of the page's own parameters may fill the entry: were a view
        # to read a parameter missing from FILTERS, its answer must not become everyone's.
        given = {name for name, values in request.GET.lists() if any(values)}
        if self.cacheable_response(response) and given <= filters_for(request.path_info).names:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            try:
                page = store_page(key, version, response)
                request.META[KEEP] = (key, page.version, page.expires)
            except Exception:
                logger.exception("Page cache unavailable; %s not stored", request.path)
        response["X-Page-Cache"] = "miss"
        return response


# A day at most; any content change retires the entries long before (see `content_cached`).
CONTENT_CACHE_SECONDS = 24 * 3600


def content_cached(values: dict[str, Callable[[], object]]) -> dict:
    """Values that depend only on the content, from the shared cache, in one round trip.

    Each is stored with the page cache's version (above) and counts only
    while that version is current: every publish, unpublish, import or edit of countries,
    themes and commitments, which retires the cached pages, retires these too, in every
    process, with no signals of their own. A value missing or stale is rebuilt by its
    function and stored again. With the cache unreachable every value is built, as pages
    are then served uncached.
    """
    if settings.DEBUG:
        # In development, template and code edits show at once (as Django caches templates
        # only with DEBUG off).
        return {name: build() for name, build in values.items()}
    # Labels and names in these values are in the reader's language.
    language = get_language()
    keys = {name: f"content:{language}:{name}" for name in values}
    try:
        found = cache.get_many([VERSION_KEY, *keys.values()])
    except Exception:
        logger.exception("Content cache unavailable; values built for this request")
        return {name: build() for name, build in values.items()}
    version = current_version(found)
    result, fresh = {}, {}
    for name, build in values.items():
        entry = found.get(keys[name])
        if entry is not None and entry[0] == version:
            result[name] = entry[1]
        else:
            result[name] = build()
            fresh[keys[name]] = (version, result[name])
    if fresh:
        try:
            cache.set_many(fresh, CONTENT_CACHE_SECONDS)
        except Exception:
            logger.exception("Content cache unavailable; values not stored")
    return result

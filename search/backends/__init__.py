"""Pick the search backend from settings, the way Django picks a cache.

`ELASTICSEARCH_URL` set → Elasticsearch, with the embedded backend as the
fallback when the server cannot answer; unset → embedded only.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import BackendUnavailable, SearchBackend, SearchQuery, SearchResults
from search.backends.embedded import EmbeddedBackend

logger = logging.getLogger("search")

FALLBACK_NOTICE = (
    "The search server is not answering, so these results come from the built-in search. "
    "They may rank a little differently."
)


class FallbackSearch:
    """Elasticsearch first; the embedded backend when it is down.

    The failure is logged once when it starts and once when the server is back,
    not per request; while down, the server is retried at most every
    `retry_seconds` so that pages do not each wait for a timeout.
    """

    def __init__(self, primary: SearchBackend, fallback: SearchBackend, retry_seconds=30.0):
        self.primary = primary
        self.fallback = fallback
        self.retry_seconds = retry_seconds
        self._down_since: float | None = None
        self._lock = threading.Lock()

    @property
    def name(self):
        return self.primary.name

    def is_down(self) -> bool:
        return self._down_since is not None

    def should_try_primary(self) -> bool:
        """Up, or down long enough ago that it is worth asking again."""
        down = self._down_since
        return down is None or time.monotonic() - down >= self.retry_seconds

    def mark_down(self, error: Exception) -> None:
        with self._lock:
            first = self._down_since is None
            self._down_since = time.monotonic()
        if first:
            logger.error("Search server unavailable, using embedded search: %s", error)

    def mark_up(self) -> None:
        with self._lock:
            was_down, self._down_since = self._down_since is not None, None
        if was_down:
            logger.warning("Search server is answering again")

    def search(self, query: SearchQuery) -> SearchResults:
        if self.should_try_primary():
            try:
                results = self.primary.search(query)
            except BackendUnavailable as error:
                self.mark_down(error)
            else:
                self.mark_up()
                return results
        results = self.fallback.search(query)
        return SearchResults(
            total=results.total,
            hits=results.hits,
            facets=results.facets,
            backend=results.backend,
            notice=FALLBACK_NOTICE,
        )


_backends: dict[str, object] = {}
_lock = threading.Lock()


def elasticsearch_backend():
    from search.backends.elasticsearch import ElasticsearchBackend

    node_class = settings.ELASTICSEARCH_NODE_CLASS
    return ElasticsearchBackend(
        url=settings.ELASTICSEARCH_URL,
        node_class=import_string(node_class) if node_class else None,
        timeout=settings.ELASTICSEARCH_TIMEOUT,
    )


def get_search_backend():
    """The configured search (cached per process and per URL)."""
    key = settings.ELASTICSEARCH_URL or "embedded"
    with _lock:
        if key not in _backends:
            if settings.ELASTICSEARCH_URL:
                _backends[key] = FallbackSearch(elasticsearch_backend(), EmbeddedBackend())
            else:
                _backends[key] = EmbeddedBackend()
        return _backends[key]


def reset_backends() -> None:
    """Forget cached backends (tests that change settings)."""
    with _lock:
        _backends.clear()

"""The site's WSGI application: pages this process kept are sent before Django handles the
request.

A page served from the shared page cache (exchange.core.page_cache) still went through
Django: the request object, ten middleware on the way in and out, the signals, the
headers built again. That was most of the 190 µs a cached page cost in the process, three
times a bare Django view. The front door keeps each cached page as it left Django, status,
headers and body (RecentPages), and sends it again, as it is, to the next anonymous
visitor who asks for it: the same bytes, for the read of the page cache's version.

It asks the same questions as the middleware it stands in front of, with the same code:
the page cache's (`cacheable_request`, the page's own parameters, the key, never a page
whose version is no longer the shared cache's) and RejectControlCharactersMiddleware's (a
path or parameter with a control character goes to Django, which refuses it). Anything it
cannot answer (an unknown host, a cache outage, a page not kept) goes to Django, which
answers as it always did; the pages the middleware serves or stores are kept on their way
out.
"""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest

from exchange.core import page_cache
from exchange.core.page_cache import KEEP, AnonymousPageCacheMiddleware, KeptPage
from exchange.middleware import CONTROL, first_bad_field

logger = logging.getLogger(__name__)

HIT = ("X-Page-Cache", "hit")


class FrontDoor:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is not None:
            try:
                page = page_cache.kept_page(key)
            except Exception:
                logger.exception("Page cache unavailable; %s goes to Django", key)
                page = None
            if page is not None:
                start_response(page.status, [*page.headers, HIT])
                return [page.body]
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.application(environ, capture)
        keep = environ.get(KEEP)
        if keep is None:
            return result
        # A page the middleware served from the shared cache or stored there: never a
        # streaming one (`cacheable_response`), so its body is one piece.
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # Django's request_finished: connections closed as usual
        cache_key, version, expires = keep
        headers = tuple((name, value) for name, value in captured["headers"] if name != HIT[0])
        page_cache.recent_pages.put(
            cache_key, KeptPage(version, expires, captured["status"], headers, body)
        )
        return [body]

    @staticmethod
    def key(environ) -> str | None:
        """The page cache's key of this request, or None when the middleware would not
        serve it from the cache (or RejectControlCharactersMiddleware would refuse it)."""
        request = WSGIRequest(environ)
        try:
            if not AnonymousPageCacheMiddleware.cacheable_request(request):
                return None
            if CONTROL.search(request.path_info) or first_bad_field(request.GET, CONTROL):
                return None
            return AnonymousPageCacheMiddleware.cache_key(request)
        except SuspiciousOperation:  # a host ALLOWED_HOSTS does not name: Django answers it
            return None

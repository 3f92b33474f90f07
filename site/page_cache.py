"""Whole-page cache for anonymous visitors, invalidated when content changes.

Readers on slow connections get cached pages in a fraction of the time. Only
anonymous GET requests for public pages are cached (no session cookie, no
query string beyond the page's own filters, nothing under /admin/ or
/accounts/). Any publish, unpublish, delete or import bumps a version number
stored in the cache, which makes every earlier entry unreachable at once; the
entries then expire on their own.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "page-cache:version"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/static/", "/media/")


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def invalidate(**kwargs) -> None:
    """Make every cached page stale (connected to content-changing signals)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable_request(self, request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(EXCLUDED_PREFIXES)
            and len(request.get_full_path()) <= 1000
        )

    def key(self, request) -> str:
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        return f"page-cache:{current_version()}:{request.get_host()}:{digest}"

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        return response


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from casestudies.models import Commitment, Country, Theme
    from casestudies.signals import commitments_imported

    page_published.connect(invalidate, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
    commitments_imported.connect(invalidate, dispatch_uid="page-cache-import")
    for model in (Commitment, Country, Theme):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{model}")
    from wagtail.models import Page

    post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-delete")

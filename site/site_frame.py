"""What serving any page of the site needs before the page's own content: the site, its
root page and sections, where view restrictions apply, the site root paths behind page
URLs and the site settings, read from the shared content cache in one round trip
(`SiteFrame`) and retired with the cached pages on every publish, unpublish, move or delete
and on every change of a site, a view restriction or the settings (exchange.signals): one
truth for every process.

`SiteFrameMiddleware` puts it on every request a page or a view may answer, where Wagtail
and its settings look before they query: the Wagtail pages (exchange.localized_serving)
route through it, and the Django views (countries, themes, search, peers) draw page links
and the footer's settings from it, two queries fewer each.
"""

from dataclasses import dataclass

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from exchange.core.languages import unprefixed
from exchange.core.page_cache import content_cached
from exchange.core.visibility import Visibility
from exchange.models import SiteSettings

# Paths whose answers draw no public page: the API, files and documents, and the admin (its
# pages are never cached and read the site where they need it; its previews as before).
SKIPPED_PREFIXES = ("/admin/", "/api/", "/documents/", "/static/", "/media/")
# The site frame keeps the pages down to this depth (exchange.signals retires it when one
# is saved): the site's root page, a child of Wagtail's root node as exchange.page_tree
# creates it, and its sections.
FRAME_DEPTH = 3
# In the frame's cache key: a release that changes SiteFrame's fields raises it, so that its
# processes never unpickle a frame of the old shape (which the old release's processes
# may still be storing while the new one starts).
FRAME_SHAPE = 2


@dataclass(frozen=True)
class SiteFrame:
    """What serving any page of a site needs before the page's own content."""

    site: Site | None
    # The site's root page and its children by slug, as their specific types (none when the
    # children would lie deeper than FRAME_DEPTH).
    root: Page | None
    sections: dict[str, Page]
    # Who may see which pages (exchange.core.visibility): view restrictions, default locale.
    visibility: Visibility
    site_root_paths: list
    settings: SiteSettings

    @classmethod
    def build(cls, request) -> "SiteFrame":
        site = Site.find_for_request(request)
        root, sections = None, {}
        if site is not None and site.root_page.depth < FRAME_DEPTH:
            root = site.root_page.specific
            sections = {child.slug: child for child in root.get_children().specific()}
        return cls(
            site=site,
            root=root,
            sections=sections,
            visibility=Visibility.build(),
            site_root_paths=Site.get_site_root_paths(),
            settings=SiteSettings.load(),
        )

    @classmethod
    def for_request(cls, request) -> "SiteFrame":
        """The frame of the site answering `request` (as Site.find_for_request picks it, by
        host and port), from the shared content cache."""
        # get_host(): only a host ALLOWED_HOSTS admits names an entry.
        host = split_domain_port(request.get_host())[0]
        name = f"site-frame:{FRAME_SHAPE}:{host}:{request.get_port()}"
        return content_cached({name: lambda: cls.build(request)})[name]

    def attach(self, request) -> None:
        """Put the frame where Wagtail and its settings look before they query."""
        request.site_frame = self
        request._wagtail_site = self.site
        request._wagtail_cached_site_root_paths = self.site_root_paths
        setattr(request, SiteSettings.get_cache_attr_name(), self.settings)

    def route(self, request, components: list[str]):
        """Wagtail's routing from the site's root page, its first step (a section, found
        by slug) taken from the frame when the root routes as every Wagtail page does."""
        if self.site is None:
            return None
        root = self.root or self.site.root_page.specific
        section = self.sections.get(components[0]) if components else None
        if section is None or type(root).route is not Page.route:
            return route_from(root, request, components)
        section._cached_parent_obj = root  # as Page.route does: the parent is known
        return route_from(section, request, components[1:])


def route_from(page: Page, request, components: list[str]):
    """Wagtail's route from `page` for the path `components`: (page, args, kwargs), or None
    for a path it does not know."""
    try:
        return page.route(request, components)
    except Http404:
        return None


def frame_of(request) -> SiteFrame:
    """The frame of the site answering `request`, attached to it."""
    frame = getattr(request, "site_frame", None)
    if frame is None:
        frame = SiteFrame.for_request(request)
        frame.attach(request)
    return frame


class SiteFrameMiddleware:
    """Attach the site frame to each request that may draw a public page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not unprefixed(request.path_info).startswith(SKIPPED_PREFIXES):
            frame_of(request)
        return self.get_response(request)

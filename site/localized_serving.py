"""Serve Wagtail pages in the visitor's language, never a 404 for a missing translation.

Under /fr/ and /es/ a path is routed through the English page tree, then the page found is
swapped for its live translation in that language, if it has one (translations keep the
English slug; Wagtail's "Translate" copies it). A page without one is served in English at
the French address, in the French interface, and base.html shows a notice that the content
has no French translation yet (and marks it `lang="en"`). A path the English tree does not
know (a translation whose slug an editor changed) is routed through the language's own tree,
as Wagtail does by default.

Section index pages are translated as aliases (Wagtail copies an untranslated parent as a live
alias of the English one when a child is translated). An alias lists only its own children,
so it is never served: a French visitor of `/fr/case-studies/` gets the English index, which
lists every case study, each link leading to its French translation when there is one.

Routing through the English tree costs what an English page costs, plus one query for the
translation.

What every page needs before its own content (the site, its root page and sections, where
view restrictions apply, the site root paths behind page URLs and the site settings) comes
from the shared content cache in one read (`SiteFrame`), retired with the cached pages on
every publish, unpublish, move or delete and on every change of a site, a view restriction
or the settings (exchange.signals): one truth for every process.
"""

from dataclasses import dataclass

from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.views import serve as wagtail_serve

from exchange.core.languages import default_language
from exchange.core.page_cache import content_cached
from exchange.models import SiteSettings


@dataclass(frozen=True)
class UntranslatedPage:
    """The page served instead of a missing translation: in which language it is."""

    language_code: str


# The site frame keeps the pages down to this depth (exchange.signals retires it when one
# is saved): the site's root page, a child of Wagtail's root node as exchange.page_tree
# creates it, and its sections.
FRAME_DEPTH = 3


def restricted_paths() -> frozenset[str]:
    """Paths of the pages whose view restrictions cover them and every page below: the
    restricted pages and the aliases of one (Page.get_view_restrictions checks an alias's
    source instead of the alias). One query when nothing is restricted, three otherwise."""
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    if not restricted:
        return frozenset()
    sources = dict(Page.objects.filter(alias_of__isnull=False).values_list("pk", "alias_of_id"))

    def source(pk: int) -> int:
        while pk in sources:
            pk = sources[pk]
        return pk

    covered = restricted | {alias for alias in sources if source(alias) in restricted}
    return frozenset(Page.objects.filter(pk__in=covered).values_list("path", flat=True))


@dataclass(frozen=True)
class SiteFrame:
    """What serving any page of a site needs before the page's own content."""

    site: Site | None
    # The site's root page and its children by slug, as their specific types (none when the
    # children would lie deeper than FRAME_DEPTH).
    root: Page | None
    sections: dict[str, Page]
    restricted_paths: frozenset[str]
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
            restricted_paths=restricted_paths(),
            site_root_paths=Site.get_site_root_paths(),
            settings=SiteSettings.load(),
        )

    @classmethod
    def for_request(cls, request) -> "SiteFrame":
        """The frame of the site answering `request` (as Site.find_for_request picks it, by
        host and port), from the shared content cache."""
        host = split_domain_port(request._get_raw_host())[0]
        name = f"site-frame:{host}:{request.get_port()}"
        return content_cached({name: lambda: cls.build(request)})[name]

    def attach(self, request) -> None:
        """Put the frame where Wagtail and its settings look before they query."""
        request._wagtail_site = self.site
        request._wagtail_cached_site_root_paths = self.site_root_paths
        setattr(request, SiteSettings.get_cache_attr_name(), self.settings)

    def may_restrict(self, page: Page) -> bool:
        """Whether a view restriction applies to `page`: one on it or on an ancestor."""
        return any(
            page.path[:end] in self.restricted_paths
            for end in range(page.steplen, len(page.path) + 1, page.steplen)
        )

    def route(self, request, components: list[str]):
        """Wagtail's routing from the site's root page, its first step (a section, found
        by slug) taken from the frame when the root routes as every Wagtail page does."""
        if self.site is None:
            return None
        root = self.root or self.site.root_page.specific
        section = self.sections.get(components[0]) if components else None
        if section is None or type(root).route is not Page.route:
            return _route(root, request, components)
        section._cached_parent_obj = root  # as Page.route does: the parent is known
        return _route(section, request, components[1:])


def _route(page: Page, request, components: list[str]):
    try:
        return page.route(request, components)
    except Http404:
        return None


def _translation(page: Page, language: str) -> Page | None:
    """The page's live translation into `language` (not an alias), in one query."""
    return (
        type(page)
        .objects.filter(
            translation_key=page.translation_key,
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        )
        .first()
    )


def _localized_route(request, frame: SiteFrame, path: str, language: str):
    route = _default_route(request, frame, path)
    if route is None:
        return None
    components = [component for component in path.split("/") if component]
    page = route[0]
    translated = _translation(page, language)
    if translated is None:
        # base.html shows the notice, and marks the content's language.
        request.untranslated_page = UntranslatedPage(default_language())
        return route
    # Route again from the translation for what follows its own path (a routable page's
    # sub-path), so that its views are the translation's.
    consumed = page.depth - frame.site.root_page.depth
    return _route(translated, request, components[consumed:])


def _default_route(request, frame: SiteFrame, path: str):
    """Wagtail's own routing, without its look-up of the active locale's root page (a
    query on every page) that English, at the root of the tree, never needs."""
    return frame.route(request, [component for component in path.split("/") if component])


def serve(request, path: str):
    """Wagtail's `serve`, in the visitor's language, with the English page as the fallback."""
    frame = SiteFrame.for_request(request)
    frame.attach(request)
    language = translation.get_language()
    if language == default_language():
        route = _default_route(request, frame, path)
        # Wagtail's serve reads the route from here (Page.route_for_request).
        request._wagtail_route_for_request = route
    else:
        route = _localized_route(request, frame, path, language)
        if route is not None:
            request._wagtail_route_for_request = route
    if route is not None and not frame.may_restrict(page := route[0]):
        # Wagtail's check_view_restrictions hook asks the page for its restrictions, in two
        # queries that would find none: none is on the page or above it.
        page.get_view_restrictions = PageViewRestriction.objects.none
    return wagtail_serve(request, path)

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

What every page needs before its own content comes from the site frame
(exchange.site_frame), read in one round trip to the shared content cache.
"""

from dataclasses import dataclass

from django.utils import translation
from wagtail.models import Page, PageViewRestriction
from wagtail.views import serve as wagtail_serve

from exchange.core.languages import default_language
from exchange.site_frame import SiteFrame, frame_of, route_from


@dataclass(frozen=True)
class UntranslatedPage:
    """The page served instead of a missing translation: in which language it is."""

    language_code: str


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
    return route_from(translated, request, components[consumed:])


def _default_route(request, frame: SiteFrame, path: str):
    """Wagtail's own routing, without its look-up of the active locale's root page (a
    query on every page) that English, at the root of the tree, never needs."""
    return frame.route(request, [component for component in path.split("/") if component])


def serve(request, path: str):
    """Wagtail's `serve`, in the visitor's language, with the English page as the fallback."""
    frame = frame_of(request)
    language = translation.get_language()
    if language == default_language():
        route = _default_route(request, frame, path)
        # Wagtail's serve reads the route from here (Page.route_for_request).
        request._wagtail_route_for_request = route
    else:
        route = _localized_route(request, frame, path, language)
        if route is not None:
            request._wagtail_route_for_request = route
    if route is not None and not frame.visibility.may_restrict(page := route[0]):
        # Wagtail's check_view_restrictions hook asks the page for its restrictions, in two
        # queries that would find none: none is on the page or above it.
        page.get_view_restrictions = PageViewRestriction.objects.none
    return wagtail_serve(request, path)

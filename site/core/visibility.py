"""Which pages a visitor may see, decided inside the query that lists them.

Two ways to say it, with the same answer:

- `live_public(pages)` asks the database, in the query itself, whether a view restriction
  covers a page and whether the page is in the default locale: right anywhere (commands,
  indexing, a view without a request).
- `live_public(pages, visibility)` takes those facts from `Visibility`, read once per
  request with the site frame (exchange.site_frame keeps it in the shared content cache and
  retires it with every change of a view restriction, a page's place or an alias): the
  query then holds plain conditions. Building and compiling the subqueries cost about
  0.6 ms each time a listing's query was compiled (its count and its page: twice per
  listing page). `visibility_of(request)` finds the facts on a request.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Locale, Page, PageViewRestriction


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
class Visibility:
    """What decides whether a live page is public, read from the database at one moment."""

    restricted_paths: frozenset[str]
    # The default language's locale (LANGUAGE_CODE): lists show each page once, in it.
    default_locale_id: int | None

    @classmethod
    def build(cls) -> "Visibility":
        return cls(
            restricted_paths=restricted_paths(),
            default_locale_id=Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
            .values_list("pk", flat=True)
            .first(),
        )

    def shows(self, page: Page) -> bool:
        """Whether `page`, as loaded, is one `live_public(pages, self)` would list."""
        return (
            page.live and page.locale_id == self.default_locale_id and not self.may_restrict(page)
        )

    def may_restrict(self, page: Page) -> bool:
        """Whether a view restriction applies to `page`: one on it or on an ancestor."""
        return any(
            page.path[:end] in self.restricted_paths
            for end in range(page.steplen, len(page.path) + 1, page.steplen)
        )


def visibility_of(request) -> Visibility:
    """The facts the site frame attached to `request` (exchange.site_frame); read afresh for
    a request it did not see (an admin preview)."""
    frame = getattr(request, "site_frame", None)
    return frame.visibility if frame is not None else Visibility.build()


def live_public(pages, visibility: Visibility | None = None):
    """Live pages outside private sections, in the default locale, in the one query that
    lists them.

    Wagtail's `public()` first reads every view restriction (a query per call, so one
    per kind of page a view lists). Without `visibility`, the database checks that no
    restricted page is the page itself or an ancestor, i.e. has a path that starts this
    page's path; with it, the restricted paths are conditions of the query.
    One entry per page in every language: translations (other locales) are reached from
    the default-locale page, by its URL in the visitor's language (exchange.localized_serving).
    """
    pages = pages.live()
    if visibility is None:
        # The page or an ancestor is restricted, or is an alias of a restricted page (as
        # `restricted_paths` says, to one level of aliases: an alias of an alias is rare).
        covering = Page.objects.filter(
            Q(view_restrictions__isnull=False) | Q(alias_of__view_restrictions__isnull=False),
            path=Substr(OuterRef("path"), 1, Length("path")),
        )
        default_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE)
        return pages.filter(locale__in=default_locale.values("pk")).exclude(Exists(covering))
    if visibility.default_locale_id is None:
        return pages.none()
    pages = pages.filter(locale_id=visibility.default_locale_id)
    if visibility.restricted_paths:
        # sorted: the same SQL for the same facts.
        below = [Q(path__startswith=path) for path in sorted(visibility.restricted_paths)]
        pages = pages.exclude(reduce(or_, below))
    return pages

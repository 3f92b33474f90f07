"""Which pages a visitor may see, decided inside the query that lists them."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Locale, PageViewRestriction


def live_public(pages):
    """Live pages outside private sections, in the one query that lists them.

    Wagtail's `public()` first reads every view restriction (a query per call, so one
    per kind of page a view lists); here the database checks that no restricted page
    is the page itself or an ancestor, i.e. has a path that starts this page's path.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    # One entry per page in every language: translations (other locales) are reached from
    # the default-locale page, by its URL in the visitor's language (exchange.localized_serving).
    default_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values("pk")
    return pages.live().filter(locale__in=default_locale).exclude(Exists(restricted))

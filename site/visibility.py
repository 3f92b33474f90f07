"""Which pages a visitor may see, decided inside the query that lists them."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def live_public(pages):
    """Live pages outside private sections, in the one query that lists them.

    Wagtail's `public()` first reads every view restriction (a query per call, so one
    per kind of page a view lists); here the database checks that no restricted page
    is the page itself or an ancestor, i.e. has a path that starts this page's path.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.live().exclude(Exists(restricted))

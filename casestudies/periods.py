"""A reform's years as a reader sees them: both years, the first and "ongoing", or "planned".

One rule for the case study page, its card and the reasons peer matching gives, which
carries the years (not the words) so that each page says them in its reader's language.
"""

from collections.abc import Callable

from django.utils.translation import gettext, gettext_noop

ONGOING = gettext_noop("%(start)s–ongoing")
PLANNED = gettext_noop("planned")


def period_label(
    start: int | None,
    end: int | None,
    status: str = "",
    translate: Callable[[str], str] = gettext,
) -> str:
    """In the active language; `translate=str` gives the English."""
    if end is None:
        if status == "planned":
            return translate(PLANNED)
        return translate(ONGOING) % {"start": start}
    if end == start:
        return str(start)
    return f"{start}–{end}"

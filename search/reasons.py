"""Say a peer's reasons (search/matching.py) in the reader's language.

The matcher builds each reason as an English message with named values; here the
message is translated and so is every value that names something: a region, an
income group, a policy area, a rating word, a count of documents.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from casestudies.periods import period_label
from exchange.core import reference_names
from search.matching import Count, Period, Reason, Term


def say(value) -> str:
    """The reason, or one of its values, in the active language."""
    if isinstance(value, Reason):
        message = gettext(value.message)
        if not value.values:
            return message
        return message % {name: say(part) for name, part in value.values.items()}
    if isinstance(value, Term):
        return _term(value)
    if isinstance(value, Count):
        return _count(value)
    if isinstance(value, Period):
        return period_label(value.start, value.end, value.status)
    if isinstance(value, tuple):
        return ", ".join(say(part) for part in value)
    return str(value)


def _term(term: Term) -> str:
    if not term.key:
        return ""
    if term.kind == "theme":
        return reference_names.theme_name(term.key, str(term))
    if term.kind == "region":
        return reference_names.region_name(term.key)
    if term.kind == "income":
        return reference_names.income_group_name(term.key, mid_sentence=True)
    return gettext(term.key)


def _count(count: Count) -> str:
    n = count.n
    if count.kind == "commitment":
        text = ngettext("%(n)d IRM-rated commitment", "%(n)d IRM-rated commitments", n)
    elif count.kind == "casestudy":
        text = ngettext("%(n)d case study", "%(n)d case studies", n)
    else:
        text = ngettext(
            "%(n)d record from a reform tracker", "%(n)d records from reform trackers", n
        )
    return text % {"n": n}

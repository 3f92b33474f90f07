"""The results of the search page (templates/search/search.html), one list item each: what
the result is, where and when, its IRM outcomes, its title and the matching passage.

Written in Python: through the template (twenty results, each testing its type a dozen
times) they took about 2 ms of each search. The markup is what the template wrote.
"""

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from exchange.core import reference_names
from exchange.core.languages import localized_url
from exchange.core.markup import (
    blocktranslated,
    format_markup,
    join_markup,
    sample_note,
    tag,
    translated,
)
from search.presenters import fellowship_hit_deadline, fellowship_hit_status

register = template.Library()

HIT = (
    '\n        <li class="hit">\n'
    '          <p class="hit__type"><span class="tag">{kind}</span>{about}{outcomes}</p>\n'
    '          <h3 class="hit__title"><a href="{url}">{title}</a></h3>\n'
    "          {snippet}\n"
    "        </li>\n"
    "        "
)


class _Hits:
    def __init__(self):
        self.now = timezone.now()
        self.kinds = {
            "casestudy": translated(gettext("Case study")),
            "commitment": translated(gettext("Commitment")),
            "course": translated(gettext("Course")),
            "fellowship": translated(gettext("Fellowship")),
            "reform": translated(gettext("Reform record")),
        }
        self.outcomes = {
            "starred": format_markup("★ {}", translated(gettext("Starred"))),
            "complete": translated(gettext("Complete")),
            "opened_government": translated(gettext("Opened government")),
        }
        self.implemented = translated(gettext("Implemented"))
        self.open = tag("open", gettext("Open"))
        self.closed = tag("closed", gettext("Closed"))
        self.sample = sample_note()

    @staticmethod
    def country(hit) -> str:
        """The index keeps the English name; the reader's is looked up by ISO3 code."""
        return reference_names.country_name(hit.country, hit.country_name)

    def about(self, hit) -> SafeString:
        details = hit.details
        parts = []
        if hit.type == "fellowship":
            if details.get("host_institution"):
                parts.append(format_markup(" · {}", details["host_institution"]))
            if hit.country_name:
                parts.append(format_markup(", {}", self.country(hit)))
            deadline = fellowship_hit_deadline(hit)
            if fellowship_hit_status(hit, self.now) == "open":
                said = blocktranslated(gettext("apply by %(deadline)s"), deadline=deadline)
                parts.append(format_markup(" · {} · {}", self.open, said))
            else:
                said = blocktranslated(
                    gettext("applications closed %(deadline)s"), deadline=deadline
                )
                parts.append(format_markup(" · {} · {}", self.closed, said))
            if details.get("sample"):
                parts.append(self.sample)
        else:
            if hit.country_name:
                parts.append(format_markup(" · {}", self.country(hit)))
            if hit.year:
                year = localize(hit.year)
                if hit.type == "reform":
                    year = blocktranslated(gettext("since %(year)s"), year=year)
                parts.append(format_markup(" · {}", year))
            if hit.type == "reform" and details.get("source"):
                source = blocktranslated(gettext("Source: %(source)s"), source=details["source"])
                parts.append(format_markup(" · {}", source))
        return SafeString("".join(parts))

    def hit(self, hit) -> SafeString:
        return format_markup(
            HIT,
            kind=self.kinds.get(hit.type, hit.type),
            about=self.about(hit),
            outcomes=join_markup(
                ' · <span class="outcome">{}</span>',
                ((self.outcomes.get(name, self.implemented),) for name in hit.outcomes),
            ),
            # In the language being read: /fr/case-studies/… serves the page in French.
            url=localized_url(hit.url),
            title=hit.title,
            # The backends give the snippet as HTML: escaped text, <mark> around matches.
            snippet=(
                format_markup('<p class="hit__snippet">{}</p>', SafeString(hit.snippet))
                if hit.snippet
                else ""
            ),
        )


@register.simple_tag
def search_hits(hits) -> SafeString:
    """A list item for each search hit (search.backends.base.SearchHit)."""
    items = _Hits()
    return SafeString("".join(items.hit(hit) for hit in hits))

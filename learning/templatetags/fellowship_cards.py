"""Fellowship cards, as the fellowship listing shows them.

Written in Python: through the template include (the open-or-closed test twice, a deadline
in its host's time zone, a plural, the theme links) twelve cards cost about 2 ms of each
uncached listing page. The markup is what `learning/includes/fellowship_card.html` wrote.
"""

from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from exchange.core.languages import in_reader_language, localized_url
from exchange.core.markup import blocktranslated, format_markup, sample_note, tag, theme_tags
from exchange.templatetags.languages import country_name, lang_attribute

register = template.Library()

CARD = (
    '<article class="card fellowship-card{closed}">\n'
    '  <h3 class="card__title"{lang}><a href="{url}">{title}</a></h3>\n'
    '  <p class="card__meta">{status} · {institution}, {country} · {weeks}{sample}</p>\n'
    "  <p{lang}>{summary}</p>\n"
    "  {themes}\n"
    "</article>\n"
)


class _Cards:
    def __init__(self, request):
        self.request = request
        self.now = timezone.now()
        self.open = tag("open", gettext("Open"))
        self.closed = tag("closed", gettext("Closed"))
        self.sample = sample_note()

    def status(self, fellowship, is_open: bool) -> SafeString:
        deadline = fellowship.deadline_display
        if is_open:
            said = blocktranslated(gettext("apply by %(deadline)s"), deadline=deadline)
            return format_markup("{} · {}", self.open, said)
        said = blocktranslated(gettext("closed %(deadline)s"), deadline=deadline)
        return format_markup("{} · {}", self.closed, said)

    def card(self, fellowship) -> SafeString:
        is_open = fellowship.is_open_at(self.now)
        weeks = fellowship.duration_weeks
        return format_markup(
            CARD,
            closed="" if is_open else " fellowship-card--closed",
            url=localized_url(fellowship.get_url(request=self.request)),
            lang=lang_attribute(fellowship),
            title=fellowship.title,
            status=self.status(fellowship, is_open),
            institution=fellowship.host_institution,
            country=country_name(fellowship.host_country),
            weeks=blocktranslated(
                ngettext("%(weeks)s week", "%(weeks)s weeks", weeks), weeks=localize(weeks)
            ),
            sample=self.sample if fellowship.is_sample else "",
            summary=fellowship.summary,
            # A theme's tag filters this listing by it.
            themes=theme_tags(
                fellowship.themes.all(), lambda theme: f"?theme={quote(theme.slug, safe='/')}"
            ),
        )


@register.simple_tag(takes_context=True)
def fellowship_cards(context, fellowships) -> SafeString:
    """A card for each of `fellowships`, open or closed as of now, in the reader's language."""
    cards = _Cards(context.get("request"))
    return SafeString(
        "".join(cards.card(fellowship) for fellowship in in_reader_language(fellowships))
    )

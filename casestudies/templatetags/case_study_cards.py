"""Case study cards, as the listing, the hubs, the home page and lessons show them.

Written in Python: through the template include (a lookup per field, a `reverse` per theme
link), twelve cards cost about 3 ms of each uncached listing page. The markup is what
`includes/case_study_card.html` wrote.
"""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from casestudies.models import CaseStudyStatus
from exchange.core.markup import format_markup, sample_note, theme_tags
from exchange.templatetags.languages import (
    country_name,
    in_reader_language,
    lang_attribute,
    localized_pageurl,
)

register = template.Library()

CARD = (
    '\n<article class="card">\n'
    '  <h3 class="card__title"{lang}><a href="{url}">{title}</a></h3>\n'
    '  <p class="card__meta">{country}{jurisdiction} · {period} · '
    '<span class="status status--{status}">{status_label}</span>{sample}</p>\n'
    "  <p{lang}>{summary}</p>\n"
    "  {themes}\n"
    "</article>\n"
)


class _Cards:
    """What every card of a page repeats: the words, and each theme's address."""

    def __init__(self, context):
        self.context = context
        self.statuses = dict(CaseStudyStatus.choices)
        self.sample = sample_note()
        self.theme_urls: dict[str, str] = {}

    def theme_url(self, theme) -> str:
        if theme.slug not in self.theme_urls:
            self.theme_urls[theme.slug] = reverse("casestudies:theme_detail", args=[theme.slug])
        return self.theme_urls[theme.slug]

    def card(self, case_study) -> SafeString:
        jurisdiction = case_study.jurisdiction
        return format_markup(
            CARD,
            url=localized_pageurl(self.context, case_study),
            lang=lang_attribute(case_study),
            title=case_study.title,
            country=country_name(case_study.country),
            jurisdiction=format_markup(" ({})", jurisdiction) if jurisdiction else "",
            period=case_study.period_label,
            status=case_study.status,
            status_label=self.statuses.get(case_study.status, case_study.status),
            sample=self.sample if case_study.is_sample else "",
            summary=case_study.summary,
            themes=theme_tags(case_study.themes.all(), self.theme_url),
        )


def _cards(context) -> _Cards:
    # Kept for one rendering of the page (a page may list cards in several places).
    if _Cards not in context.render_context:
        context.render_context[_Cards] = _Cards(context)
    return context.render_context[_Cards]


@register.simple_tag(takes_context=True)
def case_study_card(context, case_study) -> SafeString:
    """One case study's card (`includes/case_study_card.html`), in the reader's language."""
    (case_study,) = in_reader_language([case_study])
    return _cards(context).card(case_study)


@register.simple_tag(takes_context=True)
def case_study_cards(context, case_studies) -> SafeString:
    """A card for each of `case_studies`, as the include writes them one after another, in
    the reader's language."""
    cards = _cards(context)
    return SafeString(
        "".join(cards.card(case_study) for case_study in in_reader_language(case_studies))
    )

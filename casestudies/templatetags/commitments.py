"""IRM-rated commitments as pages list them: title, action plan, excerpt and ratings.

Written in Python: a theme page lists up to 25 commitments and a country page all of its
country's, and as template includes (the article, then its ratings) each one cost about
0.6 ms. The markup, spaces and blank lines included, is what those includes wrote.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from casestudies.models import Country
from casestudies.models.commitments import (
    Completion,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
)
from exchange.core.markup import blocktranslated, format_markup, join_markup, translated

register = template.Library()

SPECIFICITY = dict(Specificity.choices)
POTENTIAL_IMPACT = dict(PotentialImpact.choices)
COMPLETION = dict(Completion.choices)
OPENED_GOVERNMENT = dict(OpenedGovernment.choices)

ARTICLE = (
    '<article class="commitment" id="{identifier}">\n'
    '  <h{level} class="commitment__title">{title}</h{level}>\n'
    '  <p class="commitment__meta"><span class="mono">{identifier}</span>{country} · {plan}{lead}'
    "</p>\n"
    "  \n"
    "  {excerpt}\n"
    "  \n"
    '<dl class="irm">\n'
    "  <div><dt>{specificity_term}</dt><dd>{specificity}</dd></div>\n"
    "  <div><dt>{potential_impact_term}</dt><dd>{potential_impact}</dd></div>\n"
    "  <div><dt>{completion_term}</dt><dd>{completion}</dd></div>\n"
    '  <div><dt class="irm__question">{opened_government_term}</dt>'
    "<dd>{opened_government}</dd></div>\n"
    "  <div><dt>{starred_term}</dt><dd>{starred}</dd></div>\n"
    "</dl>\n"
    "\n"
    "</article>"
)
# OGP's wording: only a short excerpt, and only beside a link to OGP's page (data/README.md).
EXCERPT = (
    '\n  <p class="commitment__excerpt"><span class="small">{from_the_action_plan}</span>'
    ' <q cite="{source}">{excerpt}</q> <a href="{source}">{read_the_full_commitment}'
    '<span class="visually-hidden"> ({identifier})</span></a></p>\n  '
)


class _Wording:
    """The words every commitment repeats, translated once for a page."""

    def __init__(self):
        self.country_url = Country.url_for_each()
        self.not_assessed = translated(gettext("Not assessed"))
        self.no = translated(gettext("No"))
        self.terms = {
            "specificity_term": translated(gettext("Specificity")),
            "potential_impact_term": translated(gettext("Potential impact")),
            "completion_term": translated(gettext("Completion")),
            "opened_government_term": translated(gettext("Did it open government?")),
            "starred_term": translated(gettext("Starred")),
        }
        self.star = format_markup('<span class="star">★ {}</span>', self.terms["starred_term"])
        self.action_plan = gettext("action plan %(plan)s")
        self.from_the_action_plan = translated(gettext("From the action plan:"))
        self.read_the_full_commitment = translated(
            gettext("Read the full commitment on OGP's site")
        )

    def rating(self, labels: dict, value: str | None):
        """A rating's label; one the IRM did not give is "Not assessed", never a "no"."""
        if not value:
            return self.not_assessed
        return labels.get(value, value)

    def starred(self, commitment) -> SafeString:
        if commitment.starred:
            return self.star
        return self.no if commitment.is_assessed else self.not_assessed

    def plan(self, commitment) -> SafeString:
        return blocktranslated(self.action_plan, plan=commitment.action_plan_label)

    def excerpt(self, commitment) -> SafeString | str:
        excerpt = commitment.full_text_excerpt
        source = commitment.source_page_url if excerpt else ""
        if not source:
            return ""
        return format_markup(
            EXCERPT,
            from_the_action_plan=self.from_the_action_plan,
            source=source,
            excerpt=excerpt,
            read_the_full_commitment=self.read_the_full_commitment,
            identifier=commitment.identifier,
        )


def _article(commitment, level, show_country: bool, wording: _Wording) -> SafeString:
    title = commitment.title
    if commitment.source_url:
        title = format_markup('<a href="{}">{}</a>', commitment.source_url, title)
    country = ""
    if show_country:
        url = wording.country_url(commitment.country.iso3)
        country = format_markup(' · <a href="{}">{}</a>', url, commitment.member_name)
    lead = commitment.lead_institution
    return format_markup(
        ARTICLE,
        identifier=commitment.identifier,
        level=level,
        title=title,
        country=country,
        plan=wording.plan(commitment),
        lead=format_markup(" · {}", lead) if lead and lead != "NA" else "",
        excerpt=wording.excerpt(commitment),
        specificity=wording.rating(SPECIFICITY, commitment.specificity),
        potential_impact=wording.rating(POTENTIAL_IMPACT, commitment.potential_impact),
        completion=wording.rating(COMPLETION, commitment.completion),
        opened_government=wording.rating(OPENED_GOVERNMENT, commitment.opened_government),
        starred=wording.starred(commitment),
        **wording.terms,
    )


def _wording(context) -> _Wording:
    # Kept in the render context, which lasts one rendering of the page: a country page
    # lists its commitments one action plan at a time.
    if _Wording not in context.render_context:
        context.render_context[_Wording] = _Wording()
    return context.render_context[_Wording]


@register.simple_tag(takes_context=True)
def commitment_article(context, commitment, level=4, show_country=False) -> SafeString:
    """One commitment (`includes/commitment.html`, for a case study's few)."""
    return _article(commitment, level, show_country, _wording(context))


@register.simple_tag(takes_context=True)
def commitment_articles(context, commitments, level=4, show_country=False) -> SafeString:
    """Each of `commitments`, a line apart, as `includes/commitment.html` writes one."""
    wording = _wording(context)
    return join_markup(
        "{}\n",
        ((_article(commitment, level, show_country, wording),) for commitment in commitments),
    )

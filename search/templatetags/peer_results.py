"""The ranked peers of the /peers/ page (templates/search/peers.html), one list item each:
the country and its score, why it is a peer, its evidence, its open fellowships on the
reform and a way to ask for an introduction.

Written in Python: through the template (ten peers, each with its reasons, its evidence and
two includes) they took about 4 ms of each peer query. The markup is what the template and
its includes wrote.
"""

from urllib.parse import quote

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from casestudies.models import Country
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
from exchange.templatetags.languages import country_name
from search.reasons import say

register = template.Library()

PEER = (
    '\n        <li class="peer">\n'
    '          <div class="peer__head">\n'
    '            <h3><a href="{country_url}">{country}</a></h3>\n'
    '            <p class="peer__score" aria-label="{score_label}"><span>{score}</span>/100</p>\n'
    "          </div>\n"
    '          <p class="small">{region} · {income_group}</p>\n'
    "          <h4>{why}</h4>\n"
    '          <ul class="reasons">{reasons}</ul>\n'
    "          <details>\n"
    "            <summary>{evidence_label}</summary>\n"
    '            <ul class="evidence">\n'
    "              {evidence}\n"
    "            </ul>\n"
    "          </details>\n"
    "          {fellowships}\n"
    "          {introduction}\n"
    "        </li>\n"
    "        "
)
EVIDENCE = (
    '\n              <li><a href="{}">{}</a> <span class="small">{}{}</span></li>\n              '
)
FELLOWSHIP = (
    '\n<p class="peer__fellowship">{open} {hosted} '
    '<a href="{url}">{title}</a> · {institution} · {apply_by} '
    '<time datetime="{deadline_iso}">{deadline}</time>{sample}</p>\n'
)
INTRODUCTION = (
    '\n<p class="peer__introduce"><a class="button button--quiet" href="{href}">{request}'
    '<span class="visually-hidden"> {to_reformers}</span></a>\n'
    '  <span class="small">{support_unit}</span></p>\n'
)


class _PeerList:
    def __init__(self, result):
        self.result = result
        self.sample = sample_note()
        self.case_study = translated(gettext("case study"))
        self.case_study_sample = format_markup(
            "{} {}", self.case_study, translated(gettext("(sample)"))
        )
        self.commitment = translated(gettext("IRM-rated commitment"))
        # The words every peer repeats, translated once for the list.
        self.not_classified = translated(gettext("income group not classified"))
        self.why = translated(gettext("Why this peer"))
        self.open_fellowship = tag("open", gettext("Open fellowship"))
        self.hosted_here = translated(gettext("hosted here:"))
        self.apply_by = translated(gettext("apply by"))
        self.request_introduction = translated(gettext("Request an introduction"))
        reformer, goal, themes = result.reformer, result.goal, result.themes
        self.introduction_query = (
            f"&country={quote(reformer.iso3, safe='/')}&q={quote(goal, safe='/')}"
            + (f"&theme={quote(themes[0], safe='/')}" if themes else "")
        )
        self.introduction_url = reverse("learning:request_introduction")
        self.country_url = Country.url_for_each()

    def peer(self, peer) -> SafeString:
        country = peer.country
        name = country_name(country)
        score = floatformat(peer.score, 0)
        return format_markup(
            PEER,
            country_url=self.country_url(country.iso3),
            country=name,
            score_label=blocktranslated(gettext("Match score %(score)s out of 100"), score=score),
            score=score,
            region=reference_names.region_name(country.region or ""),
            income_group=(
                reference_names.income_group_name(country.income_group)
                if country.income_group
                else self.not_classified
            ),
            why=self.why,
            reasons=join_markup("<li>{}</li>", ((say(r),) for r in peer.reasons)),
            evidence_label=blocktranslated(
                gettext("Evidence (%(count)s)"), count=localize(len(peer.evidence))
            ),
            evidence=SafeString("".join(self.evidence(item.hit) for item in peer.evidence)),
            fellowships=self.fellowships(country.iso3),
            introduction=self.introduction(country.iso3, name),
        )

    def evidence(self, hit) -> SafeString:
        if hit.type == "casestudy":
            kind = self.case_study_sample if hit.details.get("sample") else self.case_study
        elif hit.type == "reform":
            kind = hit.details.get("source", "")
            as_of = hit.details.get("as_of")
            if as_of:
                kind = format_markup(
                    "{}, {}", kind, blocktranslated(gettext("data as of %(as_of)s"), as_of=as_of)
                )
        else:
            kind = self.commitment
        year = format_markup(", {}", localize(hit.year)) if hit.year else ""
        return format_markup(EVIDENCE, localized_url(hit.url), hit.title, kind, year)

    def fellowships(self, iso3: str) -> SafeString:
        hosted = [f for f in self.result.fellowships if f.host_country.iso3 == iso3]
        parts = [
            format_markup(
                FELLOWSHIP,
                open=self.open_fellowship,
                hosted=self.hosted_here,
                url=localized_url(fellowship.url),
                title=fellowship.title,
                institution=fellowship.host_institution,
                apply_by=self.apply_by,
                deadline_iso=date_filter(template_localtime(fellowship.application_deadline), "c"),
                deadline=fellowship.deadline_display,
                sample=self.sample if fellowship.is_sample else "",
            )
            for fellowship in hosted
        ]
        return SafeString("".join(parts) + "\n")

    def introduction(self, iso3: str, name: str) -> SafeString:
        href = f"{self.introduction_url}?peer={quote(iso3, safe='/')}{self.introduction_query}"
        return format_markup(
            INTRODUCTION,
            href=href,
            request=self.request_introduction,
            to_reformers=blocktranslated(gettext("to reformers in %(country)s"), country=name),
            support_unit=blocktranslated(
                gettext(
                    "The Support Unit puts you in touch with the people who led this reform in "
                    "%(country)s."
                ),
                country=name,
            ),
        )


@register.simple_tag
def peer_items(result) -> SafeString:
    """A list item for each of `result`'s peers (a search.peers.MatchResult)."""
    peers = _PeerList(result)
    return SafeString("".join(peers.peer(peer) for peer in result.peers))

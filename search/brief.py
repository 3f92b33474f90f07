"""The peer brief: a /peers/ answer as a PDF a reformer can keep, print or forward.

It lays out the `MatchResult` the /peers/ page shows (search.views.find_peers_for makes
both), so the brief and the page never disagree: no matching of its own happens here.
Country and policy-area names are in the reader's language, as on the page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from casestudies.models.commitments import Completion, OpenedGovernment, PotentialImpact
from exchange.core.pdf import Document, pdf_response
from exchange.core.reference_names import country_name, theme_name
from search.peers import MatchResult
from search.reasons import say

SOURCES = (
    gettext_lazy("Open Government Partnership, IRM data (commitments and their ratings)"),
    gettext_lazy("Open Contracting Partnership, ocp-data (open contracting records; BSD-3-Clause)"),
    gettext_lazy("Open Ownership (beneficial-ownership records)"),
    gettext_lazy(
        "World Bank: WDI, Worldwide Governance Indicators and country classification FY2026 "
        "(CC BY 4.0)"
    ),
)


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else ""


def irm_summary(irm: dict) -> str:
    """A commitment's IRM ratings in one line; a rating the IRM never gave says so."""
    if not irm:
        return ""
    not_assessed = _("not assessed")
    parts = [
        _("completion: %s") % (_label(Completion, irm.get("completion")) or not_assessed),
        _("potential impact: %s")
        % (_label(PotentialImpact, irm.get("potential_impact")) or not_assessed),
        _("did it open government: %s")
        % (_label(OpenedGovernment, irm.get("did_it_open_government")) or not_assessed),
    ]
    if irm.get("starred"):
        parts.append(_("starred by the IRM"))
    return "; ".join(parts)


def evidence_line(item) -> str:
    """What the page says beside an evidence link: its kind, year and outcome."""
    hit = item.hit
    if hit.type == "casestudy":
        kind = _("case study (sample)") if hit.details.get("sample") else _("case study")
    elif hit.type == "reform":
        kind = hit.details.get("source") or _("reform record")
        if hit.details.get("as_of"):
            kind = _("%(source)s, data as of %(date)s") % {
                "source": kind,
                "date": hit.details["as_of"],
            }
    else:
        kind = _("IRM-rated commitment")
    line = f"{hit.title} ({kind}{f', {hit.year}' if hit.year else ''})"
    ratings = irm_summary(hit.details.get("irm", {})) if hit.type == "commitment" else ""
    return f"{line}. {ratings}" if ratings else line


def understood_line(result: MatchResult) -> str:
    if not result.understood_as:
        return _(
            "We could not tell which policy area the goal is about, so we matched its words: "
            "only documents that answer most of it count."
        )
    if result.themes:
        return _("Policy area chosen: %s") % ", ".join(
            theme_name(area.slug, area.name) for area in result.understood_as
        )
    return _("We read the goal as: %s") % ", ".join(
        _("%(name)s (%(percent)s%% sure)")
        % {"name": theme_name(area.slug, area.name), "percent": area.percent}
        for area in result.understood_as
    )


def build_peer_brief(result: MatchResult, request, now=None) -> Document:
    now = now or timezone.now()
    absolute = request.build_absolute_uri
    reformer = result.reformer
    title = _("Peer brief for %s") % country_name(reformer.iso3, reformer.name)
    document = Document(
        title,
        language=get_language() or "en",
        footer_text=_("Made on %(date)s at %(url)s")
        % {
            "date": date_format(timezone.localtime(now), "DATE_FORMAT"),
            "url": absolute(reverse("search:peers")),
        },
    )
    document.title_block(
        title,
        _(
            "Countries that already did the reform you want, ranked by their evidence, its "
            "outcomes and how much their context resembles yours."
        ),
    )
    document.facts(
        [
            (
                _("Your country"),
                f"{country_name(reformer.iso3, reformer.name)} ({reformer.region}; "
                f"{reformer.income_group or _('income group not classified')})",
            ),
            (_("Your goal"), result.goal or _("(none given: policy area chosen)")),
            (_("How we read it"), understood_line(result)),
            (_("Date"), date_format(timezone.localtime(now), "DATE_FORMAT")),
        ]
    )
    if result.notice:
        document.paragraph(result.notice, muted=True)
    document.rule()

    document.heading(_("Peers"))
    if not result.peers:
        document.paragraph(
            _(
                "No other country in our data has case studies, commitments or reform records "
                "on this reform."
            )
        )
    for rank, peer in enumerate(result.peers, start=1):
        document.heading(
            _("%(rank)s. %(country)s: match score %(score)s/100")
            % {
                "rank": rank,
                "country": country_name(peer.country.iso3, peer.country.name),
                "score": round(peer.score),
            },
            level=3,
        )
        document.paragraph(
            f"{peer.country.region} · "
            f"{peer.country.income_group or _('income group not classified')}",
            size=9,
            muted=True,
        )
        document.paragraph(_("Why this peer"), size=10, bold=True)
        for reason in peer.reasons:
            document.bullet(say(reason))
        if peer.evidence:
            document.paragraph(_("Evidence"), size=10, bold=True)
            for item in peer.evidence:
                document.bullet(evidence_line(item), url=absolute(item.hit.url), size=9)

    if result.courses:
        document.heading(_("Learn how: courses on this reform"))
        for course in result.courses:
            document.bullet(
                _("%(title)s (%(level)s, about %(hours)s hours)")
                % {
                    "title": course.title,
                    "level": course.get_level_display(),
                    "hours": course.duration_hours,
                },
                url=absolute(course.url),
            )
    if result.fellowships:
        document.heading(_("Fellowships on this reform"))
        for fellowship in result.fellowships:
            sample = _(" (sample)") if fellowship.is_sample else ""
            document.bullet(
                _(
                    "%(title)s%(sample)s: %(institution)s, %(country)s; %(weeks)s weeks; "
                    "apply by %(deadline)s"
                )
                % {
                    "title": fellowship.title,
                    "sample": sample,
                    "institution": fellowship.host_institution,
                    "country": country_name(
                        fellowship.host_country.iso3, fellowship.host_country.name
                    ),
                    "weeks": fellowship.duration_weeks,
                    "deadline": fellowship.deadline_display,
                },
                url=absolute(fellowship.url),
            )

    document.heading(_("How the ranking works"))
    document.paragraph(
        _(
            "Score = 100 × reform × outcome × context: evidence on the policy areas of the goal, "
            "how far that evidence got (IRM completion, “did it open government”, star; "
            "implemented case studies), and how much the country's region, income group, "
            "governance, income and population resemble yours. Full method: %s"
        )
        % absolute(reverse("search:peers") + "#how-it-works"),
        size=9,
    )
    document.heading(_("Sources"))
    for source in SOURCES:
        document.bullet(source, size=9)
    document.paragraph(
        _(
            "Case studies marked “sample” were written by the Reform Exchange team from public "
            "sources."
        ),
        size=9,
        muted=True,
    )
    document.paragraph(
        _("This brief online: %s")
        % absolute(
            request.get_full_path().replace(
                reverse("search:peer_brief"), reverse("search:peers"), 1
            )
        ),
        size=9,
        muted=True,
    )
    return document


def peer_brief_response(result: MatchResult, request):
    name = slugify(f"peer-brief-{result.reformer.iso3}-{result.goal or '-'.join(result.themes)}")
    return pdf_response(build_peer_brief(result, request), f"{name[:80]}.pdf")

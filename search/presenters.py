"""Turn backend results into what pages and the API show: labels, JSON shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from casestudies.models import Country, Theme
from exchange.core.page_cache import content_cached
from learning.fellowships.models import deadline_label, deadline_passed
from learning.models import FellowshipStatus
from search.backends.base import DOCUMENT_TYPES, OUTCOMES, SearchHit, SearchResults
from search.thesaurus import fold, language_of


def _names() -> dict[str, dict[str, str]]:
    return {
        "themes": dict(Theme.objects.values_list("slug", "name")),
        "countries": dict(Country.objects.values_list("iso3", "name")),
    }


class Labels:
    """Display names for facet values, as stored (in English), from the content cache."""

    def __init__(self):
        names = content_cached({"facet-labels": _names})["facet-labels"]
        self.themes = names["themes"]
        self.countries = names["countries"]

    def of(self, facet: str, value: str) -> str:
        if facet == "type":
            return DOCUMENT_TYPES.get(value, value)
        if facet == "theme":
            return self.themes.get(value, value)
        if facet == "country":
            return self.countries.get(value, value)
        if facet == "outcome":
            return OUTCOMES.get(value, value)
        return value


def facets_json(results: SearchResults, labels: Labels) -> dict:
    return {
        name: [
            {"value": facet.value, "label": labels.of(name, facet.value), "count": facet.count}
            for facet in values
        ]
        for name, values in results.facets.items()
    }


def _deadline(hit: SearchHit) -> datetime | None:
    deadline = hit.details.get("application_deadline")
    return datetime.fromisoformat(deadline) if deadline else None


def fellowship_hit_status(hit: SearchHit, now=None) -> str:
    """Open or closed at `now` (default: now), from the deadline the hit carries."""
    if deadline_passed(_deadline(hit), now or timezone.now()):
        return FellowshipStatus.CLOSED.value
    return FellowshipStatus.OPEN.value


def fellowship_hit_deadline(hit: SearchHit) -> str:
    """The deadline the hit carries, in its time zone and the reader's language."""
    return deadline_label(_deadline(hit), hit.details.get("deadline_time_zone", ""))


def hit_json(hit: SearchHit, request=None) -> dict:
    url = request.build_absolute_uri(hit.url) if request is not None and hit.url else hit.url
    data = {
        "title": hit.title,
        "url": url,
        "type": hit.type,
        "country": {"iso3": hit.country, "name": hit.country_name} if hit.country else None,
        "themes": list(hit.themes),
        "snippet": hit.snippet,
        "year": hit.year,
    }
    if hit.type == "fellowship":
        data["application_deadline"] = hit.details.get("application_deadline")
        data["status"] = fellowship_hit_status(hit)
    if hit.type == "reform":
        # A tracker's fact: name the organisation (attribution) and link its evidence.
        data["kind"] = hit.details.get("kind")
        data["source"] = {
            "name": hit.details.get("source"),
            "url": hit.details.get("source_url"),
            "as_of": hit.details.get("as_of"),
        }
        data["evidence_url"] = hit.details.get("evidence_url") or None
    return data


def fellowship_json(fellowship, absolute_url: str, now=None) -> dict:
    """One fellowship as GET /api/v1/match/ and `match_peers --json` list it.

    `fellowship` needs `host_country` and `themes` loaded.
    """
    return {
        "title": fellowship.title,
        "url": absolute_url,
        "host_country": {
            "iso3": fellowship.host_country.iso3,
            "name": fellowship.host_country.name,
        },
        "host_institution": fellowship.host_institution,
        "themes": [theme.slug for theme in fellowship.themes.all()],
        "start_date": fellowship.start_date.isoformat(),
        "end_date": fellowship.end_date.isoformat(),
        "application_deadline": fellowship.application_deadline.isoformat(),
        "status": str(fellowship.status_at(now or timezone.now())),
        "sample": fellowship.is_sample,
    }


# How many of the phrases a search also looks for the search page lists before folding the
# rest away: a common policy area has twenty to forty phrases in three languages, which
# pushed the first result below the fold on a phone.
EXPANSION_SHOWN = 8


@dataclass(frozen=True)
class Expansion:
    """The phrases a search also looks for, as the search page lists them: `shown` groups
    first, the `folded` rest behind a disclosure. Each group is a list of phrases."""

    shown: list[list[str]]
    folded: list[list[str]]

    @property
    def folded_count(self) -> int:
        return sum(len(group) for group in self.folded)


def expansion(groups, text: str, languages) -> Expansion:
    """What the search also looks for, without what the reformer typed: in each group, the
    phrases in the reformer's `languages` first, the others after, each in the thesaurus's
    order; all but the first EXPANSION_SHOWN phrases folded. A phrase no language claims
    ("FOI", "open data") goes with English, the thesaurus's own language."""
    typed = fold(text)

    def order(phrase):
        return 0 if (language_of(phrase) or "en") in languages else 1

    shown, folded, room = [], [], EXPANSION_SHOWN
    for group in groups:
        phrases = sorted((p for p in group if fold(p) != typed), key=order)
        if phrases[:room]:
            shown.append(phrases[:room])
        if phrases[room:]:
            folded.append(phrases[room:])
        room = max(0, room - len(phrases))
    return Expansion(shown=shown, folded=folded)

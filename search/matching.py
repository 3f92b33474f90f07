"""Peer matching: rank countries for a reformer's country and reform goal.

Pure Python over what the search backend retrieved, so both backends rank
alike. The goal has been read as OGP policy areas (search/understanding.py),
each with a confidence c_t (the best area 1.0); the backend returned the
evidence tagged with those areas: IRM-rated commitments, case studies and
reform records from the organisations that track a reform worldwide. For each
candidate country and each piece of its evidence e:

    w_t   = c_t²                                        an area's weight
    fit_e = max w_t over the areas e is tagged with     how squarely e is the reform
    s_e   = outcome strength, 0..1 (search/documents.py), with sample case
            studies counting half and reform records RECORD_WEIGHT of their own, so
            IRM-verified completed commitments weigh most
    R = 1 - Π_e (1 - fit_e)                over its 5 best-fitting documents
    O = max_e (fit_e · s_e) / max_e fit_e  its best outcome on the reform
    S = 0.30·same region + 0.25·income group (same 1, neighbouring ½)
        + 0.20·governance + 0.15·GDP per capita + 0.10·population   (each 0..1)
    score = 100 · R · (0.2 + 0.8·O) · (0.5 + 0.5·S)

R says whether the country did the reform asked about: only evidence tagged
with the areas of the goal counts, so a document sharing a side word
("public", "budget") never makes a peer, and neither the length of a title nor
what else is published moves a score. O prefers the countries where the reform
got furthest; S, the countries like the reformer's. The three factors, exactly
as multiplied, are in every match's `components`.

When no policy area can be read from the goal, the words are all there is: a
document counts only when it matches at least TEXT_ONLY_COVERAGE of the goal,
with fit_e = coverage_e². docs/matching.md has the evaluation.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from casestudies.periods import period_label
from search.backends.base import SearchHit

INCOME_ORDER = ["Low income", "Lower middle income", "Upper middle income", "High income"]
WEIGHTS = {"region": 0.30, "income": 0.25, "governance": 0.20, "gdp": 0.15, "population": 0.10}
EVIDENCE_PER_PEER = 5
OUTCOME_FLOOR, CONTEXT_FLOOR = 0.2, 0.5
# Sample case studies were written by the team, not verified: half their outcome counts.
SAMPLE_WEIGHT = 0.5
# A tracker's record says a country did (part of) a reform, not how far it got nor whether
# it opened government. Its own strength (0..1, from its importer) counts at this weight, so
# the best record (0.6 → 0.36) stays below an IRM-verified, substantially complete commitment
# (at least 0.44 with every other rating unknown), and above a promise nobody assessed (0.21).
RECORD_WEIGHT = 0.6
# Without a policy area, a document must answer most of the goal to count at all.
TEXT_ONLY_COVERAGE = 0.6

# gettext_noop: the words are said in English here and translated where shown (search/reasons.py).
COMPLETION_WORDS = {
    "complete": gettext_noop("complete"),
    "substantial": gettext_noop("substantially complete"),
    "limited": gettext_noop("limited completion"),
    "not_started": gettext_noop("not started"),
    "withdrawn": gettext_noop("withdrawn"),
}
OPENED_WORDS = {
    "outstanding": gettext_noop("outstanding"),
    "major": gettext_noop("major"),
    "marginal": gettext_noop("marginal"),
}
STATUS_WORDS = {
    "implemented": gettext_noop("implemented"),
    "in-progress": gettext_noop("in progress"),
    "planned": gettext_noop("planned"),
    "stalled": gettext_noop("stalled"),
}


class Term(str):
    """A name inside a reason (a region, an income group, a policy area, a rating word):
    English as a string, with what it names, so that a page can say it in its language."""

    kind: str  # "region", "income", "theme" or "word"
    key: str  # the region or income group as in the data, a theme's slug, the English word

    def __new__(cls, kind: str, key: str, english: str | None = None):
        term = super().__new__(cls, key if english is None else english)
        term.kind, term.key = kind, key
        return term


class Count(str):
    """ "3 IRM-rated commitments": how many documents of one kind, in English."""

    kind: str
    n: int

    def __new__(cls, kind: str, n: int):
        one, many = EVIDENCE_KINDS[kind]
        count = super().__new__(cls, f"{n} {one if n == 1 else many}")
        count.kind, count.n = kind, n
        return count


class Period(str):
    """A case study's years (2017 and "ongoing") in English, keeping the years and status,
    so that a page can say them in its language (casestudies.periods)."""

    start: int | None
    end: int | None
    status: str

    def __new__(cls, start: int | None, end: int | None, status: str = ""):
        period = super().__new__(cls, period_label(start, end, status, translate=str))
        period.start, period.end, period.status = start, end, status
        return period


def _period(hit: SearchHit) -> Period | str:
    details = hit.details
    if "period_start" in details:
        return Period(details["period_start"], details.get("period_end"), details.get("status", ""))
    return str(details.get("period") or hit.year or "")  # indexed before the years were kept


class Reason(str):
    """One line of "why this peer". As a string it is the English line (the API, the
    command line, the tests); it keeps its message and values, so that search/reasons.py
    can say it in the reader's language. A value is a string, a Term, a Count, a Period,
    another Reason, or a tuple of those (said as a list)."""

    message: str
    values: dict

    def __new__(cls, message: str, **values):
        english = {
            name: ", ".join(value) if isinstance(value, tuple) else value
            for name, value in values.items()
        }
        reason = super().__new__(cls, message % english if values else message)
        reason.message, reason.values = message, values
        return reason


@dataclass(frozen=True)
class CountryProfile:
    iso3: str
    name: str
    region: str
    income_group: str
    population: float | None = None
    gdp_per_capita: float | None = None
    governance: tuple[float | None, ...] = ()

    def as_json(self) -> dict:
        return {
            "iso3": self.iso3,
            "name": self.name,
            "region": self.region,
            "income_group": self.income_group or None,
        }


@dataclass(frozen=True)
class Evidence:
    hit: SearchHit
    relevance: float  # fit_e: how squarely this document is the reform asked about
    strength: float  # s_e: its outcome, as the ranking counts it

    @property
    def type(self) -> str:
        """`casestudy`, `commitment`, or a reform record's kind (`ocds-publisher`, ...)."""
        if self.hit.type == "reform":
            return self.hit.details.get("kind") or "reform"
        return self.hit.type

    def as_json(self) -> dict:
        hit = self.hit
        data = {
            "title": hit.title,
            "url": hit.url,
            "type": self.type,
            "year": hit.year,
            "themes": list(hit.themes),
            "irm": hit.details.get("irm", {}),
        }
        if hit.type == "casestudy":
            data["status"] = hit.details.get("status")
            data["sample"] = bool(hit.details.get("sample"))
        if hit.type == "reform":
            data["source"] = hit.details.get("source", "")
            data["source_url"] = hit.details.get("source_url", "")
            data["evidence_url"] = hit.details.get("evidence_url", "")
        return data


@dataclass(frozen=True)
class Similarity:
    total: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PeerMatch:
    country: CountryProfile
    score: float
    relevance: float  # R
    outcome: float  # O
    similarity: Similarity  # S
    reasons: list[Reason]
    evidence: list[Evidence]

    @property
    def outcome_factor(self) -> float:
        return OUTCOME_FLOOR + (1 - OUTCOME_FLOOR) * self.outcome

    @property
    def context_factor(self) -> float:
        return CONTEXT_FLOOR + (1 - CONTEXT_FLOOR) * self.similarity.total

    def as_json(self) -> dict:
        # `relevance`, `outcome` and `context` are the three factors exactly as multiplied:
        # score = 100 · relevance · outcome · context.
        return {
            "country": self.country.as_json(),
            "score": round(self.score, 1),
            "components": {
                "relevance": round(self.relevance, 4),
                "outcome": round(self.outcome_factor, 4),
                "context": round(self.context_factor, 4),
                "outcome_strength": round(self.outcome, 4),
                "similarity": round(self.similarity.total, 4),
            },
            "reasons": self.reasons,
            "evidence": [evidence.as_json() for evidence in self.evidence],
        }


def _closeness(a: float | None, b: float | None, scale: float) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, 1.0 - abs(a - b) / scale)


def _log(value: float | None) -> float | None:
    return math.log10(value) if value and value > 0 else None


def similarity(reformer: CountryProfile, peer: CountryProfile) -> Similarity:
    """How alike two countries' contexts are, 0..1, with the part each factor gave."""
    parts = {"region": 1.0 if reformer.region and reformer.region == peer.region else 0.0}
    if reformer.income_group in INCOME_ORDER and peer.income_group in INCOME_ORDER:
        gap = abs(INCOME_ORDER.index(reformer.income_group) - INCOME_ORDER.index(peer.income_group))
        parts["income"] = {0: 1.0, 1: 0.5}.get(gap, 0.0)
    else:
        parts["income"] = 0.0  # unknown income group: no evidence of similarity, none guessed
    pairs = [
        (a, b)
        for a, b in zip(reformer.governance, peer.governance, strict=False)
        if a is not None and b is not None
    ]
    if pairs:
        mean_gap = sum(abs(a - b) for a, b in pairs) / len(pairs)
        parts["governance"] = max(0.0, 1.0 - mean_gap / 1.5)
    else:
        parts["governance"] = 0.0
    parts["gdp"] = _closeness(_log(reformer.gdp_per_capita), _log(peer.gdp_per_capita), 1.5) or 0.0
    parts["population"] = _closeness(_log(reformer.population), _log(peer.population), 2.0) or 0.0
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return Similarity(round(total, 4), parts)


def _evidence_reason(hit: SearchHit) -> Reason:
    if hit.type == "casestudy":
        status = hit.details.get("status")
        values = {
            "title": hit.title,
            "status": Term("word", STATUS_WORDS[status]) if status in STATUS_WORDS else "",
            "period": _period(hit),
        }
        if hit.details.get("sample"):
            return Reason(
                gettext_noop(
                    "Case study: %(title)s (%(status)s, %(period)s; sample case study "
                    "written by the Reform Exchange team)"
                ),
                **values,
            )
        return Reason(gettext_noop("Case study: %(title)s (%(status)s, %(period)s)"), **values)
    if hit.type == "reform":
        source = hit.details.get("source") or Term("word", gettext_noop("reform tracker"))
        if hit.year:
            return Reason(
                gettext_noop("%(title)s since %(year)s — %(source)s"),
                title=hit.title,
                year=str(hit.year),
                source=source,
            )
        return Reason(gettext_noop("%(title)s — %(source)s"), title=hit.title, source=source)
    irm = hit.details.get("irm", {})
    facts = []
    if irm.get("completion") in COMPLETION_WORDS:
        facts.append(Term("word", COMPLETION_WORDS[irm["completion"]]))
    if irm.get("did_it_open_government") in OPENED_WORDS:
        level = Term("word", OPENED_WORDS[irm["did_it_open_government"]])
        facts.append(Reason(gettext_noop("opened government: %(level)s"), level=level))
    if irm.get("starred"):
        facts.append(Term("word", gettext_noop("starred")))
    title = " ".join(hit.title.split())  # some OGP titles contain line breaks
    year = str(hit.year or "")
    if facts:
        return Reason(
            gettext_noop("%(title)s (%(year)s; IRM: %(facts)s)"),
            title=title,
            year=year,
            facts=tuple(facts),
        )
    return Reason(gettext_noop("%(title)s (%(year)s; IRM: not assessed)"), title=title, year=year)


def _context_reasons(
    reformer: CountryProfile, peer: CountryProfile, sim: Similarity
) -> list[Reason]:
    reasons = []
    if sim.parts.get("region") == 1.0:
        reasons.append(
            Reason(gettext_noop("Same region: %(region)s"), region=Term("region", peer.region))
        )
    income = Term("income", peer.income_group, peer.income_group.lower())
    if sim.parts.get("income") == 1.0:
        reasons.append(Reason(gettext_noop("Same income group: %(income)s"), income=income))
    elif sim.parts.get("income") == 0.5:
        reasons.append(Reason(gettext_noop("Neighbouring income group: %(income)s"), income=income))
    if sim.parts.get("governance", 0) >= 0.75:
        reasons.append(Reason(gettext_noop("Similar governance indicators (World Bank WGI)")))
    if sim.parts.get("gdp", 0) >= 0.8 and sim.parts.get("income") != 1.0:
        reasons.append(Reason(gettext_noop("Similar income per person")))
    if sim.parts.get("population", 0) >= 0.85:
        reasons.append(Reason(gettext_noop("Similar population size")))
    return reasons


def outcome_strength(hit: SearchHit) -> float:
    """s_e: the documented outcome, weighed by how much the source can be trusted."""
    strength = max(0.0, min(hit.outcome_strength, 1.0))
    if hit.type == "casestudy" and hit.details.get("sample"):
        return strength * SAMPLE_WEIGHT
    if hit.type == "reform":
        return strength * RECORD_WEIGHT
    return strength


def fit(hit: SearchHit, areas: Mapping[str, float]) -> float:
    """fit_e: the weight of the best goal area the document is tagged with.

    Without areas (none could be read from the goal), the share of the goal it matches,
    squared, and nothing below TEXT_ONLY_COVERAGE.
    """
    if areas:
        return max((areas[theme] for theme in hit.themes if theme in areas), default=0.0)
    return hit.coverage**2 if hit.coverage >= TEXT_ONLY_COVERAGE else 0.0


EVIDENCE_KINDS = {
    "commitment": ("IRM-rated commitment", "IRM-rated commitments"),
    "casestudy": ("case study", "case studies"),
    "reform": ("record from a reform tracker", "records from reform trackers"),
}


def _count_reason(evidence: list[Evidence], area_names: Mapping[str, str]) -> Reason | None:
    """How much evidence the country has on the goal's main area, in words.

    For example: On Beneficial ownership: 2 IRM-rated commitments, 1 case study.
    """
    if not area_names:
        return None
    main = next(iter(area_names))
    on_main = [e for e in evidence if main in e.hit.themes]
    if len(on_main) < 2:
        return None
    counts = Counter(e.hit.type for e in on_main)
    return Reason(
        gettext_noop("On %(area)s: %(counts)s"),
        area=Term("theme", main, area_names[main]),
        counts=tuple(Count(kind, counts[kind]) for kind in EVIDENCE_KINDS if counts[kind]),
    )


def _relevance(evidence: list[Evidence], areas: Mapping[str, float]) -> float:
    """R: 1 - Π (1 - w_t) over the goal's areas the country has evidence on.

    Per area, not per document: ten commitments on a side area of the goal do not add up
    to the reform itself. Without areas, the best document's fit.
    """
    if not areas:
        return max(e.relevance for e in evidence)
    covered = {theme for e in evidence for theme in e.hit.themes if theme in areas}
    return 1.0 - math.prod(1.0 - min(areas[theme], 1.0) for theme in covered)


def match_peers(
    reformer: CountryProfile,
    hits: list[SearchHit],
    countries: dict[str, CountryProfile],
    areas: Mapping[str, float] | None = None,
    limit: int = 10,
    area_names: Mapping[str, str] | None = None,
) -> list[PeerMatch]:
    """Rank peer countries from retrieved evidence; the reformer's own country never appears.

    `areas` maps the goal's policy areas to their confidence (best first); empty or None
    when none could be read, and then the words decide (see the module docstring).
    `area_names` (slug → name) only words the reasons.
    """
    # An area read with confidence c counts c²: a side area of the goal (0.6) then weighs
    # 0.36, so evidence on it does not outrank the reform itself through context alone.
    areas = {slug: min(confidence, 1.0) ** 2 for slug, confidence in (areas or {}).items()}
    by_country: dict[str, list[Evidence]] = defaultdict(list)
    for hit in hits:
        if not hit.country or hit.country == reformer.iso3 or hit.country not in countries:
            continue
        fitness = fit(hit, areas)
        if fitness > 0:
            by_country[hit.country].append(Evidence(hit, fitness, outcome_strength(hit)))

    matches = []
    for iso3, evidence in by_country.items():
        relevance = _relevance(evidence, areas)
        top_fit = max(e.relevance for e in evidence)
        outcome = max(e.relevance * e.strength for e in evidence) / top_fit
        peer = countries[iso3]
        sim = similarity(reformer, peer)
        score = (
            100
            * relevance
            * (OUTCOME_FLOOR + (1 - OUTCOME_FLOOR) * outcome)
            * (CONTEXT_FLOOR + (1 - CONTEXT_FLOOR) * sim.total)
        )
        # Shown: the evidence on the reform's main area first, strongest first.
        shown = sorted(
            evidence,
            key=lambda e: (e.relevance, e.strength, e.hit.year or 0, e.hit.doc_id),
            reverse=True,
        )[:EVIDENCE_PER_PEER]
        reasons = [_evidence_reason(e.hit) for e in shown[:2]]
        count = _count_reason(evidence, area_names or {})
        if count:
            reasons.append(count)
        reasons += _context_reasons(reformer, peer, sim)
        matches.append(PeerMatch(peer, score, relevance, outcome, sim, reasons, shown))
    matches.sort(key=lambda m: (-m.score, m.country.name))
    return matches[:limit]

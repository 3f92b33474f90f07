"""Peer matching: rank countries for a reformer's country and reform goal.

Pure Python over what the search backend retrieved, so both backends rank
alike. For each candidate country c with retrieved evidence e (case studies
and commitments), text relevance r_e and outcome strength s_e (0..1, from
search/documents.py):

    r_e = coverage_e² · √(bm25_e / bm25_best)   (coverage: share of the query matched;
                                           bm25 without the backend's outcome boost)
    R_c = 1 - Π_e (1 - r_e)              over its 5 most relevant documents
    O_c = Σ r_e·s_e / Σ r_e              relevance-weighted outcome strength
    S_c = 0.30·same region + 0.25·income (same 1, adjacent ½) + 0.20·governance
          + 0.15·GDP per capita + 0.10·population          (closeness terms 0..1)
    score_c = 100 · R_c · (0.4 + 0.6·O_c) · (0.35 + 0.65·S_c)

Relevance gates everything (a similar country without the reform is no peer,
nor is one whose retrieved documents have no relevance at all); outcome and
context reorder peers with comparable evidence. A coverage threshold on
evidence (dropping documents that match under ½ or ⅖ of the goal) was tried
and lowered precision@5 on search/data/evaluation_cases.yaml (0.579 without,
0.557 at ⅖, 0.529 at ½): partial matches carry real signal for goals of
several words. The weights and their evaluation are in docs/matching.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from search.backends.base import SearchHit

INCOME_ORDER = ["Low income", "Lower middle income", "Upper middle income", "High income"]
WEIGHTS = {"region": 0.30, "income": 0.25, "governance": 0.20, "gdp": 0.15, "population": 0.10}
EVIDENCE_PER_PEER = 5
SHOWN_COVERAGE = 0.5  # evidence shown to the reformer answers at least half the question
OUTCOME_FLOOR, CONTEXT_FLOOR = 0.4, 0.35

COMPLETION_WORDS = {
    "complete": "complete",
    "substantial": "substantially complete",
    "limited": "limited completion",
    "not_started": "not started",
    "withdrawn": "withdrawn",
}
OPENED_WORDS = {"outstanding": "outstanding", "major": "major", "marginal": "marginal"}
STATUS_WORDS = {
    "implemented": "implemented",
    "in-progress": "in progress",
    "planned": "planned",
    "stalled": "stalled",
}


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
    relevance: float

    def as_json(self) -> dict:
        hit = self.hit
        data = {
            "title": hit.title,
            "url": hit.url,
            "type": hit.type,
            "year": hit.year,
            "themes": list(hit.themes),
            "irm": hit.details.get("irm", {}),
        }
        if hit.type == "casestudy":
            data["status"] = hit.details.get("status")
        return data


@dataclass(frozen=True)
class Similarity:
    total: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PeerMatch:
    country: CountryProfile
    score: float
    relevance: float
    outcome: float
    similarity: Similarity
    reasons: list[str]
    evidence: list[Evidence]

    def as_json(self) -> dict:
        return {
            "country": self.country.as_json(),
            "score": round(self.score, 1),
            "components": {
                "relevance": round(self.relevance, 3),
                "outcome": round(self.outcome, 3),
                "similarity": round(self.similarity.total, 3),
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


def _evidence_reason(hit: SearchHit) -> str:
    if hit.type == "casestudy":
        status = STATUS_WORDS.get(hit.details.get("status"), "")
        period = hit.details.get("period") or hit.year
        return f"Case study: {hit.title} ({status}, {period})"
    irm = hit.details.get("irm", {})
    facts = []
    if irm.get("completion") in COMPLETION_WORDS:
        facts.append(COMPLETION_WORDS[irm["completion"]])
    if irm.get("did_it_open_government") in OPENED_WORDS:
        facts.append(f"opened government: {OPENED_WORDS[irm['did_it_open_government']]}")
    if irm.get("starred"):
        facts.append("starred")
    rating = "IRM: " + ", ".join(facts) if facts else "IRM: not assessed"
    title = " ".join(hit.title.split())  # some OGP titles contain line breaks
    return f"{title} ({hit.year}; {rating})"


def _context_reasons(reformer: CountryProfile, peer: CountryProfile, sim: Similarity) -> list[str]:
    reasons = []
    if sim.parts.get("region") == 1.0:
        reasons.append(f"Same region: {peer.region}")
    if sim.parts.get("income") == 1.0:
        reasons.append(f"Same income group: {peer.income_group.lower()}")
    elif sim.parts.get("income") == 0.5:
        reasons.append(f"Neighbouring income group: {peer.income_group.lower()}")
    if sim.parts.get("governance", 0) >= 0.75:
        reasons.append("Similar governance indicators (World Bank WGI)")
    if sim.parts.get("gdp", 0) >= 0.8 and sim.parts.get("income") != 1.0:
        reasons.append("Similar income per person")
    if sim.parts.get("population", 0) >= 0.85:
        reasons.append("Similar population size")
    return reasons


def match_peers(
    reformer: CountryProfile,
    hits: list[SearchHit],
    countries: dict[str, CountryProfile],
    limit: int = 10,
) -> list[PeerMatch]:
    """Rank peer countries from retrieved evidence; the reformer's own country never appears."""
    by_country: dict[str, list[SearchHit]] = defaultdict(list)
    for hit in hits:
        if hit.country and hit.country != reformer.iso3 and hit.country in countries:
            by_country[hit.country].append(hit)
    if not by_country:
        return []

    def text_relevance(hit: SearchHit) -> float:
        # Backends multiply relevance by (1 + 0.5·outcome); undo it so outcome counts once.
        return max(hit.score, 0.0) / (1 + 0.5 * hit.outcome_strength)

    best = max(
        (text_relevance(hit) for country_hits in by_country.values() for hit in country_hits),
        default=0.0,
    )

    def normalised(hit: SearchHit) -> float:
        # Coverage squared: a document matching half of what the reformer asked for is
        # weak evidence. Square root of bm25: gaps between two on-topic documents (a long
        # title against a short one) say little about how relevant the reform is.
        closeness = math.sqrt(text_relevance(hit) / best) if best else 1.0
        return hit.coverage**2 * closeness

    matches = []
    for iso3, country_hits in by_country.items():
        scored = sorted(
            (Evidence(hit, normalised(hit)) for hit in country_hits),
            key=lambda e: (e.relevance, e.hit.outcome_strength),
            reverse=True,
        )[:EVIDENCE_PER_PEER]
        if not scored[0].relevance:
            continue  # retrieved, yet nothing relevant: no evidence, so no peer
        relevance = 1.0 - math.prod(1.0 - min(e.relevance, 1.0) for e in scored)
        weight = sum(e.relevance for e in scored) or 1.0
        outcome = sum(e.relevance * e.hit.outcome_strength for e in scored) / weight
        peer = countries[iso3]
        sim = similarity(reformer, peer)
        score = (
            100
            * relevance
            * (OUTCOME_FLOOR + (1 - OUTCOME_FLOOR) * outcome)
            * (CONTEXT_FLOOR + (1 - CONTEXT_FLOOR) * sim.total)
        )
        # Show what answers most of the question: a document matching only a side word
        # ("public") still adds a little to the score but is not presented as evidence.
        shown = [e for e in scored if e.hit.coverage >= SHOWN_COVERAGE] or scored
        strongest = sorted(
            shown, key=lambda e: e.relevance * (0.5 + e.hit.outcome_strength), reverse=True
        )
        reasons = [_evidence_reason(e.hit) for e in strongest[:2]]
        answering = sum(1 for hit in country_hits if hit.coverage >= SHOWN_COVERAGE)
        if answering > 2:
            reasons.append(f"{answering} relevant case studies and commitments in total")
        reasons += _context_reasons(reformer, peer, sim)
        matches.append(PeerMatch(peer, score, relevance, outcome, sim, reasons, shown))
    matches.sort(key=lambda m: (-m.score, m.country.name))
    return matches[:limit]

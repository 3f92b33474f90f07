"""How well peer matching does on cases built from the public data.

Each case (search/data/evaluation_cases.yaml) is a reformer's country, a goal typed
as a reformer would type it, and the peers we expect: countries that really have
the reform, by a rule over the OGP commitments and the sample case studies (see
`expected_peers` and the header of the YAML). For each case we report:

- precision@5: the share of the top five peers that are expected peers;
- context share: the share of the top five peers in the reformer's World Bank
  region or income group (how often peers share the reformer's context).

Everything here is pure Python over plain values, so it can be tested without a
database; `manage.py evaluate_matching` runs the cases through the real matcher.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from search.matching import CountryProfile

K = 5
CASES_PATH = Path(__file__).resolve().parent / "data" / "evaluation_cases.yaml"
ISO3 = re.compile(r"^[A-Z]{3}$")
# What an IRM completion rating must be for a commitment to count as a real reform.
DONE = frozenset({"substantial", "complete"})


@dataclass(frozen=True)
class EvaluationCase:
    id: str
    country: str  # the reformer, ISO3
    goal: str  # free text, as the reformer would type it
    themes: tuple[str, ...]  # the OGP policy areas the expected peers come from
    expected: frozenset[str]  # ISO3 codes
    note: str = ""


@dataclass(frozen=True)
class CaseResult:
    case: EvaluationCase
    peers: tuple[str, ...]  # ranked ISO3 codes, best first (all the matcher returned)
    precision: float
    attainable: float  # the best precision@k possible with this many expected peers
    context_share: float | None  # None when the matcher returned no peer
    hits: tuple[str, ...] = ()  # the expected peers among the top k


@dataclass(frozen=True)
class Summary:
    cases: int
    precision: float  # mean precision@k
    attainable: float  # mean of the best possible precision@k
    context_share: float  # mean over cases with at least one peer
    expected_context_share: float  # the same share among expected peers (a reference)
    without_peers: int
    per_case: list[CaseResult] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "cases": self.cases,
            "k": K,
            "precision_at_k": round(self.precision, 3),
            "attainable_precision_at_k": round(self.attainable, 3),
            "context_share": round(self.context_share, 3),
            "expected_context_share": round(self.expected_context_share, 3),
            "cases_without_peers": self.without_peers,
        }


def precision_at_k(ranked: Sequence[str], expected: Collection[str], k: int = K) -> float:
    """Expected peers among the first k, divided by k (fewer than k peers count as misses)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    return sum(1 for iso3 in ranked[:k] if iso3 in expected) / k


def attainable_precision(expected: Collection[str], k: int = K) -> float:
    """The best precision@k a perfect ranking reaches: below 1 with fewer than k expected."""
    return min(len(expected), k) / k


def shares_context(reformer: CountryProfile, peer: CountryProfile) -> bool:
    """Same World Bank region or same income group (a blank value matches nothing)."""
    same_region = bool(reformer.region) and reformer.region == peer.region
    same_income = bool(reformer.income_group) and reformer.income_group == peer.income_group
    return same_region or same_income


def context_share(
    reformer: CountryProfile, peers: Sequence[CountryProfile], k: int = K
) -> float | None:
    """Share of the top k peers that share the reformer's context; None without peers."""
    top = list(peers[:k])
    if not top:
        return None
    return sum(shares_context(reformer, peer) for peer in top) / len(top)


def expected_peers(
    reformer: str,
    themes: Collection[str],
    commitments: Iterable[tuple[str, Collection[str], str | None]],
    case_studies: Iterable[tuple[str, Collection[str]]],
) -> frozenset[str]:
    """The rule behind every case's expected peers.

    A country other than the reformer is expected when it has, tagged with one of
    `themes`, an OGP commitment whose latest IRM completion is substantial or
    complete, or a sample case study. `commitments` are (ISO3, theme slugs,
    completion) and `case_studies` (ISO3, theme slugs).
    """
    themes = set(themes)
    found = {
        iso3
        for iso3, tags, completion in commitments
        if completion in DONE and themes.intersection(tags)
    }
    found |= {iso3 for iso3, tags in case_studies if themes.intersection(tags)}
    found.discard(reformer)
    return frozenset(found)


def evaluate_case(
    case: EvaluationCase,
    reformer: CountryProfile,
    peers: Sequence[CountryProfile],
    k: int = K,
) -> CaseResult:
    ranked = tuple(peer.iso3 for peer in peers)
    return CaseResult(
        case=case,
        peers=ranked,
        precision=precision_at_k(ranked, case.expected, k),
        attainable=attainable_precision(case.expected, k),
        context_share=context_share(reformer, peers, k),
        hits=tuple(iso3 for iso3 in ranked[:k] if iso3 in case.expected),
    )


def summarise(
    results: Sequence[CaseResult],
    profiles: dict[str, CountryProfile] | None = None,
) -> Summary:
    """Means over the cases; `profiles` (ISO3 → profile) gives the expected-peer reference."""
    if not results:
        raise ValueError("no cases to summarise")
    shares = [r.context_share for r in results if r.context_share is not None]
    reference = []
    for result in results:
        reformer = (profiles or {}).get(result.case.country)
        expected = [profiles[c] for c in result.case.expected if c in (profiles or {})]
        if reformer and expected:
            reference.append(sum(shares_context(reformer, p) for p in expected) / len(expected))
    return Summary(
        cases=len(results),
        precision=sum(r.precision for r in results) / len(results),
        attainable=sum(r.attainable for r in results) / len(results),
        context_share=sum(shares) / len(shares) if shares else 0.0,
        expected_context_share=sum(reference) / len(reference) if reference else 0.0,
        without_peers=len(results) - len(shares),
        per_case=list(results),
    )


def parse_cases(data: dict) -> list[EvaluationCase]:
    """Validate the YAML's content; a ValueError names the first bad case."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ValueError("expected a mapping with a 'cases' list")
    cases, seen = [], set()
    for number, item in enumerate(data["cases"], start=1):
        label = f"case {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{label}: expected a mapping")
        case_id = str(item.get("id") or "").strip()
        label = f"case {number} ({case_id or 'no id'})"
        country = str(item.get("country") or "").strip().upper()
        goal = " ".join(str(item.get("goal") or "").split())
        themes = tuple(item.get("themes") or ())
        expected = frozenset(str(code).strip().upper() for code in item.get("expected") or ())
        if not case_id or case_id in seen:
            raise ValueError(f"{label}: a unique 'id' is required")
        if not ISO3.match(country):
            raise ValueError(f"{label}: 'country' must be an ISO3 code")
        if not goal:
            raise ValueError(f"{label}: 'goal' is required")
        if not themes:
            raise ValueError(f"{label}: 'themes' is required (where the expected peers come from)")
        if not expected or not all(ISO3.match(code) for code in expected):
            raise ValueError(f"{label}: 'expected' must be a non-empty list of ISO3 codes")
        if country in expected:
            raise ValueError(f"{label}: the reformer cannot be its own peer")
        seen.add(case_id)
        cases.append(
            EvaluationCase(case_id, country, goal, themes, expected, str(item.get("note") or ""))
        )
    return cases


def load_cases(path: Path | str = CASES_PATH) -> list[EvaluationCase]:
    with open(path, encoding="utf-8") as handle:
        return parse_cases(yaml.safe_load(handle))

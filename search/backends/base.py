"""The search contract: one interface, two backends (embedded database, Elasticsearch).

Views, the API, peer matching and the index sync only speak this language;
`search.backends.get_search_backend()` picks the implementation from settings,
the way Django picks a cache.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from search.thesaurus import language_of, normalise

# Document types, in the order facets list them.
DOCUMENT_TYPES = {
    "casestudy": "Case study",
    "commitment": "Commitment",
    "course": "Course",
    "fellowship": "Fellowship",
    "reform": "Reform record",
}

# IRM outcome filters a reformer can ask for; each is a boolean field of the document.
OUTCOMES = {
    "starred": "Starred by the IRM",
    "complete": "Completed",
    "opened_government": "Opened government: major or outstanding",
    "implemented": "Implemented (case study)",
}

FACETS = ["type", "theme", "country", "region", "income_group", "outcome"]

MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 200
BROWSE_ORDERS = ("newest", "strongest")

# The ranking contract (see `SearchQuery`), which both backends implement from these values.
GROUP_WEIGHT, WORD_WEIGHT = 2, 1  # coverage weight of a synonym group, of a plain word
# Text relevance weighs a match in the title 3x one in the body, the summary 2x.
FIELD_WEIGHTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
# Relevance is multiplied by (1 + OUTCOME_BOOST x outcome_strength).
OUTCOME_BOOST = 0.5
# A match of a group's phrase in a language the reformer did not write in (nor English)
# counts this much of one in theirs: it still makes a document a result, but an English
# query does not put Spanish-titled commitments first because their title happens to be
# a Spanish phrase of the group (see `SearchQuery.phrase_weight`).
OTHER_LANGUAGE_WEIGHT = 0.2
# A group's phrase of one word this short is an abbreviation ("BO", "FOI", "RTI"): it
# matches only as that word, in the forms of `abbreviation_forms`, never stemmed (the
# stemmers of both backends make "BOS", Belgrade Open School's acronym, the word "bo").
ABBREVIATION_LENGTH = 3


def is_abbreviation(phrase: str) -> bool:
    tokens = normalise(phrase).split()
    return len(tokens) == 1 and len(tokens[0]) <= ABBREVIATION_LENGTH


def abbreviation_forms(phrase: str) -> tuple[str, ...]:
    """The words an abbreviation matches, case-sensitive: "bo" gives BO, Bo, bo, each also
    with a lower-case plural ending (BOs, bos, boes...), so "BOs" and "taxes" match "bo"
    and "tax" but "BOS" does not."""
    word = normalise(phrase)
    return tuple(
        dict.fromkeys(
            base + ending
            for base in (word.upper(), word.capitalize(), word)
            for ending in ("", "s", "es")
        )
    )


# The longest word an abbreviation form can be: the abbreviation and a plural ending.
EXACT_WORD_LENGTH = ABBREVIATION_LENGTH + 2
_WORD = re.compile(r"\w+", re.UNICODE)


def exact_token(word: str) -> str:
    """A word as written, as one case-free token full-text indexes keep apart by case.

    Full-text indexes lower-case every token, so the case goes into the token: the word
    without diacritics, lower-cased, then one digit per character (1 a capital, 0 not): "BOs"
    is "bos110", "BOS" "bos111". The digits are as many as the characters, so no two
    words share a token.
    """
    decomposed = unicodedata.normalize("NFKD", word)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return folded.lower() + "".join("1" if char.isupper() else "0" for char in folded)


def abbreviation_tokens(phrase: str) -> tuple[str, ...]:
    """`abbreviation_forms` as `exact_token`s: what a text must hold to match the phrase."""
    return tuple(dict.fromkeys(exact_token(form) for form in abbreviation_forms(phrase)))


def exact_words(*texts: str) -> str:
    """The words of the texts an abbreviation could match, as `exact_token`s.

    Stored beside each document by the embedded backend, so that checking an
    abbreviation is an index lookup, not a regular expression over every text that has
    the stemmed word ("tax" is in a quarter of them).
    """
    words = (
        word
        for text in texts
        for word in _WORD.findall(text or "")
        if len(word) <= EXACT_WORD_LENGTH
    )
    return " ".join(dict.fromkeys(exact_token(word) for word in words))


class BackendUnavailable(Exception):
    """The search server cannot be reached; callers fall back or show a notice."""


@dataclass(frozen=True)
class IndexDocument:
    """What both backends index for one searchable object (see search/documents.py)."""

    doc_id: str
    type: str
    title: str
    url: str
    body: str = ""
    summary: str = ""
    country: str = ""  # ISO3
    country_name: str = ""
    region: str = ""
    income_group: str = ""
    themes: tuple[str, ...] = ()  # slugs
    year: int | None = None
    starred: bool = False
    complete: bool = False
    opened_government: bool = False
    implemented: bool = False
    # 0..1: how strong the documented outcome is, for ranking and peer matching.
    outcome_strength: float = 0.0
    # Display-only details (IRM ratings, status) carried back in hits.
    details: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def outcomes(self) -> list[str]:
        return [name for name in OUTCOMES if getattr(self, name)]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    income_groups: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 20
    # The text, parsed once by the service (search/service.py, with search/thesaurus.py)
    # so every backend expands alike: plain words, and synonym groups (alternative
    # phrases, any of which may match). Backends search `words` and `groups` only; `text`
    # is what the reformer typed, for display: a query with text but no words and no
    # groups browses (the service never sends one, see `service.parsed`).
    # Ranking contract: documents are ordered by coverage first — the weight of the query
    # parts they match (GROUP_WEIGHT for a synonym group, WORD_WEIGHT for a plain word) —
    # then by text relevance (FIELD_WEIGHTS) multiplied by (1 + OUTCOME_BOOST x
    # outcome_strength). Documents matching no part are not results. No words and no
    # groups: browse, newest first.
    words: tuple[str, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    facets: bool = True
    highlight: bool = True
    # Browsing (no words, no groups) order: "newest" first, or "strongest" documented outcome
    # first (peer matching browses the evidence of a policy area this way). Text queries
    # always rank by coverage and relevance.
    browse_order: str = "newest"
    # The languages the reformer wrote in (thesaurus.ParsedQuery.languages); empty: every
    # phrase of a group counts the same for relevance.
    languages: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def weighted_parts(self) -> list[tuple[str, tuple[str, ...], int]]:
        """("word"|"group", phrases, weight) for each part; backends build one clause each."""
        parts = [("word", (word,), WORD_WEIGHT) for word in self.words]
        parts += [("group", group, GROUP_WEIGHT) for group in self.groups]
        return parts

    def phrase_weight(self, phrase: str) -> float:
        """How much a match of this phrase of a group counts for text relevance.

        1 in the reformer's languages, in English and in no telling language ("FOI",
        "cabildeo"); OTHER_LANGUAGE_WEIGHT otherwise. Coverage does not depend on it.
        """
        if not self.languages:
            return 1.0
        language = language_of(phrase)
        if not language or language == "en" or language in self.languages:
            return 1.0
        return OTHER_LANGUAGE_WEIGHT

    @property
    def total_weight(self) -> int:
        return sum(weight for _, _, weight in self.weighted_parts)


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    type: str
    title: str
    url: str
    score: float
    snippet: str = ""  # HTML: escaped text with <mark> around matches
    coverage: float = 1.0  # share of the query's weighted parts this document matches
    country: str = ""
    country_name: str = ""
    region: str = ""
    income_group: str = ""
    themes: tuple[str, ...] = ()
    year: int | None = None
    outcome_strength: float = 0.0
    outcomes: tuple[str, ...] = ()
    details: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    label: str = ""


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    backend: str = ""
    notice: str = ""  # e.g. "Search server unavailable; showing embedded results"


class SearchBackend(ABC):
    """One search index. `get_search_backend()` may also return a composite of two
    (Elasticsearch with the embedded index as its fallback) that keeps this contract."""

    name = "base"

    @abstractmethod
    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace documents; returns how many were written."""

    @abstractmethod
    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove documents; unknown ids are ignored."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults: ...

    @abstractmethod
    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace the whole index with `documents` without taking search down."""

    @abstractmethod
    def ping(self) -> bool:
        """Whether the backend can answer right now."""

    @abstractmethod
    def count(self) -> int: ...

    # Writes the backend could not apply at once. A single index applies every write
    # before returning, so it never has any; the fallback composite queues what its
    # search server missed and replays it here (search/backends/__init__.py).

    def catch_up_due(self) -> bool:
        """Whether `catch_up` has work worth trying now; cheap enough to ask per request."""
        return False

    def catch_up(self, limit: int | None = None, force: bool = False) -> int:
        """Apply up to `limit` (None: all) queued writes; returns how many were applied.

        `force` tries even a server known to be down (an operator asked for it).
        """
        return 0

    def describe(self) -> dict[str, object]:
        """What `search_index status` shows: document counts and anything to act on."""
        return {f"{self.name} index": self.count()}

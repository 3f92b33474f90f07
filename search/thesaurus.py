"""Query-time expansion with the theme thesaurus.

Each theme's name and synonyms form one group of equivalent phrases ("FOI",
"freedom of information", "right to information"...). A query naming any
phrase of a group matches documents that use any other phrase of it (a
two-letter abbreviation only when the query used it: see AMBIGUOUS_LENGTH).

Expansion happens here, in the search service, rather than in an
Elasticsearch synonym filter: the same code then serves both backends, tests
can see it, and the in-memory test server ignores synonym filters anyway.

Reformers type sentences ("make public who really owns companies"), so a
phrase is found when all its content words occur in the query, in any order
and with other words between; function words and request words ("make",
"really", "want") are dropped before searching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache

CACHE_KEY = "search:thesaurus:v2"
# A two-letter abbreviation ("bo", "ai") is searched for only when the reformer typed
# it: as an expansion of "beneficial ownership" it found "Belgrade Open School (BOS)",
# since stemming turns "BOS" into "bo" in both backends.
AMBIGUOUS_LENGTH = 2
CACHE_SECONDS = 300
WORD = re.compile(r"[\w+]+(?:['’-][\w+]+)*", re.UNICODE)

# Function words and request words; kept as text because a word list reads best as prose.
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been being but by can could did do
    does doing for from get got had has have having help how i if in into is it its just
    let like make makes making me more most my need needs of on or our out really so some
    such than that the their them then there these they this those to too us very want
    wants was way ways we were what when where which who whom why will with would you your
    country countries""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class ParsedQuery:
    """The reformer's words, split into synonym groups and remaining plain words."""

    words: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    themes: tuple[str, ...]  # slugs of the themes the query named

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.groups


def normalise(text: str) -> str:
    return " ".join(match.group(0).lower() for match in WORD.finditer(text or ""))


def stem(word: str) -> str:
    """A light English stemmer, enough to match 'owners' with 'owner' in the thesaurus."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word


def content_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in phrase.split() if word not in STOPWORDS)


@dataclass(frozen=True)
class Thesaurus:
    # (content stems of a phrase, theme slug, all phrases of the theme), longest first.
    entries: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]


def _load() -> Thesaurus:
    from casestudies.models import Theme

    entries, seen = [], set()
    for theme in Theme.objects.only("slug", "name", "synonyms").order_by("pk"):
        phrases = tuple(dict.fromkeys(normalise(p) for p in [theme.name, *theme.synonym_list]))
        phrases = tuple(p for p in phrases if p)
        for phrase in phrases:
            stems = content_stems(phrase)
            # A phrase claimed by two themes keeps the first one loaded.
            if stems and stems not in seen:
                seen.add(stems)
                entries.append((stems, theme.slug, phrases))
    entries.sort(key=lambda entry: -len(entry[0]))
    return Thesaurus(tuple(entries))


def thesaurus() -> Thesaurus:
    table = cache.get(CACHE_KEY)
    if table is None:
        table = _load()
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def invalidate(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def parse(text: str) -> ParsedQuery:
    words = [word for word in normalise(text).split() if word not in STOPWORDS]
    stems = [stem(word) for word in words]
    unused = set(range(len(words)))
    # slug -> (all phrases of the theme, stems of the phrases the query used)
    matched: dict[str, tuple[tuple[str, ...], set[tuple[str, ...]]]] = {}
    for phrase_stems, slug, phrases in thesaurus().entries:
        positions = []
        for target in phrase_stems:
            position = next(
                (i for i in sorted(unused) if stems[i] == target and i not in positions), None
            )
            if position is None:
                break
            positions.append(position)
        else:
            unused.difference_update(positions)
            matched.setdefault(slug, (phrases, set()))[1].add(phrase_stems)
    groups = tuple(
        tuple(
            phrase
            for phrase in phrases
            if len(phrase) > AMBIGUOUS_LENGTH or content_stems(phrase) in used
        )
        for phrases, used in matched.values()
    )
    plain = tuple(dict.fromkeys(words[i] for i in sorted(unused)))
    return ParsedQuery(plain, groups, tuple(matched))

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

Reformers also type in French and Spanish, with or without accents: phrases
are matched on folded words (`fold`: "información" = "informacion", French
elided articles dropped: "l'accès" = "accès"), and French, Spanish and
Portuguese function words are dropped as English ones are. The groups keep
each phrase as written, accents included (every backend folds accents itself),
and `language_of` tells the backends which phrases are in the reformer's
language (see `SearchQuery.phrase_weight`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from casestudies.models import Theme
from search.process_copy import ProcessCopy

CACHE_KEY = "search:thesaurus:v3"  # the version of the themes (see `thesaurus`)
# A two-letter abbreviation ("bo", "ai") is searched for only when the reformer typed
# it: as an expansion of "beneficial ownership" it found "Belgrade Open School (BOS)",
# since stemming turns "BOS" into "bo" in both backends.
AMBIGUOUS_LENGTH = 2
CACHE_SECONDS = 300
WORD = re.compile(r"[\w+]+(?:['’-][\w+]+)*", re.UNICODE)

# Function words and request words; kept as text because a word list reads best as prose.
# All word lists are compared with folded words (`fold`), so they are written without accents.
ENGLISH_STOPWORDS = frozenset(
    """a about after all also an and any are as at be been being but by can could did do
    does doing for from get got had has have having help how i if in into is it its just
    let like make makes making me more most my need needs of on or our out really so some
    such than that the their them then there these they this those to too us very want
    wants was way ways we were what when where which who whom why will with would you your
    country countries""".split()  # noqa: SIM905
)
SPANISH_STOPWORDS = frozenset(
    """a al algo algun alguna algunas alguno algunos ante como con contra cual cuales
    cuando de del desde donde e el ella ellas ellos en era es esa esas ese eso esos esta
    estan estar estas este esto estos fue fueron ha han hasta hay haber la las le les lo los
    mas me mi mis muy ni no nos nosotros nuestra nuestras nuestro nuestros o os para pero
    poco por porque que quien quienes se sea sean ser si sin sobre son su sus tambien tan
    tanto todas todo todos un una unas uno unos y ya aquel aquella aquellos aquellas tal
    tales asi entonces aqui mismo misma mismos mismas cuyo cuya mientras
    puede pueden pueda puedan podemos podria podrian debe deben deba deban deberia
    deberian tiene tienen tenga tengan tener hacer hace hagan
    queremos quiero necesitamos necesita deseamos buscamos lograr pais paises""".split()  # noqa: SIM905
)
FRENCH_STOPWORDS = frozenset(
    """a au aux avec ce ces cet cette comme contre dans de des du elle elles en est et etre
    il ils je la le les leur leurs lui mais me meme mes moi mon ne ni nos notre nous on ont
    ou par pas plus pour qu que qui sa sans se ses si soit son sont sur ta tes toi ton tous
    tout toute toutes tu un une vos votre vous avoir peut peuvent puisse puissent doit
    doivent devrait devraient faire voulons veux voudrions faut rendre pays ceux celle
    celles celui dont quel quelle quels quelles aussi tres trop ainsi alors donc quelque
    quelques certains certaines aucun aucune tel telle tels telles lorsque quand ici""".split()  # noqa: SIM905
)
PORTUGUESE_STOPWORDS = frozenset(
    "ao aos as da das do dos em na nas pela pelo sua suas um uma".split()  # noqa: SIM905
)
# French, Spanish and Portuguese (the commitments' other language) function words: the
# words of ENGLISH_STOPWORDS in those languages (articles, pronouns, prepositions, forms of
# the auxiliary and modal verbs: "es", "puede", "est", "peut"; not "poder" or "pouvoir",
# which are also nouns: "poder judicial") and the request words of goals in French and
# Spanish ("queremos", "notre pays").
FOREIGN_STOPWORDS = SPANISH_STOPWORDS | FRENCH_STOPWORDS | PORTUGUESE_STOPWORDS
# Foreign function words that are also English words: a search keeps them, so English
# search is unchanged; the goal reader (search/understanding.py) drops them.
ENGLISH_SPELLINGS = frozenset("era hay lo no plus sea sin son tan ton un".split())  # noqa: SIM905
STOPWORDS = ENGLISH_STOPWORDS | (FOREIGN_STOPWORDS - ENGLISH_SPELLINGS)
GOAL_STOPWORDS = ENGLISH_STOPWORDS | FOREIGN_STOPWORDS
# French elided articles and pronouns ("l'accès", "d'information", "qu'il").
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=\w)")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'"})


# Words and letters that give a phrase's language away, for ranking (see `language_of`).
# Function words are compared folded, only those of one language count; letters as typed.
ENGLISH_ONLY = ENGLISH_STOPWORDS - FOREIGN_STOPWORDS
SPANISH_ONLY = SPANISH_STOPWORDS - FRENCH_STOPWORDS - ENGLISH_STOPWORDS
FRENCH_ONLY = FRENCH_STOPWORDS - SPANISH_STOPWORDS - ENGLISH_STOPWORDS
SPANISH_LETTERS, FRENCH_LETTERS = frozenset("áíóúñ"), frozenset("àâçèêëîïôûœé")
SPANISH_ENDINGS = ("cion", "ciones", "cia", "cias", "dad", "dades", "ico", "icos", "ica", "icas")
FRENCH_ENDINGS = ("ique", "iques")


@dataclass(frozen=True)
class ParsedQuery:
    """The reformer's words, split into synonym groups and remaining plain words."""

    words: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    themes: tuple[str, ...]  # slugs of the themes the query named
    # The languages the reformer wrote in ("en", "es", "fr"), as far as the words and the
    # phrases they named tell: a group's phrases in them (and in English, the language
    # of most of the content) rank first. None known: English.
    languages: tuple[str, ...] = ("en",)

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.groups


def normalise(text: str) -> str:
    return " ".join(match.group(0).lower() for match in WORD.finditer(text or ""))


def fold(text: str) -> str:
    """Lower-case text without diacritics, the form every phrase and goal is matched in.

    "Información" and "informacion", "bénéficiaires" and "beneficiaires" are the same
    word to a reformer typing on any keyboard.
    """
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text as typed (lower case), without French elided articles."""
    return [ELISION.sub("", word) for word in normalise(text).split()]


def stem(word: str) -> str:
    """A light stemmer for folded English, French and Spanish words.

    Enough to match "owners" with "owner", "contrataciones" with "contratación" and
    "publiques" with "publique": plural endings, then a final "e", which French and
    Spanish plurals keep ("entreprises", "fuentes") and English ones often drop
    ("services" gives "servic" by the "es" rule).
    """
    for suffix, replacement in (
        ("ies", "y"),
        ("eaux", "eau"),
        ("aux", "al"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)] + replacement
            break
    while len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=4096)
def language_of(text: str) -> str:
    """ "en", "es" or "fr" for a phrase or a query, or "" when nothing tells.

    A guess from the words and letters only one of the three languages uses ("los",
    "des", "of"; "ñ", "è"; "-ción", "-ique") and French elisions ("l'accès"): enough to
    rank the thesaurus's phrases in the reformer's language first (see
    `SearchQuery.phrase_weight`); a phrase it cannot place ("FOI", "cabildeo") counts as
    being in every language. "é" is French unless something else says Spanish.
    """
    typed = normalise(text).split()
    folded = folded_words(text)
    letters = set("".join(typed))
    long_words = [word for word in folded if len(word) > 4]
    votes = {
        "en": sum(word in ENGLISH_ONLY for word in folded),
        "es": sum(word in SPANISH_ONLY for word in folded)
        + len(letters & SPANISH_LETTERS)
        + sum(word.endswith(SPANISH_ENDINGS) for word in long_words),
        "fr": sum(word in FRENCH_ONLY for word in folded)
        + len(letters & FRENCH_LETTERS - {"é"})
        + sum(bool(ELISION.match(word)) for word in typed)
        + sum(word.endswith(FRENCH_ENDINGS) for word in long_words),
    }
    if "é" in letters and not votes["es"]:
        votes["fr"] += 1
    best = max(votes, key=votes.get)
    return best if votes[best] else ""


def folded_words(text: str) -> list[str]:
    """The words of a text in the form they are matched in (`fold`, no elided articles)."""
    return [fold(word) for word in words(text)]


def content_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in folded_words(phrase) if word not in STOPWORDS)


@dataclass(frozen=True)
class Thesaurus:
    # (content stems of a phrase, theme slug, all phrases of the theme), longest first.
    entries: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]
    # stem -> the positions in `entries` of the phrases that have it: a query's few stems
    # name the handful of entries worth testing, of about 1,800.
    entries_with: dict[str, tuple[int, ...]]
    # Every phrase of every theme -> its content stems (`content_stems`).
    stems_of: dict[str, tuple[str, ...]]

    def candidates(self, stems: set[str]):
        """The entries whose phrase has one of these stems, in `entries`' order."""
        positions = sorted({i for stem in stems for i in self.entries_with.get(stem, ())})
        return (self.entries[i] for i in positions)


def _load() -> Thesaurus:
    entries, seen, stems_of = [], set(), {}
    for theme in Theme.objects.only("slug", "name", "synonyms").order_by("pk"):
        phrases = tuple(dict.fromkeys(normalise(p) for p in [theme.name, *theme.synonym_list]))
        phrases = tuple(p for p in phrases if p)
        for phrase in phrases:
            if phrase not in stems_of:  # a phrase two themes share is stemmed once
                stems_of[phrase] = content_stems(phrase)
            stems = stems_of[phrase]
            # A phrase claimed by two themes keeps the first one loaded.
            if stems and stems not in seen:
                seen.add(stems)
                entries.append((stems, theme.slug, phrases))
    entries.sort(key=lambda entry: -len(entry[0]))
    entries_with: dict[str, list[int]] = {}
    for position, (stems, _, _) in enumerate(entries):
        for stem_ in dict.fromkeys(stems):
            entries_with.setdefault(stem_, []).append(position)
    return Thesaurus(
        tuple(entries),
        {stem_: tuple(positions) for stem_, positions in entries_with.items()},
        stems_of,
    )


# The trilingual table (about 1,800 phrases) is kept per process; a change to the themes
# in any process retires it (search/process_copy.py). The token also expires after
# CACHE_SECONDS, so a change that sent no signal is still seen within that time.
_table = ProcessCopy(CACHE_KEY, _load, CACHE_SECONDS)


def thesaurus() -> Thesaurus:
    """This process's table, rebuilt when the themes changed in any process."""
    return _table.get()


def invalidate(**kwargs) -> None:
    _table.invalidate()


def parse(text: str) -> ParsedQuery:
    typed = [(word, fold(word)) for word in words(text)]
    kept = [(word, folded) for word, folded in typed if folded not in STOPWORDS]
    # Searched as typed (the backends that do not fold accents need them), matched folded.
    plain_words = [word for word, _ in kept]
    stems = [stem(folded) for _, folded in kept]
    unused = set(range(len(kept)))
    # slug -> (all phrases of the theme, stems of the phrases the query used)
    matched: dict[str, tuple[tuple[str, ...], set[tuple[str, ...]]]] = {}
    present = set(stems)
    table = thesaurus()
    for phrase_stems, slug, phrases in table.candidates(present):
        if not present.issuperset(phrase_stems):
            continue  # a set test is cheaper than looking for each word
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
            if len(phrase) > AMBIGUOUS_LENGTH or table.stems_of[phrase] in used
        )
        for phrases, used in matched.values()
    )
    plain = tuple(dict.fromkeys(plain_words[i] for i in sorted(unused)))
    # Read only when the text itself says no language.
    named = (
        phrase
        for phrases, used in matched.values()
        for phrase in phrases
        if table.stems_of[phrase] in used
    )
    return ParsedQuery(plain, groups, tuple(matched), query_languages(text, named))


def query_languages(text: str, named: Iterable[str]) -> tuple[str, ...]:
    """The languages of the text, or else of the thesaurus phrases it named."""
    languages = {language_of(text)}
    if not languages - {""}:
        languages |= {language_of(phrase) for phrase in named}
    return tuple(sorted(languages - {""})) or ("en",)

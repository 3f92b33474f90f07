"""Read a reformer's goal as OGP policy areas ("we read your goal as …").

Reformers describe a reform in their own words ("officials should declare what
they own"); the evidence is tagged with OGP's policy areas ("Asset
disclosure"). Matching on the areas instead of the words lets evidence count
when its words differ, and keeps side words ("public", "transparency") from
deciding who is a peer.

The reader is a small word-to-area model learnt from two sources:

- the areas themselves: each theme's name and synonyms (the thesaurus) and its
  description, counted as LEXICON_DOCS and DESCRIPTION_DOCS virtual documents
  tagged with that theme only;
- the IRM-tagged commitments: each commitment's title (TITLE_DOCS times) and
  its full text (FULL_TEXT_DOCS times) are documents tagged with the areas OGP
  gave it; a title says in a few words what the reform is, a full text also
  says much about how.

For a word w and an area t, with df(w) documents containing w, df_t(w) of
them tagged t, and P(t) the share of documents tagged t:

    P(t | w) = (df_t(w) + β·P(t)) / (df(w) + β)          β = PRIOR_STRENGTH
    weight(t, w) = max(0, ln(P(t | w) / P(t)))
    score(t) = Σ_w weight(t, w)  over the goal's distinct content words
               + THESAURUS_BONUS if the goal names one of t's phrases

The ratio to P(t) (pointwise mutual information, smoothed towards 0 for rare
words) favours specific reforms: words tell little about a broad area that
tags most commitments ("Legislation"), and much about "Beneficial ownership".
No prior on areas is added, for the same reason. The best area is read into
the goal when its score is at least MIN_SCORE, with confidence 1.0; a further
area only for what it explains beyond the areas already read (see
`GoalReader.read`), when that gain is at least MIN_SHARE of the best score;
its confidence is that share.

Why this and not sentence embeddings: it needs no model weights (nothing to
download, nothing to install), learns the IRM's own vocabulary in every
language its commitments are written in, trains in about a second on the
real data, and answers in microseconds; docs/matching.md has the measurements.

The model is rebuilt when themes or commitments change in any process: their
signals drop a version token from the shared cache (`invalidate`), and each
process compares the token there with the one its model was built from.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from casestudies.models import Commitment, Theme
from search.process_copy import ProcessCopy
from search.thesaurus import GOAL_STOPWORDS, folded_words, parse, stem

VERSION_KEY = "search:goal-reader:version"
LEXICON_DOCS, DESCRIPTION_DOCS = 10, 3
LEXICON_SHARE, DESCRIPTION_SHARE = 0.5, 0.2
TITLE_DOCS, FULL_TEXT_DOCS = 3, 1
PRIOR_STRENGTH = 5.0
THESAURUS_BONUS = 2.0
MIN_SCORE, MIN_SHARE = 1.5, 0.5
MAX_AREAS = 3

# Words that say how, not what ("officials should declare before ...", "antes de su
# votación", "avant chaque élection"), in English, Spanish and French; the search
# thesaurus keeps them, as a reformer may search for a title that has them.
HOW_WORDS = frozenset(
    """across among before between during each every further may might must new no not
    only other shall should through under until upon whether within without
    antes durante cada nuevo nueva nuevos nuevas solo solamente otro otra otros otras
    mediante traves bajo dentro cualquier
    avant pendant chaque nouveau nouvelle nouveaux nouvelles non seulement autre autres
    travers sous entre""".split()  # noqa: SIM905
)
IGNORED = GOAL_STOPWORDS | HOW_WORDS


@dataclass(frozen=True)
class UnderstoodArea:
    """One policy area read into the goal; `confidence` is its share of the best score."""

    slug: str
    name: str
    confidence: float

    @property
    def percent(self) -> int:
        return round(100 * self.confidence)

    def as_json(self) -> dict:
        return {"slug": self.slug, "name": self.name, "confidence": round(self.confidence, 2)}


def content_words(text: str) -> set[str]:
    """Stems of the words that say what the reform is, folded as the thesaurus matches them.

    Function words of English, French, Spanish and Portuguese (the languages of the goals
    and of the commitments) are dropped: in a goal they say nothing about the reform, yet
    they would tie areas to whichever commitments happen to be in that language.
    """
    return {stem(word) for word in folded_words(text) if word not in IGNORED and len(word) > 1}


@dataclass(frozen=True)
class TrainingDocument:
    words: frozenset[str]
    themes: tuple[str, ...]
    copies: int = 1  # virtual documents (a theme's lexicon) count several times


class GoalReader:
    """Word → area weights, learnt from tagged documents (see the module docstring)."""

    def __init__(
        self,
        documents: Iterable[TrainingDocument],
        names: dict[str, str],
        named_areas: Callable[[str], Iterable[str]] | None = None,
    ):
        self.names = dict(names)
        # The areas whose thesaurus phrases the goal contains (search/thesaurus.py).
        self.named_areas = named_areas or (lambda goal: parse(goal).themes)
        df: Counter[str] = Counter()
        df_theme: dict[str, Counter[str]] = defaultdict(Counter)
        tagged: Counter[str] = Counter()
        total = 0
        for document in documents:
            total += document.copies
            for theme in document.themes:
                tagged[theme] += document.copies
            for word in document.words:
                df[word] += document.copies
                for theme in document.themes:
                    df_theme[word][theme] += document.copies
        self.documents = total
        prior = {theme: count / total for theme, count in tagged.items()} if total else {}
        self.weights: dict[str, dict[str, float]] = {}
        for word, by_theme in df_theme.items():
            weights = {}
            for theme, count in by_theme.items():
                p_theme = prior[theme]
                posterior = (count + PRIOR_STRENGTH * p_theme) / (df[word] + PRIOR_STRENGTH)
                weight = math.log(posterior / p_theme)
                if weight > 0:
                    weights[theme] = weight
            if weights:
                self.weights[word] = weights

    def scores(self, goal: str) -> dict[str, float]:
        """score(t) for every area any word of the goal points to."""
        return self._scores(content_words(goal), self._named(goal))

    def _named(self, goal: str) -> set[str]:
        return {theme for theme in self.named_areas(goal) if theme in self.names}

    def _scores(self, words: set[str], named: set[str]) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for word in words:
            for theme, weight in self.weights.get(word, {}).items():
                totals[theme] += weight
        for theme in named:
            totals[theme] += THESAURUS_BONUS
        return dict(totals)

    def read(self, goal: str) -> list[UnderstoodArea]:
        """The best area, then each further area by what it explains beyond those chosen.

        Commitments carry several tags, so the words of a reform also lean towards the
        areas it is usually tagged with beside it ("companies" towards Private sector when
        the goal is about beneficial ownership). A further area is only read into the goal
        for the words it explains better than the areas already chosen: its gain is
        Σ_w max(0, weight(t, w) - max over chosen a of weight(a, w)).
        """
        words = content_words(goal)
        named = self._named(goal)
        scores = self._scores(words, named)
        if not scores or max(scores.values()) < MIN_SCORE:
            return []
        best_slug, best = max(scores.items(), key=lambda item: (item[1], item[0]))
        chosen = [UnderstoodArea(best_slug, self.names[best_slug], 1.0)]
        explained = {word: self.weights.get(word, {}).get(best_slug, 0.0) for word in words}
        candidates = set(scores) - {best_slug}
        while candidates and len(chosen) < MAX_AREAS:
            gains = {
                theme: sum(
                    max(0.0, self.weights.get(word, {}).get(theme, 0.0) - explained[word])
                    for word in words
                )
                + (THESAURUS_BONUS if theme in named else 0.0)
                for theme in candidates
            }
            slug, gain = max(gains.items(), key=lambda item: (item[1], item[0]))
            if gain / best < MIN_SHARE:
                break
            chosen.append(UnderstoodArea(slug, self.names[slug], gain / best))
            candidates.discard(slug)
            for word in words:
                explained[word] = max(explained[word], self.weights.get(word, {}).get(slug, 0.0))
        return chosen

    def related(self, goal: str, chosen: Iterable[UnderstoodArea]) -> list[UnderstoodArea]:
        """Further areas the goal's words point to almost as much as to the best one.

        `read` leaves them out because the chosen areas already explain those words; peer
        matching falls back on them when the chosen areas have too little evidence (a goal
        read as "Open data (education)" also looks at "Education").
        """
        scores = self.scores(goal)
        if not scores:
            return []
        best = max(scores.values())
        taken = {area.slug for area in chosen}
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [
            UnderstoodArea(slug, self.names[slug], score / best)
            for slug, score in ranked
            if slug not in taken and score / best >= MIN_SHARE
        ][:MAX_AREAS]


def training_documents() -> Iterable[TrainingDocument]:
    through = Commitment.themes.through
    tags: dict[int, list[str]] = defaultdict(list)
    for commitment_id, slug in through.objects.values_list("commitment_id", "theme__slug"):
        tags[commitment_id].append(slug)
    tagged = Counter(slug for slugs in tags.values() for slug in slugs)
    for theme in Theme.objects.only("slug", "name", "synonyms", "description"):
        # An area's own words weigh at least as much as a share of its commitments, so that
        # they still say something about an area that tags a hundred commitments.
        size = tagged[theme.slug] * TITLE_DOCS
        lexicon = " ".join([theme.name, *theme.synonym_list])
        yield TrainingDocument(
            frozenset(content_words(lexicon)),
            (theme.slug,),
            max(LEXICON_DOCS, round(LEXICON_SHARE * size)),
        )
        if theme.description:
            yield TrainingDocument(
                frozenset(content_words(theme.description)),
                (theme.slug,),
                max(DESCRIPTION_DOCS, round(DESCRIPTION_SHARE * size)),
            )
    rows = Commitment.objects.values_list("pk", "title", "full_text").order_by("pk")
    for pk, title, full_text in rows.iterator(chunk_size=200):
        if tags.get(pk):
            themes = tuple(tags[pk])
            yield TrainingDocument(frozenset(content_words(title)), themes, TITLE_DOCS)
            if full_text and FULL_TEXT_DOCS:
                yield TrainingDocument(frozenset(content_words(full_text)), themes, FULL_TEXT_DOCS)


def build_reader() -> GoalReader:
    names = dict(Theme.objects.values_list("slug", "name"))
    return GoalReader(training_documents(), names)


_reader = ProcessCopy(VERSION_KEY, build_reader)


def reader() -> GoalReader:
    """This process's reader, rebuilt when another process changed themes or commitments."""
    return _reader.get()


def invalidate(**kwargs) -> None:
    """Signal receiver: themes or commitments changed, so every process rebuilds."""
    _reader.invalidate()


def read_goal(goal: str) -> list[UnderstoodArea]:
    return reader().read(goal) if goal else []


def related_areas(goal: str, chosen) -> list[UnderstoodArea]:
    return reader().related(goal, chosen) if goal else []

"""Synthetic countries, documents and workloads, and the database they are timed against.

Everything synthetic is clearly marked as such ("X00"…, "Synthetic country 1"…,
"Synthetic commitment 123: …"), with realistic shapes: a commitment is a title and a
line of institutions, a case study some 700 words, one document in twenty a tracker's
reform record. The real themes (their synonyms feed the thesaurus), countries and IRM
commitments are imported too, so the goal reader learns from the same data as in
production and matching is timed with the same model.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.core.management import call_command

from casestudies.models import Country, Theme
from search import thesaurus
from search.backends.base import IndexDocument
from search.documents import COMPLETION_SCORE, OPENED_GOVERNMENT_SCORE, STATUS_SCORE, UNKNOWN_SCORE
from search.peers import PROFILES_CACHE_KEY

REGIONS = [
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East, North Africa, Afghanistan & Pakistan",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
]
INCOME_GROUPS = ["Low income", "Lower middle income", "Upper middle income", "High income"]
WGI_FIELDS = [
    "voice_accountability",
    "political_stability",
    "government_effectiveness",
    "regulatory_quality",
    "rule_of_law",
    "control_of_corruption",
]
# Words of action-plan prose, most common first, drawn with weights 1/(rank + ZIPF_OFFSET):
# the commonest word is then ~1.4% of all words, as "public" is 1.1% of the words of the
# real OGP commitments (and in a third of them); a steeper curve would put every common
# word in nearly every document and make broad queries unrealistically heavy.
WORDS = list(
    dict.fromkeys(
        """
public government data information citizens national ministry law open local access
transparency participation plan platform process council agency services system reform
office report budget policy development strengthen implementation civil society
monitoring online portal register publish parliament community committee commission
institutions accountability capacity framework standards training mechanism review
municipal regional provincial legislation regulation guidelines strategy consultation
oversight performance quality digital electronic network database website portal
officials employees authorities stakeholders organisations partners experts
women youth rural minorities disabilities communities farmers teachers students
health education water sanitation energy transport housing land environment climate
agriculture fisheries forestry mining oil gas infrastructure roads schools hospitals
police courts prisons justice judges prosecutors lawyers complaints feedback grievance
survey statistics indicators evaluation audit inspection assessment benchmark index
funds grants subsidies revenue expenditure taxes debt loans contracts tenders payments
procedures forms permits licences certificates registration inspection deadlines
awareness campaign workshops forum dialogue roundtable hearings sessions meetings
website app hotline sms radio newsletter bulletin gazette archive library repository
quarterly annual monthly regular timely complete accurate accessible machine readable
format standard interoperable secure reliable independent effective efficient
inclusive responsive sustainable innovative pilot scale national subnational
coordination cooperation partnership agreement memorandum protocol charter code
""".split()  # noqa: SIM905 (a word list reads best as prose)
    )
)


def country_code(number: int) -> str:
    """ISO3-shaped codes no real country uses: X00…X99, then Y00…Y99, Z00…"""
    return f"{'XYZ'[number // 100]}{number % 100:02d}"


def synthetic_countries(count: int, rng: random.Random) -> list[dict]:
    if count > 300:
        raise ValueError("at most 300 synthetic countries (codes X00…Z99)")
    countries = []
    for number in range(count):
        base = rng.gauss(0, 0.9)
        countries.append(
            {
                "iso3": country_code(number),
                "name": f"Synthetic country {number + 1}",
                "region": rng.choice(REGIONS),
                # One in 50 without an income group, as the World Bank leaves some unclassified.
                "income_group": "" if number % 50 == 49 else rng.choice(INCOME_GROUPS),
                "population": int(10 ** rng.uniform(4.5, 9.0)),
                "gdp_per_capita": round(10 ** rng.uniform(2.5, 5.0), 1),
                **{
                    name: round(max(-2.5, min(2.5, base + rng.gauss(0, 0.3))), 3)
                    for name in WGI_FIELDS
                },
            }
        )
    return countries


@dataclass(frozen=True)
class ThemeWords:
    slug: str
    phrases: tuple[str, ...]  # name and synonyms, lower case


ZIPF_OFFSET = 30


def _zipf_weights(count: int) -> list[float]:
    return [1.0 / (rank + ZIPF_OFFSET) for rank in range(count)]


class TextMaker:
    def __init__(self, rng: random.Random, themes: list[ThemeWords]):
        self.rng = rng
        self.themes = themes
        self.weights = _zipf_weights(len(WORDS))

    def words(self, count: int) -> list[str]:
        return self.rng.choices(WORDS, weights=self.weights, k=count)

    def phrase(self, theme: ThemeWords) -> str:
        return self.rng.choice(theme.phrases)

    def prose(self, count: int, themes: list[ThemeWords], every: int = 60) -> str:
        """`count` words with one of the themes' phrases about every `every` words."""
        out: list[str] = []
        while len(out) < count:
            chunk = self.words(self.rng.randint(every // 2, every))
            out.extend(chunk)
            out.extend(self.phrase(self.rng.choice(themes)).split())
            out[-1] += "."
        return " ".join(out[:count])


COMPLETIONS = ["complete", "substantial", "limited", "not_started", None]
OPENED = ["outstanding", "major", "marginal", "did_not_change", None]
STATUSES = ["implemented", "in-progress", "planned", "stalled"]


def synthetic_documents(
    count: int, countries: list[dict], themes: list[ThemeWords], rng: random.Random
) -> Iterator[IndexDocument]:
    """`count` clearly synthetic documents: 75% commitments, 20% case studies, 5% reform
    records (as the trackers' importers write them: one area, a kind, a source)."""
    text = TextMaker(rng, themes)
    # Some countries publish much more than others.
    country_weights = [rng.paretovariate(1.2) for _ in countries]
    for number in range(1, count + 1):
        country = rng.choices(countries, weights=country_weights)[0]
        doc_themes = rng.sample(themes, k=rng.choice([1, 1, 2, 2, 3]))
        year = rng.randint(2011, 2025)
        common = {
            "country": country["iso3"],
            "country_name": country["name"],
            "region": country["region"],
            "income_group": country["income_group"],
            "themes": tuple(theme.slug for theme in doc_themes),
            "year": year,
        }
        if number % 20 == 1:
            yield IndexDocument(
                doc_id=f"synthetic-reform-{number}",
                type="reform",
                title=f"Synthetic reform record {number}: {text.phrase(doc_themes[0])}",
                url=f"/synthetic/countries/{country['iso3']}/#reform-{number}",
                summary=f"Synthetic tracker, {year}",
                outcome_strength=rng.choice([0.25, 0.4, 0.5]),
                details={"kind": "synthetic-record", "source": "Synthetic tracker"},
                **{**common, "themes": common["themes"][:1]},
            )
        elif number % 5:
            completion = rng.choices(COMPLETIONS, weights=[2, 3, 3, 1, 4])[0]
            opened = rng.choices(OPENED, weights=[1, 2, 4, 3, 6])[0]
            starred = completion in ("complete", "substantial") and rng.random() < 0.3
            strength = round(
                0.45 * COMPLETION_SCORE.get(completion, UNKNOWN_SCORE)
                + 0.30 * OPENED_GOVERNMENT_SCORE.get(opened, UNKNOWN_SCORE)
                + 0.10 * UNKNOWN_SCORE
                + 0.15 * starred,
                4,
            )
            title_words = " ".join(text.words(rng.randint(3, 9)))
            yield IndexDocument(
                doc_id=f"synthetic-commitment-{number}",
                type="commitment",
                title=f"Synthetic commitment {number}: {text.phrase(doc_themes[0])} {title_words}",
                url=f"/synthetic/commitments/{number}/",
                body=" ".join(text.words(rng.randint(8, 60))),
                summary=f"{country['name']}, action plan {year}",
                starred=starred,
                complete=completion == "complete",
                opened_government=opened in ("major", "outstanding"),
                outcome_strength=strength,
                details={
                    "identifier": f"SYN{number:05d}",
                    "action_plan": str(year),
                    "irm": {
                        "completion": completion,
                        "did_it_open_government": opened,
                        "starred": starred,
                    },
                },
                **common,
            )
        else:
            status = rng.choices(STATUSES, weights=[5, 3, 1, 1])[0]
            yield IndexDocument(
                doc_id=f"synthetic-casestudy-{number}",
                type="casestudy",
                title=f"Synthetic case study {number}: {text.phrase(doc_themes[0])} in "
                f"{country['name']}",
                url=f"/synthetic/case-studies/{number}/",
                body=text.prose(rng.randint(500, 900), doc_themes),
                summary=text.prose(rng.randint(25, 45), doc_themes, every=20),
                implemented=status == "implemented",
                outcome_strength=STATUS_SCORE[status],
                details={
                    "status": status,
                    "period_start": year,
                    "period_end": None,
                    "sample": True,
                },
                **common,
            )


def search_workload(
    themes: list[ThemeWords], countries: list[dict], count: int, rng: random.Random
) -> list[tuple[str, dict]]:
    """(text, filters) pairs as the search page and API receive them."""
    text = TextMaker(rng, themes)
    workload = []
    for number in range(count):
        kind = number % 10
        theme = rng.choice(themes)
        filters: dict = {}
        if kind <= 3:  # a theme phrase, as typed
            query = text.phrase(theme)
        elif kind <= 5:  # a phrase within a sentence
            query = f"{text.phrase(theme)} for {' '.join(text.words(rng.randint(1, 3)))}"
        elif kind == 6:  # plain words
            query = " ".join(text.words(rng.randint(1, 3)))
        elif kind == 7:  # text and filters
            query = text.phrase(theme)
            filters = {
                "types": [rng.choice(["commitment", "casestudy"])],
                "regions": [rng.choice(REGIONS)],
                "outcomes": rng.choice([[], ["complete"], ["starred"]]),
            }
        elif kind == 8:  # text, theme and income filters, a later page
            query = " ".join(text.words(2))
            filters = {
                "themes": [theme.slug],
                "income_groups": [rng.choice(INCOME_GROUPS)],
                "page": rng.choice([1, 2, 3]),
            }
        else:  # browse a country or theme, no text
            query = ""
            filters = rng.choice(
                [{"countries": [rng.choice(countries)["iso3"]]}, {"themes": [theme.slug]}]
            )
        workload.append((query, filters))
    return workload


def match_workload(
    themes: list[ThemeWords], countries: list[dict], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """(reformer ISO3, goal) pairs."""
    text = TextMaker(rng, themes)
    workload = []
    for number in range(count):
        theme = rng.choice(themes)
        goal = text.phrase(theme)
        if number % 2:
            goal = f"{goal} with {' '.join(text.words(rng.randint(1, 3)))}"
        workload.append((rng.choice(countries)["iso3"], goal))
    return workload


def load_theme_words() -> list[ThemeWords]:
    return [
        ThemeWords(
            theme.slug,
            tuple(dict.fromkeys(p.lower() for p in [theme.name, *theme.synonym_list] if p)),
        )
        for theme in Theme.objects.order_by("pk")
    ]


@dataclass(frozen=True)
class BenchData:
    documents: list[IndexDocument]
    searches: list[tuple[str, dict]]
    matches: list[tuple[str, str]]
    countries: int
    themes: int

    def summary(self) -> dict:
        docs = self.documents
        return {
            "documents": len(docs),
            "case_studies": sum(doc.type == "casestudy" for doc in docs),
            "commitments": sum(doc.type == "commitment" for doc in docs),
            "reform_records": sum(doc.type == "reform" for doc in docs),
            "words": sum(len(f"{d.title} {d.summary} {d.body}".split()) for d in docs),
            "countries": self.countries,
            "themes": self.themes,
        }


def prepare(
    *,
    documents: int,
    countries: int,
    searches: int,
    matches: int,
    seed: int,
    say: Callable[[str], None],
) -> BenchData:
    """Fill the (throw-away) database and build the documents and workloads."""
    rng = random.Random(seed)
    say("Importing the real themes (their synonyms feed the thesaurus)…")
    call_command("import_themes", verbosity=0)
    cache.delete(thesaurus.CACHE_KEY)
    themes = load_theme_words()
    # The goal reader learns from the real IRM-tagged commitments, as in production, so
    # matching is timed with the same model (the commitments are not indexed here).
    say("Importing the real countries and IRM commitments (the goal reader's data)…")
    call_command("import_countries", verbosity=0)
    call_command("import_commitments", verbosity=0)
    synthetic = synthetic_countries(countries, rng)
    Country.objects.filter(name__startswith="Synthetic country ").delete()
    Country.objects.bulk_create(Country(**fields) for fields in synthetic)
    cache.delete(PROFILES_CACHE_KEY)
    say(f"Generating {documents:,} synthetic documents…")
    return BenchData(
        documents=list(synthetic_documents(documents, synthetic, themes, rng)),
        searches=search_workload(themes, synthetic, searches, rng),
        matches=match_workload(themes, synthetic, matches, rng),
        countries=len(synthetic),
        themes=len(themes),
    )

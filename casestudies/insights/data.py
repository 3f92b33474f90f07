"""What the map, the benchmarks and the insights page read from the database.

Each function returns plain, language-neutral values (codes, names, counts). The tallies
are kept in the shared content cache (`exchange.core.page_cache.content_cached`): they change only
when the data does, which retires them with the cached pages; labels and sentences are made
per request, in the reader's language. The maps' figures are not cached here: the rendered
map is (`casestudies.insight_views`).
"""

from collections import defaultdict

from django.db.models import Count, Q

from casestudies.insights.benchmarks import Tally
from casestudies.models import Commitment, Country, ReformRecord, Theme
from casestudies.models.commitments import OGP_VALUE_FIELDS
from exchange.core.page_cache import content_cached

_RATING_FIELDS = [
    "pk",
    "country__iso3",
    "country__region",
    "potential_impact",
    "completion_midterm",
    "completion_end_of_term",
    "opened_government",
    "specificity",
    "starred",
    *(field for field, _label in OGP_VALUE_FIELDS),
]


def _rated_commitments() -> list[tuple[int, str, str, Tally]]:
    """(pk, ISO3, region, tally) of every commitment, in one query."""
    rows = []
    for row in Commitment.objects.order_by().values(*_RATING_FIELDS):
        values = [row[field] for field, _label in OGP_VALUE_FIELDS]
        relevant = None if all(value is None for value in values) else any(values)
        tally = Tally.of(
            potential_impact=row["potential_impact"],
            completion=row["completion_end_of_term"] or row["completion_midterm"],
            opened_government=row["opened_government"],
            specificity=row["specificity"],
            relevant=relevant,
            starred=row["starred"],
        )
        rows.append((row["pk"], row["country__iso3"], row["country__region"], tally))
    return rows


def _tallies_by_country() -> dict[str, Tally]:
    tallies = defaultdict(Tally)
    for _pk, iso3, _region, tally in _rated_commitments():
        tallies[iso3] += tally
    return dict(tallies)


def country_tallies() -> dict[str, Tally]:
    """Every country's commitments as one tally, by ISO3 (cached)."""
    return content_cached({"irm-tallies-by-country": _tallies_by_country})["irm-tallies-by-country"]


def _tallies_by_group() -> dict:
    """Tallies by World Bank region and by top-level policy area (3 queries).

    A commitment tagged with several sub-themes of one area counts once for that area.
    """
    commitments = _rated_commitments()
    by_region = defaultdict(Tally)
    for _pk, _iso3, region, tally in commitments:
        by_region[region] += tally
    themes = {
        pk: (parent or pk) for pk, parent in Theme.objects.order_by().values_list("pk", "parent")
    }
    areas = defaultdict(set)
    for commitment, theme in Commitment.themes.through.objects.values_list(
        "commitment_id", "theme_id"
    ):
        areas[themes[theme]].add(commitment)
    tally_of = {pk: tally for pk, _iso3, _region, tally in commitments}
    by_area = {area: Tally.total(tally_of[pk] for pk in members) for area, members in areas.items()}
    top_level = Theme.objects.filter(pk__in=by_area).values("pk", "name", "slug")
    return {
        "regions": [(region, tally) for region, tally in by_region.items()],
        "areas": [(theme["name"], theme["slug"], by_area[theme["pk"]]) for theme in top_level],
        "all": Tally.total(tally for *_rest, tally in commitments),
    }


def group_tallies() -> dict:
    """{"regions": [(region, Tally)], "areas": [(name, slug, Tally)], "all": Tally} (cached)."""
    return content_cached({"irm-tallies-by-group": _tallies_by_group})["irm-tallies-by-group"]


def commitment_figures() -> list[tuple[str, str, bool, int]]:
    """(ISO3, name, OGP member, commitments) of each member or country with commitments
    (one query; the map that shows them is cached whole, see insight_views)."""
    countries = Country.objects.annotate(count=Count("commitments")).order_by("name")
    return [
        (iso3, name, member, count)
        for iso3, name, member, count in countries.values_list(
            "iso3", "name", "ogp_member", "count"
        )
        if member or count
    ]


def _counts_by_country(queryset) -> dict[str, int]:
    return dict(
        queryset.order_by()
        .values("country__iso3")
        .annotate(count=Count("pk", distinct=True))
        .values_list("country__iso3", "count")
    )


def theme_figures(theme) -> list[tuple[str, str, bool, int, int]]:
    """(ISO3, name, OGP member, commitments, reform records) on `theme`, for every OGP
    member and every other country with evidence of the reform (three queries)."""
    commitments = _counts_by_country(Commitment.objects.filter(themes=theme))
    records = _counts_by_country(ReformRecord.objects.filter(theme=theme))
    countries = Country.objects.filter(
        Q(ogp_member=True) | Q(iso3__in=[*commitments, *records])
    ).order_by("name")
    return [
        (iso3, name, member, commitments.get(iso3, 0), records.get(iso3, 0))
        for iso3, name, member in countries.values_list("iso3", "name", "ogp_member")
    ]

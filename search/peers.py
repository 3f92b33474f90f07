"""Find peers: retrieval (search backend) + ranking (search/matching.py).

Used by the /peers/ page, GET /api/v1/match/ and `manage.py match_peers`, so
all three give the same ranking.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from casestudies.models import WGI_DIMENSIONS, Country, Theme
from exchange.core.page_cache import content_cached
from exchange.core.visibility import live_public
from learning.models import CoursePage, FellowshipPage
from search.backends.base import MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SearchQuery, SearchResults
from search.matching import CountryProfile, PeerMatch, match_peers, similarity
from search.service import InvalidSearch, search_query
from search.thesaurus import parse
from search.understanding import UnderstoodArea, read_goal, related_areas

RETRIEVE = MAX_PAGE_SIZE  # documents considered per match
EVIDENCE_TYPES = ("casestudy", "commitment", "reform")
# Fewer countries than this with evidence on the areas read: look at related areas too.
MIN_PEER_COUNTRIES = 5
MAX_LIMIT = 50
PROFILES_CACHE_KEY = "search:country-profiles:v1"


@dataclass(frozen=True)
class MatchResult:
    reformer: CountryProfile
    goal: str
    themes: tuple[str, ...]  # the areas the reformer chose (empty: read from the goal)
    peers: list[PeerMatch]
    # The policy areas the ranking used: chosen by the reformer (confidence 1), or read from
    # the goal ("we read your goal as ..."); empty when only the words could be used.
    understood_as: tuple[UnderstoodArea, ...] = ()
    notice: str = ""
    # Next steps: courses on the themes the goal names (chosen or found by the thesaurus).
    courses: tuple = ()
    # Open fellowships hosted by the peers on those themes, nearest deadline first; the
    # /peers/ page shows each under its host (`host_country` is loaded with them).
    fellowships: tuple = ()


MAX_COURSES = 5
MAX_FELLOWSHIPS = 5


def courses_on(theme_slugs) -> list:
    """Live courses on any of these themes, most specific first (fewest themes).

    Kept with the content (`content_cached`, per set of themes): a publish, an unpublish
    or a view restriction, which change what may be offered, retire it.
    """
    if not theme_slugs:
        return []
    key = _themes_key("peer-courses", theme_slugs)
    return content_cached({key: lambda: _courses_on(theme_slugs)})[key]


def _courses_on(theme_slugs) -> list:
    return list(
        live_public(CoursePage.objects)
        .filter(themes__slug__in=theme_slugs)
        .annotate(theme_count=Count("themes", distinct=True))
        .order_by("theme_count", "title")
        .distinct()[:MAX_COURSES]
    )


def open_fellowships_hosted_by(countries, theme_slugs, now=None) -> list:
    """Open fellowships hosted in any of `countries` (ISO3) on any of these themes.

    Nearest deadline first, at most MAX_FELLOWSHIPS in all. No theme, no fellowship: a
    placement is only worth offering when it is on the reform asked about. The fellowships
    on these themes open when they were read are kept with the content (as `courses_on`);
    which of them are still open at `now` (not before the present) is decided here.
    """
    if not countries or not theme_slugs:
        return []
    now = now or timezone.now()
    key = _themes_key("peer-fellowships", theme_slugs)
    on_themes = content_cached({key: lambda: _open_fellowships_on(theme_slugs)})[key]
    hosts = set(countries)
    hosted = [f for f in on_themes if f.host_country.iso3 in hosts and f.is_open_at(now)]
    return hosted[:MAX_FELLOWSHIPS]


def _open_fellowships_on(theme_slugs) -> list:
    """Every open fellowship on any of these themes, nearest deadline first, with its host
    and themes (the peers page shows them)."""
    return list(
        live_public(FellowshipPage.objects.open(timezone.now()))
        .filter(themes__slug__in=list(theme_slugs))
        .select_related("host_country")
        .prefetch_related("themes")
        .distinct()
        .order_by("application_deadline", "title")
    )


def _themes_key(name: str, theme_slugs) -> str:
    slugs = ",".join(sorted(set(theme_slugs)))
    return f"{name}:{hashlib.sha256(slugs.encode()).hexdigest()[:32]}"


def forget_country_profiles(**kwargs) -> None:
    """Signal receiver: countries changed (an edit or an import), so the cached profiles go,
    or peers are ranked on the old region, income group or membership for minutes."""
    cache.delete(PROFILES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PROFILES_CACHE_KEY))


def profile_of(country: Country) -> CountryProfile:
    """A country's context as the matcher reads it (`country_profiles` for all of them)."""
    return CountryProfile(
        iso3=country.iso3,
        name=country.name,
        region=country.region,
        income_group=country.income_group,
        population=country.population,
        gdp_per_capita=country.gdp_per_capita,
        governance=tuple(getattr(country, name) for name, _, _ in WGI_DIMENSIONS),
    )


def similar_members(country: Country, countries) -> list[Country]:
    """OGP members in `country`'s World Bank region and income group, the most alike first
    by the matcher's context similarity (`search.matching.similarity`: governance, GDP per
    capita, population), then by name. None when the income group is unclassified."""
    if not country.income_group:
        return []
    reformer = profile_of(country)
    members = [
        other
        for other in countries
        if other.pk != country.pk
        and other.ogp_member
        and (other.region, other.income_group) == (country.region, country.income_group)
    ]
    alike = {other.pk: similarity(reformer, profile_of(other)).total for other in members}
    return sorted(members, key=lambda other: (-alike[other.pk], other.sort_name))


def country_profiles() -> dict[str, CountryProfile]:
    profiles = cache.get(PROFILES_CACHE_KEY)
    if profiles is None:
        fields = [name for name, _, _ in WGI_DIMENSIONS]
        profiles = {
            row["iso3"]: CountryProfile(
                iso3=row["iso3"],
                name=row["name"],
                region=row["region"],
                income_group=row["income_group"],
                population=row["population"],
                gdp_per_capita=row["gdp_per_capita"],
                governance=tuple(row[name] for name in fields),
            )
            for row in Country.objects.values(
                "iso3", "name", "region", "income_group", "population", "gdp_per_capita", *fields
            )
        }
        cache.set(PROFILES_CACHE_KEY, profiles, 300)
    return profiles


def retrieve(goal: str, parsed, areas) -> SearchResults:
    """The evidence for a goal: everything tagged with its areas, else what its words match."""
    if areas:
        # Strongest first, whatever its words: the evidence of the reform.
        query = SearchQuery(
            themes=tuple(area.slug for area in areas),
            types=EVIDENCE_TYPES,
            page_size=RETRIEVE,
            browse_order="strongest",
            facets=False,
            highlight=False,
        )
    else:
        query = SearchQuery(
            text=goal,
            words=parsed.words,
            groups=parsed.groups,
            languages=parsed.languages,
            types=EVIDENCE_TYPES,
            page_size=RETRIEVE,
            facets=False,
            highlight=False,
        )
    return search_query(query)


def _countries_in(results: SearchResults, reformer: str) -> int:
    return len({hit.country for hit in results.hits if hit.country and hit.country != reformer})


def chosen_areas(slugs) -> tuple[UnderstoodArea, ...]:
    """The areas a reformer picked, in their order, each with full confidence."""
    names = dict(Theme.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))
    return tuple(
        UnderstoodArea(slug, names[slug], 1.0) for slug in dict.fromkeys(slugs) if slug in names
    )


def find_peers(country: str, goal: str = "", themes=(), limit: int = 10) -> MatchResult:
    """Validated entry point; raises InvalidSearch naming the bad parameter."""
    code = (country or "").strip().upper()
    if not code:
        raise InvalidSearch("country", "'country' is required (an ISO 3166 alpha-3 code).")
    profiles = country_profiles()
    reformer = profiles.get(code)
    if reformer is None:
        raise InvalidSearch("country", f"Unknown country: {country[:10]!r}.")
    goal = (goal or "").strip()
    if len(goal) > MAX_QUERY_LENGTH:
        raise InvalidSearch("q", f"'q' is too long (at most {MAX_QUERY_LENGTH} characters).")
    if not goal and not themes:
        raise InvalidSearch("q", "Describe the reform you want ('q') or choose a theme.")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidSearch("limit", f"'limit' must be between 1 and {MAX_LIMIT}.")
    parsed = parse(goal)
    if goal and parsed.is_empty and not themes:
        raise InvalidSearch("q", "The goal has no words we can search for.")
    areas = chosen_areas(themes) if themes else tuple(read_goal(goal))
    results = retrieve(goal, parsed, areas)
    if areas and not themes and _countries_in(results, reformer.iso3) < MIN_PEER_COUNTRIES:
        # A narrow area with little evidence ("Open data (education)"): also look at the
        # areas the goal's words point to almost as much ("Education").
        extra = tuple(related_areas(goal, areas))
        if extra:
            areas += extra
            results = retrieve(goal, parsed, areas)
    peers = match_peers(
        reformer,
        results.hits,
        profiles,
        areas={area.slug: area.confidence for area in areas},
        limit=limit,
        area_names={area.slug: area.name for area in areas},
    )
    named_themes = tuple(area.slug for area in areas) or parsed.themes
    return MatchResult(
        reformer,
        goal,
        tuple(themes),
        peers,
        understood_as=areas,
        notice=results.notice,
        courses=tuple(courses_on(named_themes)),
        fellowships=tuple(
            open_fellowships_hosted_by([peer.country.iso3 for peer in peers], named_themes)
        ),
    )

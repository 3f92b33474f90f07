"""Country and theme hubs: views over the reference data and the evidence."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from wagtail.models import Site

from casestudies import insight_views
from casestudies.filters import CountryFilter
from casestudies.models import (
    WGI_DIMENSIONS,
    CaseStudyPage,
    Commitment,
    Country,
    ReformRecord,
    Theme,
)
from casestudies.models.pages import as_cards
from exchange.core.listing import listing_context
from exchange.core.reference_names import countries_in_reader_order
from exchange.core.visibility import live_public
from learning.models import FellowshipPage
from search.peers import similar_members

COUNTRIES_PER_PAGE = 60
COMMITMENTS_PER_PAGE = 25


def _page(request, queryset, per_page, count=None):
    """A page of results; out-of-range or junk page numbers fall back gracefully.

    `count`, when the view has already counted the results, saves the paginator its query.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def _with_site_roots(*querysets) -> tuple[list, ...]:
    """Each queryset of pages as a list, every page knowing the site roots its URL needs,
    looked up once for all of them.

    A page's `.url` otherwise reads them from the shared cache on its own: a query per card
    with the database cache. The attribute is where Wagtail keeps them on a page
    (`Page._get_site_root_paths`); exchange.models does the same for the home page's cards.
    """
    lists = tuple(list(queryset) for queryset in querysets)
    pages = [page for pages in lists for page in pages]
    if pages:
        root_paths = Site.get_site_root_paths()
        for page in pages:
            page._wagtail_cached_site_root_paths = root_paths
    return lists


def _live_case_studies():
    return as_cards(live_public(CaseStudyPage.objects)).order_by("-period_start", "title")


def country_list(request):
    countries = Country.objects.annotate(
        commitment_count=Count("commitments", distinct=True),
        # Counted like the listing counts them: live, public, once per translation group.
        case_study_count=Coalesce(
            Subquery(
                live_public(CaseStudyPage.objects.filter(country=OuterRef("pk")))
                .order_by()
                .values("country")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    ).order_by("sort_name")
    context = listing_context(
        request, countries, CountryFilter, COUNTRIES_PER_PAGE, items_name="countries"
    )
    regions = Country.objects.order_by("region").values_list("region", flat=True).distinct()
    return render(
        request,
        "casestudies/country_list.html",
        {
            **context,
            "regions": list(regions),
            "region": context["filter"].region_asked,
            "members_only": context["filter"].members_only,
            "world_map": insight_views.commitments_map(),
        },
    )


def country_detail(request, iso3):
    if iso3 != iso3.upper():
        return redirect("casestudies:country_detail", iso3=iso3.upper(), permanent=True)
    country = get_object_or_404(Country, iso3=iso3)
    # The commitment cards show no themes: no prefetch.
    commitments = Commitment.objects.filter(country=country).order_by(
        "-plan_start_year", "action_plan_id", "identifier"
    )
    action_plans = [
        {
            "label": plan_commitments[0].action_plan_label,
            "jurisdiction": plan_commitments[0].member_name,
            "commitments": plan_commitments,
        }
        for plan_commitments in (
            list(group) for _, group in groupby(commitments, key=lambda c: c.action_plan_id)
        )
    ]
    # One list of countries feeds the peer form's menu, "similar members" (ranked by the peer
    # matcher's context similarity) and the regional governance medians of the benchmark
    # (one query).
    countries = list(
        Country.objects.order_by("sort_name").only(
            "iso3",
            "name",
            "sort_name",
            "region",
            "income_group",
            "ogp_member",
            "population",
            "gdp_per_capita",
            *(field for field, _code, _label in WGI_DIMENSIONS),
        )
    )
    similar = similar_members(country, countries)
    case_studies, fellowships = _with_site_roots(
        _live_case_studies().filter(country=country),
        live_public(FellowshipPage.objects)
        .filter(host_country=country)
        .prefetch_related("themes")
        .order_by("application_deadline", "title"),
    )
    # What trackers (OCP, Open Ownership) record for the country, by theme: one query.
    reform_records = ReformRecord.objects.filter(country=country).for_listing()
    reform_themes = [
        (theme, list(records)) for theme, records in groupby(reform_records, lambda r: r.theme)
    ]
    now = timezone.now()
    open_fellowships = [page for page in fellowships if page.is_open_at(now)]
    return render(
        request,
        "casestudies/country_detail.html",
        {
            "country": country,
            "action_plans": action_plans,
            "commitment_count": sum(len(plan["commitments"]) for plan in action_plans),
            "case_studies": case_studies,
            "open_fellowships": open_fellowships,
            "closed_fellowship_count": len(fellowships) - len(open_fellowships),
            "similar_countries": similar,
            "countries": countries,
            "peer_countries": countries_in_reader_order((c.iso3, c.name) for c in countries),
            "reform_themes": reform_themes,
            **insight_views.country_benchmark(country, countries),
        },
    )


def theme_list(request):
    themes = (
        Theme.objects.filter(parent__isnull=True)
        .annotate(commitment_count=Count("commitments", distinct=True))
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Theme.objects.annotate(
                    commitment_count=Count("commitments", distinct=True)
                ).order_by("name"),
            )
        )
        .order_by("name")
    )
    return render(request, "casestudies/theme_list.html", {"themes": themes})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    if theme.slug != slug:  # pragma: no cover - slugs are unique; guards odd collations
        raise Http404
    commitments = (
        Commitment.objects.filter(themes=theme)
        .select_related("country")
        .order_by("-starred", "country__sort_name", "-plan_start_year", "identifier")
    )
    # Both counts in one query, the paginator's included.
    counts = commitments.aggregate(total=Count("pk"), starred=Count("pk", filter=Q(starred=True)))
    (case_studies,) = _with_site_roots(_live_case_studies().filter(themes=theme))
    return render(
        request,
        "casestudies/theme_detail.html",
        {
            "theme": theme,
            "children": theme.children.order_by("name"),
            "case_studies": case_studies,
            "commitments": _page(request, commitments, COMMITMENTS_PER_PAGE, counts["total"]),
            "starred_count": counts["starred"],
            "peer_countries": countries_in_reader_order(
                Country.objects.values_list("iso3", "name")
            ),
            **_reform_countries(theme),
            "world_map": insight_views.theme_map(theme),
        },
    )


def _reform_countries(theme) -> dict:
    """Countries with reform records on `theme`, each with its earliest known year (one query)."""
    records = (
        ReformRecord.objects.filter(theme=theme)
        .select_related("country")
        .only("source", "since", "source_url", "country__iso3", "country__name")
        .order_by("country__sort_name", "since")
    )
    countries, sources = [], {}
    for country, group in groupby(records, lambda r: r.country):
        group = list(group)
        years = [record.since for record in group if record.since]
        countries.append({"country": country, "since": min(years, default=None)})
        for record in group:
            sources.setdefault(record.get_source_display(), record.source_url)
    return {"reform_countries": countries, "reform_sources": sorted(sources.items())}

"""Country and theme hubs: views over the reference data and the evidence."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

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
from exchange.core.markup import blocktranslated, translated
from exchange.core.page_cache import content_cached
from exchange.core.visibility import live_public, visibility_of
from learning.models import FellowshipPage
from search import peer_menus
from search.peers import similar_members

COUNTRIES_PER_PAGE = 60
COMMITMENTS_PER_PAGE = 25
# The benchmark's bar charts (templates/includes/benchmark.html): a bar's full width, the
# distance between bars and the longest label beside one, as the SVG's viewBox allows.
BAR_WIDTH = 160
BAR_SPACING = 26
BAR_LABEL_LENGTH = 18


def _page(request, queryset, per_page, count=None):
    """A page of results; out-of-range or junk page numbers fall back gracefully.

    `count`, when the view has already counted the results, saves the paginator its query.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def _shown_pages(request, *page_lists) -> tuple[list, ...]:
    """The pages of each list a visitor may see now, each knowing the site roots its URL
    needs.

    The lists are kept with the content (content_cached), and so is what decides who may
    see a page (exchange.core.visibility.Visibility, in the site frame): both are retired
    by the same changes, a view restriction added or lifted among them.

    The site roots are those the request carries (exchange.site_frame puts them there): a
    page's `.url` otherwise reads them from the shared cache on its own, a query per card
    with the database cache. The attribute is where Wagtail keeps them on a page
    (`Page._get_site_root_paths`); exchange.models does the same for the home page's cards.
    """
    pages = [page for pages in page_lists for page in pages]
    if not pages:
        return page_lists
    visibility = visibility_of(request)
    root_paths = pages[0]._get_site_root_paths(request)
    for page in pages:
        page._wagtail_cached_site_root_paths = root_paths
    return tuple([page for page in pages if visibility.shows(page)] for pages in page_lists)


def _case_study_cards(case_studies):
    """Case studies in the order hubs list them, read for their cards (see _shown_pages for
    which a visitor sees)."""
    return list(as_cards(case_studies).order_by("-period_start", "title"))


def country_list(request):
    countries = Country.objects.annotate(
        commitment_count=Count("commitments", distinct=True),
        # Counted like the listing counts them: live, public, once per translation group.
        case_study_count=Coalesce(
            Subquery(
                live_public(
                    CaseStudyPage.objects.filter(country=OuterRef("pk")), visibility_of(request)
                )
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
    hub_key = f"country-hub:{country.iso3}"
    cached = content_cached(
        {peer_menus.COUNTRIES: peer_menus.countries, hub_key: lambda: _country_hub(country)}
    )
    hub = cached[hub_key]
    case_studies, fellowships = _shown_pages(request, hub["case_studies"], hub["fellowships"])
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
            "peer_countries": cached[peer_menus.COUNTRIES],
            "reform_themes": hub["reform_themes"],
            **hub["comparisons"],
        },
    )


def _country_hub(country) -> dict:
    """What a country page shows that depends only on the content: its case studies and
    fellowships, what trackers (OCP, Open Ownership) record for it, by theme, and its place
    among the other countries."""
    records = ReformRecord.objects.filter(country=country).for_listing()
    return {
        "case_studies": _case_study_cards(CaseStudyPage.objects.filter(country=country)),
        "fellowships": list(
            FellowshipPage.objects.filter(host_country=country)
            .prefetch_related("themes")
            .order_by("application_deadline", "title")
        ),
        "reform_themes": [
            (theme, list(records)) for theme, records in groupby(records, lambda r: r.theme)
        ],
        "comparisons": _country_comparisons(country),
    }


def _country_comparisons(country) -> dict:
    """`country` among the others: "similar members" (ranked by the peer matcher's context
    similarity), its IRM record against its peers and its governance against its region's
    medians, from one list of countries (one query)."""
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
    comparisons = insight_views.country_benchmark(country, countries)
    return {
        "similar_countries": similar_members(country, countries),
        "benchmark_rows": [_benchmark_row(row) for row in comparisons["benchmark"].rows],
        **comparisons,
    }


def _share_text(message: str, share) -> SafeString:
    """`message` (translated) with the share's figures, as {% blocktranslate %} writes it."""
    return blocktranslated(message, percent=share.percent, n=share.n)


def _share_cell(share, nothing_rated) -> SafeString:
    if not share.n:
        return nothing_rated
    return format_html(
        '{}% <span class="small">({}/{})</span>', share.percent, share.count, share.n
    )


def _benchmark_row(row) -> dict:
    """One metric of the benchmark (`casestudies.insights.benchmarks.Comparison`) as its
    chart and its table row show it, in the reader's language: widths, shortened labels
    and sentences worked out once, not by the template for each of twelve bars."""
    none_rated = translated(gettext("none rated"))
    return {
        "key": row.metric.key,
        "label": str(row.metric.label),
        "summary": format_html_join(
            "; ",
            "{}: {}",
            (
                (
                    label,
                    _share_text(gettext("%(percent)s%% of %(n)s rated"), share)
                    if share.n
                    else none_rated,
                )
                for label, share in row.series
            ),
        ),
        "bars": [
            {
                "offset": BAR_SPACING * position,
                "label": Truncator(label).chars(BAR_LABEL_LENGTH),
                "width": round(share.count / share.n * BAR_WIDTH) if share.n else None,
                "value": _share_text(gettext("%(percent)s%% · n=%(n)s"), share)
                if share.n
                else none_rated,
            }
            for position, (label, share) in enumerate(row.series)
        ],
        "country": _share_cell(row.country, none_rated),
        "not_assessed": row.not_assessed,
        "peers": _share_cell(row.peers, "—"),
        "members": _share_cell(row.members, "—"),
    }


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
    hub_key = f"theme-hub:{theme.pk}"
    # A second round trip: the map keeps its own entry (insight_views.theme_map).
    cached = content_cached(
        {
            peer_menus.COUNTRIES: peer_menus.countries,
            hub_key: lambda: _theme_hub(theme, commitments),
        }
    )
    hub = cached[hub_key]
    (case_studies,) = _shown_pages(request, hub["case_studies"])
    return render(
        request,
        "casestudies/theme_detail.html",
        {
            "theme": theme,
            "commitments": _page(
                request, commitments, COMMITMENTS_PER_PAGE, hub["commitment_count"]
            ),
            "starred_count": hub["starred_count"],
            "children": hub["children"],
            "case_studies": case_studies,
            "peer_countries": cached[peer_menus.COUNTRIES],
            "reform_countries": hub["reform_countries"],
            "reform_sources": hub["reform_sources"],
            "world_map": insight_views.theme_map(theme),
        },
    )


def _theme_hub(theme, commitments) -> dict:
    """What a theme page shows that depends only on the content, but its page of
    commitments: how many there are (the paginator's count), its sub-themes, case studies
    and the countries trackers record it in."""
    counts = commitments.aggregate(total=Count("pk"), starred=Count("pk", filter=Q(starred=True)))
    return {
        "commitment_count": counts["total"],
        "starred_count": counts["starred"],
        "children": list(theme.children.order_by("name")),
        "case_studies": _case_study_cards(CaseStudyPage.objects.filter(themes=theme)),
        **_reform_countries(theme),
    }


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

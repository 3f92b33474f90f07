"""Insights drawn from the IRM data: the world maps of the hubs, a country's benchmark and
the ambition-against-implementation page (`/insights/`).

The computing lives in `casestudies.insights` (pure) and its `data` module (the queries,
cached); this module turns its figures into what templates show, in the reader's language.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from casestudies.insights import ambition, benchmarks, data, worldmap
from exchange.core.page_cache import content_cached
from exchange.core.reference_names import country_name, region_name, theme_name


def _country_url(iso3: str) -> str:
    return reverse("casestudies:country_detail", args=[iso3])


def _rendered_map(key: str, build_entries, context: dict) -> str:
    """The map's HTML, rendered once per content version and language (content cache).

    Rendering ~100 linked outlines and their table takes a template tens of milliseconds;
    the result depends only on the data and the language, so every other view reads it.
    """
    key = f"{key}:{get_language()}"

    def render():
        world_map = worldmap.build_map(build_entries())
        return render_to_string("includes/world_map.html", {"world_map": world_map, **context})

    # Safe: the template escaped every value; the cache keeps the string, not the mark.
    return mark_safe(content_cached({key: render})[key])


def _commitment_entries() -> list[worldmap.MapEntry]:
    return [
        worldmap.MapEntry(
            iso3=iso3,
            name=country_name(iso3, name),
            url=_country_url(iso3),
            value=count,
            description=ngettext(
                "%(count)s commitment in the IRM data",
                "%(count)s commitments in the IRM data",
                count,
            )
            % {"count": count}
            + ("" if member else " " + _("(no longer an OGP member)")),
        )
        for iso3, name, member, count in data.commitment_figures()
    ]


def commitments_map() -> str:
    """OGP members (and former ones with commitments), shaded by commitments in the data."""
    return _rendered_map(
        "world-map-commitments",
        _commitment_entries,
        {
            "map_id": "members-map",
            "map_title": _("OGP members by number of commitments in our IRM data"),
            "legend_title": _("Commitments in the IRM data"),
        },
    )


def _evidence_description(commitments: int, records: int) -> str:
    if not (commitments or records):
        return _("no commitment or tracker record on this theme")
    parts = []
    if commitments:
        parts.append(
            ngettext(
                "%(count)s commitment on this theme",
                "%(count)s commitments on this theme",
                commitments,
            )
            % {"count": commitments}
        )
    if records:
        parts.append(
            ngettext("%(count)s tracker record", "%(count)s tracker records", records)
            % {"count": records}
        )
    return ", ".join(parts)


def theme_map(theme) -> str:
    """OGP members and any country with evidence of the reform, shaded by how much."""

    def entries():
        return [
            worldmap.MapEntry(
                iso3=iso3,
                name=country_name(iso3, name),
                url=_country_url(iso3),
                value=commitments + records,
                description=_evidence_description(commitments, records),
            )
            for iso3, name, _member, commitments, records in data.theme_figures(theme)
        ]

    return _rendered_map(
        f"world-map-theme-{theme.pk}",
        entries,
        {
            "map_id": "evidence-map",
            "map_title": _(
                "OGP members and other countries by evidence of %(theme)s: commitments on "
                "this theme in our IRM data plus records from organisations that track the "
                "reform"
            )
            % {"theme": theme_name(theme.slug, theme.name)},
            "legend_title": _("Commitments and tracker records"),
        },
    )


def country_benchmark(country, countries) -> dict:
    """The country page's benchmark: IRM record against peers, WGI against the region.

    `countries` must carry region, income group, membership and the WGI estimates.
    """
    return {
        "benchmark": benchmarks.benchmark(country, countries, data.country_tallies()),
        "governance_rows": benchmarks.governance_against_region(country, countries),
    }


def insights(request):
    tallies = data.group_tallies()
    countries_url = reverse("casestudies:country_list")
    regions = ambition.group_rows(
        [
            (region_name(region), f"{countries_url}?{urlencode({'region': region})}", tally)
            for region, tally in tallies["regions"]
        ]
    )
    areas = ambition.group_rows(
        [
            (theme_name(slug, name), reverse("casestudies:theme_detail", args=[slug]), tally)
            for name, slug, tally in tallies["areas"]
        ]
    )
    return render(
        request,
        "casestudies/insights.html",
        {
            "overall": ambition.overall(tallies["all"]),
            "all_tally": tallies["all"],
            "groupings": [
                {
                    "id": "regions",
                    "title": _("By World Bank region"),
                    "rows": regions,
                    "findings": ambition.findings(regions),
                },
                {
                    "id": "areas",
                    "title": _("By policy area"),
                    "rows": areas,
                    "findings": ambition.findings(areas),
                },
            ],
            "min_rated": ambition.MIN_RATED,
        },
    )

"""Turn backend results into what pages and the API show: labels, JSON shapes."""

from __future__ import annotations

from casestudies.models import Country, Theme
from search.backends.base import DOCUMENT_TYPES, OUTCOMES, SearchHit, SearchResults


class Labels:
    """Display names for facet values, fetched in two queries per request."""

    def __init__(self):
        self.themes = dict(Theme.objects.values_list("slug", "name"))
        self.countries = dict(Country.objects.values_list("iso3", "name"))

    def of(self, facet: str, value: str) -> str:
        if facet == "type":
            return DOCUMENT_TYPES.get(value, value)
        if facet == "theme":
            return self.themes.get(value, value)
        if facet == "country":
            return self.countries.get(value, value)
        if facet == "outcome":
            return OUTCOMES.get(value, value)
        return value


def facets_json(results: SearchResults, labels: Labels) -> dict:
    return {
        name: [
            {"value": facet.value, "label": labels.of(name, facet.value), "count": facet.count}
            for facet in values
        ]
        for name, values in results.facets.items()
    }


def hit_json(hit: SearchHit, request=None) -> dict:
    url = request.build_absolute_uri(hit.url) if request is not None and hit.url else hit.url
    return {
        "title": hit.title,
        "url": url,
        "type": hit.type,
        "country": {"iso3": hit.country, "name": hit.country_name} if hit.country else None,
        "themes": list(hit.themes),
        "snippet": hit.snippet,
        "year": hit.year,
    }

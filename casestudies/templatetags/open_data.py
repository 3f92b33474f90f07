"""`{% download_links %}`: "Download these (CSV, JSON)" for what a page lists."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from casestudies.opendata.datasets import DATASETS

register = template.Library()


@register.inclusion_tag("includes/open_data_links.html")
def download_links(dataset, query=None, **filters):
    """Links to `dataset`'s files narrowed like the page: by `filters` given in the tag
    (`country=country.iso3`), or by the filters in `query` (a page's request.GET) that the
    file understands. A search's words cannot narrow a file: with `q`, the links say so.
    A search narrowed to other types of result lists no commitments: no links.
    """
    chosen = DATASETS[dataset]
    pairs = [(name, value) for name, value in filters.items() if value]
    words_left_out = False
    if query is not None:
        types = query.getlist("type")
        if types and chosen.search_type not in types:
            return {"show": False}
        # A filter the file cannot apply (a case-study outcome) would make it list more
        # than the page: offer no file rather than the wrong one.
        if not chosen.can_apply(query):
            return {"show": False}
        pairs += [
            (name, value)
            for name in chosen.filters
            for value in query.getlist(name)
            if value.strip()
        ]
        words_left_out = bool(query.get("q", "").strip())
    suffix = f"?{urlencode(pairs)}" if pairs else ""
    return {
        "show": True,
        "title": chosen.title,
        "csv_url": reverse("casestudies:open_data_file", args=[chosen.slug, "csv"]) + suffix,
        "json_url": reverse("casestudies:open_data_file", args=[chosen.slug, "json"]) + suffix,
        "about_url": reverse("casestudies:open_data") + f"#{chosen.slug}",
        "words_left_out": words_left_out,
    }

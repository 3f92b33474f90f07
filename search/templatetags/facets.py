"""The facet links of the search page (templates/search/search.html)."""

from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _query(pairs: list[tuple[str, list[str]]], name: str, values: list[str]) -> str:
    """The query string of `pairs` with `name`'s values replaced, as QueryDict.urlencode
    writes it (a name new to the query goes last)."""
    changed = [(key, values if key == name else given) for key, given in pairs]
    if name not in dict(pairs):
        changed.append((name, values))
    return "?" + urlencode([(key, value) for key, given in changed for value in given])


@register.simple_tag(takes_context=True)
def facet_links(context, group) -> str:
    """A list item for each value of a facet `group`: a link adding the value to the
    filters, or, for a value chosen, removing it (the page number dropped either way).

    Written in Python: the template's per-value tags copied the query for each of some 70
    values, about 3 ms of each search page.
    """
    name = group["name"]
    pairs = [(key, values) for key, values in context["request"].GET.lists() if key != "page"]
    chosen = dict(pairs).get(name, [])
    items = []
    for facet in group["values"]:
        value = facet["value"]
        if facet["selected"]:
            href = _query(pairs, name, [v for v in chosen if v != value])
            link = format_html(
                '<a href="{}" aria-current="true" class="facet--on">✓ {}</a>', href, facet["label"]
            )
        else:
            href = _query(pairs, name, chosen if value in chosen else [*chosen, value])
            link = format_html('<a href="{}">{}</a>', href, facet["label"])
        items.append((link, facet["count"]))
    return format_html_join("", '\n          <li>{} <span class="count">{}</span></li>', items)

"""The facet links of the search page (templates/search/search.html)."""

from urllib.parse import quote_plus

from django import template

from exchange.core.markup import format_markup, join_markup

register = template.Library()


def _encoded(name: str, values: list[str]) -> list[str]:
    return [f"{quote_plus(name)}={quote_plus(value)}" for value in values]


class _Query:
    """The page's query string with one filter's values replaced, as QueryDict.urlencode
    writes it (a name new to the query goes last). The parameters are encoded once, not
    again for each of the page's facet values."""

    def __init__(self, pairs: list[tuple[str, list[str]]]):
        self.pairs = [(name, _encoded(name, values)) for name, values in pairs]
        self.names = {name for name, _ in pairs}

    def replacing(self, name: str, values: list[str]) -> str:
        parts = []
        for given, encoded in self.pairs:
            parts.extend(_encoded(name, values) if given == name else encoded)
        if name not in self.names:
            parts.extend(_encoded(name, values))
        return "?" + "&".join(parts)


@register.simple_tag(takes_context=True)
def facet_links(context, group) -> str:
    """A list item for each value of a facet `group`: a link adding the value to the
    filters, or, for a value chosen, removing it (the page number dropped either way).

    Written in Python: the template's per-value tags copied the query for each of some 70
    values, about 3 ms of each search page.
    """
    name = group["name"]
    pairs = [(key, values) for key, values in context["request"].GET.lists() if key != "page"]
    query = _Query(pairs)
    chosen = dict(pairs).get(name, [])
    items = []
    for facet in group["values"]:
        value = facet["value"]
        if facet["selected"]:
            href = query.replacing(name, [v for v in chosen if v != value])
            link = format_markup(
                '<a href="{}" aria-current="true" class="facet--on">✓ {}</a>', href, facet["label"]
            )
        else:
            href = query.replacing(name, chosen if value in chosen else [*chosen, value])
            link = format_markup('<a href="{}">{}</a>', href, facet["label"])
        items.append((link, facet["count"]))
    return join_markup('\n          <li>{} <span class="count">{}</span></li>', items)

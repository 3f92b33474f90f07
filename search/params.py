"""Read and validate search and match parameters from a query string.

Shared by the HTML pages and the JSON API, so both reject the same input with
the same message naming the parameter.
"""

from __future__ import annotations

import re

from casestudies.models import Country, Theme
from search.backends.base import DOCUMENT_TYPES, MAX_QUERY_LENGTH, OUTCOMES
from search.service import InvalidSearch

ISO3 = re.compile(r"^[A-Za-z]{3}$")
MAX_VALUES = 20


def _values(params, name) -> list[str]:
    values = [value.strip() for value in params.getlist(name) if value.strip()]
    if len(values) > MAX_VALUES:
        raise InvalidSearch(name, f"At most {MAX_VALUES} values for '{name}'.")
    return values


def _int(params, name, default, low, high) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSearch(name, f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise InvalidSearch(name, f"'{name}' must be between {low} and {high}.")
    return value


def text(params, name="q", required=False) -> str:
    value = params.get(name, "").strip()
    if len(value) > MAX_QUERY_LENGTH:
        raise InvalidSearch(name, f"'{name}' is too long (at most {MAX_QUERY_LENGTH} characters).")
    if required and not value:
        raise InvalidSearch(name, f"'{name}' is required.")
    return value


def themes(params, name="theme") -> list[str]:
    slugs = _values(params, name)
    if slugs:
        known = set(Theme.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise InvalidSearch(name, f"Unknown theme: {', '.join(unknown)}.")
    return slugs


def countries(params, name="country") -> list[str]:
    codes = [code.upper() for code in _values(params, name)]
    for code in codes:
        if not ISO3.match(code):
            raise InvalidSearch(name, f"'{code}' is not an ISO 3166 alpha-3 country code.")
    if codes:
        known = set(Country.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise InvalidSearch(name, f"Unknown country: {', '.join(unknown)}.")
    return codes


def choices(params, name, allowed) -> list[str]:
    values = _values(params, name)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise InvalidSearch(name, f"Unknown {name}: {', '.join(unknown)}.")
    return values


def _known(column) -> set[str]:
    # order_by(): the model's default ordering (name) would make DISTINCT keep every row.
    values = Country.objects.order_by().values_list(column, flat=True).distinct()
    return {value for value in values if value}


def search_filters(params) -> dict:
    """Everything /search/ and /api/v1/search/ accept, validated.

    Region and income group values are checked against the countries only when
    given, so a plain search costs no query for them.
    """
    return {
        "text": text(params),
        "types": choices(params, "type", DOCUMENT_TYPES),
        "themes": themes(params),
        "countries": countries(params),
        "regions": _checked(params, "region", "region"),
        "income_groups": _checked(params, "income_group", "income_group"),
        "outcomes": choices(params, "outcome", OUTCOMES),
        "page": _int(params, "page", 1, 1, 1000),
    }


def _checked(params, name, column) -> list[str]:
    if not _values(params, name):
        return []
    return choices(params, name, _known(column))


def integer(params, name, default, low, high) -> int:
    return _int(params, name, default, low, high)

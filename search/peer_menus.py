"""The menus of the "find my peers" form (templates/includes/peer_form.html and the policy
area menu of /peers/): every country and every theme, named and sorted in the reader's
language.

They change only with the reference data, so pages read them from the content cache
(exchange.core.page_cache.content_cached) under these keys, with these functions building
them: a page that reads other values too asks for all of them in one round trip.
"""

from casestudies.models import Country, Theme
from exchange.core.page_cache import content_cached
from exchange.core.reference_names import countries_in_reader_order, themes_in_reader_order

COUNTRIES = "peer-countries"
THEMES = "peer-themes"


def countries() -> list[tuple[str, str]]:
    """(ISO3, name) of every country."""
    return countries_in_reader_order(Country.objects.values_list("iso3", "name"))


def themes() -> list[tuple[str, str]]:
    """(slug, name) of every theme."""
    return themes_in_reader_order(Theme.objects.values_list("slug", "name"))


def both() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The country menu and the theme menu, from the content cache."""
    cached = content_cached({COUNTRIES: countries, THEMES: themes})
    return cached[COUNTRIES], cached[THEMES]

"""Country and policy-area names in the reader's language.

Countries: the ISO 3166 names translated by the Debian iso-codes project, as shipped with
pycountry (gettext domain `iso3166-1`), looked up by ISO alpha-3 code; a code ISO does not
have (Kosovo's XKX, the World Bank's aggregates) or a language without a catalogue keeps our
name (the World Bank's). English always keeps our name, so nothing changes for English readers.

Policy areas: the team's own French and Spanish names (casestudies/data/theme_translations.yaml),
by slug; a theme added later keeps its English name until it is translated there.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from pathlib import Path

import pycountry
import yaml
from django.conf import settings
from django.utils import translation

THEME_TRANSLATIONS = Path(settings.BASE_DIR) / "casestudies" / "data" / "theme_translations.yaml"

# Where the iso-codes catalogue gives a name in index order ("Congo, República Democrática
# del") or misspelt ("Costa de Marfíl"), the name as it reads in a sentence, by language.
COUNTRY_NAME_CORRECTIONS = {
    "es": {
        "CIV": "Costa de Marfil",
        "COD": "República Democrática del Congo",
        "COG": "República del Congo",
        "COM": "Comoras",
        "FSM": "Micronesia",
        "PSE": "Estado de Palestina",
        "VGB": "Islas Vírgenes Británicas",
        "VIR": "Islas Vírgenes de los Estados Unidos",
    },
    "fr": {
        "FSM": "Micronésie",
        "PSE": "État de Palestine",
        "RUS": "Fédération de Russie",
        "SLB": "Îles Salomon",
        "VIR": "Îles Vierges des États-Unis",
    },
}


def _language(language: str | None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


@cache
def _iso_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _iso_name(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3.upper())
    if country is None:
        return None
    # The short name people use ("Bolivia"), where ISO's is formal ("Bolivia, Plurinational
    # State of"); the catalogues translate both.
    return getattr(country, "common_name", None) or country.name


def country_name(iso3: str, name: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active one), else `name`."""
    language = _language(language)
    if language == settings.LANGUAGE_CODE or not iso3:
        return name
    corrected = COUNTRY_NAME_CORRECTIONS.get(language, {}).get(iso3.upper())
    if corrected:
        return corrected
    iso_name = _iso_name(iso3)
    catalogue = _iso_catalogue(language)
    if iso_name is None or type(catalogue) is gettext.NullTranslations:
        return name
    # ISO's name even where the language writes it the same ("Iran", "Bahamas"): the World
    # Bank's ("Iran, Islamic Rep.", "Bahamas, The") is an English index form.
    return catalogue.gettext(iso_name)


@cache
def _theme_translations() -> dict[str, dict[str, str]]:
    return yaml.safe_load(THEME_TRANSLATIONS.read_text(encoding="utf-8")) or {}


def theme_name(slug: str, name: str, language: str | None = None) -> str:
    """The policy area's name in `language` (default: the active one), else `name`."""
    language = _language(language)
    if language == settings.LANGUAGE_CODE:
        return name
    return _theme_translations().get(slug, {}).get(language, name)


def sort_key(name: str) -> str:
    """`name` as lists in any of the three languages sort it: accents and case set aside
    ("Côte" as "cote", "Égypte" among the E's).

    Neither SQLite nor PostgreSQL (without an ICU collation on every column) sorts by
    language, so "Côte d'Ivoire" came after "Czechia". For English the key is stored beside
    the country's name (`Country.sort_name`, the default ordering); lists in French or
    Spanish sort the translated names with it in Python (`countries_in_reader_order`).
    """
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def countries_in_reader_order(pairs) -> list[tuple[str, str]]:
    """(ISO3, name) pairs as (ISO3, name in the reader's language), alphabetical in it."""
    named = [(iso3, country_name(iso3, name)) for iso3, name in pairs]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


def themes_in_reader_order(pairs) -> list[tuple[str, str]]:
    """(slug, name) pairs as (slug, name in the reader's language), alphabetical in it."""
    named = [(slug, theme_name(slug, name)) for slug, name in pairs]
    return sorted(named, key=lambda pair: sort_key(pair[1]))

"""Country and policy-area names in the reader's language.

Countries: the ISO 3166 names translated by the Debian iso-codes project, as shipped with
pycountry (gettext domain `iso3166-1`), looked up by ISO alpha-3 code; a code ISO does not
have (Kosovo's XKX, the World Bank's aggregates) or a language without a catalogue keeps our
name (the World Bank's). English always keeps our name, so nothing changes for English readers.

Policy areas: the team's own French and Spanish names (casestudies/data/theme_translations.yaml),
by slug; a theme added later keeps its English name until it is translated there.

Time zones: the city that names an IANA zone, as the Unicode CLDR's exemplar cities give it in
the language (through Babel): "Londres" for Europe/London in French and Spanish, "Asunción"
for America/Asuncion in English too; a zone CLDR does not know keeps the city of its name.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from pathlib import Path

import pycountry
import yaml
from babel import UnknownLocaleError
from babel.dates import get_timezone_location
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


def regions_in_reader_order(regions) -> list[tuple[str, str]]:
    """World Bank regions (English names, as stored) as (name, name in the reader's
    language), alphabetical in it."""
    named = [(region, region_name(region)) for region in regions]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


def income_groups_in_reader_order(groups) -> list[tuple[str, str]]:
    """World Bank income groups (English names, as stored) as (name, name in the reader's
    language), alphabetical in it."""
    named = [(group, income_group_name(group)) for group in groups]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


# World Bank regions and income groups (FY2026 classification) and the six Worldwide
# Governance Indicators, in French and Spanish: the names the World Bank uses in its own
# French and Spanish publications, by the English name stored in the data. A name not listed
# here (a new region, a new indicator) keeps its English name.
REGION_NAMES = {
    "East Asia & Pacific": {
        "fr": "Asie de l’Est et Pacifique",
        "es": "Asia oriental y el Pacífico",
    },
    "Europe & Central Asia": {"fr": "Europe et Asie centrale", "es": "Europa y Asia central"},
    "Latin America & Caribbean": {
        "fr": "Amérique latine et Caraïbes",
        "es": "América Latina y el Caribe",
    },
    "Middle East, North Africa, Afghanistan & Pakistan": {
        "fr": "Moyen-Orient, Afrique du Nord, Afghanistan et Pakistan",
        "es": "Oriente Medio, Norte de África, Afganistán y Pakistán",
    },
    "North America": {"fr": "Amérique du Nord", "es": "América del Norte"},
    "South Asia": {"fr": "Asie du Sud", "es": "Asia meridional"},
    "Sub-Saharan Africa": {"fr": "Afrique subsaharienne", "es": "África subsahariana"},
}

INCOME_GROUP_NAMES = {
    "High income": {"fr": "Revenu élevé", "es": "Ingreso alto"},
    "Upper middle income": {
        "fr": "Revenu intermédiaire, tranche supérieure",
        "es": "Ingreso mediano alto",
    },
    "Lower middle income": {
        "fr": "Revenu intermédiaire, tranche inférieure",
        "es": "Ingreso mediano bajo",
    },
    "Low income": {"fr": "Faible revenu", "es": "Ingreso bajo"},
}

WGI_DIMENSION_NAMES = {
    "Voice and accountability": {
        "fr": "Voix citoyenne et responsabilité",
        "es": "Voz y rendición de cuentas",
    },
    "Political stability and absence of violence": {
        "fr": "Stabilité politique et absence de violence",
        "es": "Estabilidad política y ausencia de violencia",
    },
    "Government effectiveness": {
        "fr": "Efficacité des pouvoirs publics",
        "es": "Eficacia del gobierno",
    },
    "Regulatory quality": {"fr": "Qualité de la réglementation", "es": "Calidad regulatoria"},
    "Rule of law": {"fr": "État de droit", "es": "Estado de derecho"},
    "Control of corruption": {"fr": "Maîtrise de la corruption", "es": "Control de la corrupción"},
}

# OGP membership statuses (casestudies.models.OGPStatus labels), by English label.
OGP_STATUS_NAMES = {
    "Active member": {"fr": "Membre actif", "es": "Miembro activo"},
    "Inactive member": {"fr": "Membre inactif", "es": "Miembro inactivo"},
    "Withdrawn": {"fr": "Retiré", "es": "Retirado"},
    "Status not confirmed": {"fr": "Statut non confirmé", "es": "Situación no confirmada"},
}


def _named(names: dict, name: str, language: str | None) -> str:
    if not name:
        return name
    language = _language(language)
    if language == settings.LANGUAGE_CODE:
        return name
    return names.get(name, {}).get(language, name)


def region_name(name: str, language: str | None = None) -> str:
    """A World Bank region (as stored, "Sub-Saharan Africa") in `language`, else `name`."""
    return _named(REGION_NAMES, name, language)


def income_group_name(name: str, language: str | None = None, *, mid_sentence=False) -> str:
    """A World Bank income group ("Lower middle income") in `language`, else `name`.

    `mid_sentence`: as it reads inside a sentence ("same income group: lower middle
    income"): none of the three languages capitalises it there.
    """
    translated = _named(INCOME_GROUP_NAMES, name, language)
    if mid_sentence and translated:
        return translated[0].lower() + translated[1:]
    return translated


def wgi_dimension_name(name: str, language: str | None = None) -> str:
    """One of the six Worldwide Governance Indicators, by its English name, in `language`."""
    return _named(WGI_DIMENSION_NAMES, name, language)


def ogp_status_name(name: str, language: str | None = None) -> str:
    """An OGP membership status label ("Active member") in `language`, else `name`."""
    return _named(OGP_STATUS_NAMES, str(name), language)


def theme_description(slug: str, description: str, language: str | None = None) -> str:
    """The policy area's description in `language` (casestudies/data/theme_descriptions.yaml),
    else `description`."""
    language = _language(language)
    if language == settings.LANGUAGE_CODE:
        return description
    return _theme_descriptions().get(slug, {}).get(language, description)


THEME_DESCRIPTIONS = Path(settings.BASE_DIR) / "casestudies" / "data" / "theme_descriptions.yaml"


@cache
def _theme_descriptions() -> dict[str, dict[str, str]]:
    if not THEME_DESCRIPTIONS.exists():
        return {}
    return yaml.safe_load(THEME_DESCRIPTIONS.read_text(encoding="utf-8")) or {}


def zone_city(zone: str, language: str | None = None) -> str:
    """The city that names time zone `zone` ("Europe/London"), in `language` (by default
    the active one)."""
    return _zone_city(zone, _language(language))


@cache
def _zone_city(zone: str, language: str) -> str:
    try:
        return get_timezone_location(zone, locale=language, return_city=True)
    except (LookupError, UnknownLocaleError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")

"""Country names in French and Spanish read as they do in a sentence (site/core/reference_names.py):
ISO's names from the iso-codes catalogues, never the World Bank's English index forms, and
the team's corrections where the catalogue is in index order or misspelt."""

import pytest

from exchange.core.reference_names import country_name


@pytest.mark.parametrize(
    ("iso3", "world_bank_name", "language", "expected"),
    [
        ("CIV", "Côte d'Ivoire", "es", "Costa de Marfil"),  # catalogue: "Costa de Marfíl"
        ("COD", "Congo, Dem. Rep.", "es", "República Democrática del Congo"),
        ("RUS", "Russian Federation", "fr", "Fédération de Russie"),
        ("IRN", "Iran, Islamic Rep.", "fr", "Iran"),  # the same word in French, not WB's form
        ("BHS", "Bahamas, The", "es", "Bahamas"),
        ("MAR", "Morocco", "fr", "Maroc"),
        ("MAR", "Morocco", "es", "Marruecos"),
    ],
)
def test_names_in_french_and_spanish_read_as_in_a_sentence(
    iso3, world_bank_name, language, expected
):
    assert country_name(iso3, world_bank_name, language) == expected


def test_english_keeps_the_world_banks_name_and_unknown_codes_keep_ours():
    assert country_name("IRN", "Iran, Islamic Rep.", "en") == "Iran, Islamic Rep."
    assert country_name("XKX", "Kosovo", "fr") == "Kosovo"

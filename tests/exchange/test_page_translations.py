"""French and Spanish pages: reference names and the interface around them are translated."""

import pytest
from django.utils import translation

from casestudies.factories import CountryFactory
from search.matching import Reason, Term
from search.reasons import say
from tests.i18n import ensure_compiled_messages


@pytest.fixture(autouse=True, scope="module")
def compiled_messages():
    ensure_compiled_messages()


def test_peer_reasons_name_the_region_and_income_group_in_the_readers_language():
    region = Reason("Same region: %(region)s", region=Term("region", "Sub-Saharan Africa"))
    income = Reason(
        "Same income group: %(income)s",
        income=Term("income", "Lower middle income", "lower middle income"),
    )
    with translation.override("fr"):
        assert say(region) == "Même région : Afrique subsaharienne"
    with translation.override("es"):
        assert "ingreso mediano bajo" in say(income)
    with translation.override("en"):
        assert say(region) == "Same region: Sub-Saharan Africa"


@pytest.mark.django_db
def test_the_french_country_list_is_in_french(client, home):
    CountryFactory(iso3="KEN", name="Kenya", region="Sub-Saharan Africa")

    page = client.get("/fr/countries/").content.decode()

    assert "Afrique subsaharienne" in page
    assert "Membres du PGO uniquement" in page
    assert "OGP members only" not in page
    assert "Sub-Saharan Africa</td>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, translated, english",
    [
        ("/fr/courses/", ["Tous les niveaux", "Tous les thèmes"], ["Any level", "Any theme"]),
        ("/es/courses/", ["Cualquier nivel", "Cualquier tema"], ["Any level", "Any theme"]),
        (
            "/fr/fellowships/",
            ["Pays d’accueil", "Ouvertes et clôturées"],
            ["Host country", "Open and closed"],
        ),
        (
            "/es/fellowships/",
            ["País anfitrión", "Abiertas y cerradas"],
            ["Host country", "Open and closed"],
        ),
    ],
)
def test_listing_filters_speak_the_readers_language(client, home, path, translated, english):
    page = client.get(path).content.decode()

    for text in translated:
        assert text in page
    for text in english:
        assert f">{text}<" not in page


@pytest.mark.django_db
def test_the_theme_list_is_in_the_readers_language(client, home):
    english = client.get("/themes/").content.decode()
    french = client.get("/fr/themes/").content.decode()
    spanish = client.get("/es/themes/").content.decode()

    assert "<h1>Themes</h1>" in english
    assert "The OGP policy areas used to tag commitments" in english
    assert "The OGP policy areas used to tag commitments" not in french
    assert "Les domaines d’action du PGO utilisés pour classer" in french
    assert "The OGP policy areas used to tag commitments" not in spanish
    assert "Las áreas de política de la AGA utilizadas para clasificar" in spanish
    assert "<h1>Themes</h1>" not in french
    assert "<h1>Themes</h1>" not in spanish

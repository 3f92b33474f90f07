"""The thesaurus in English, French and Spanish (search/thesaurus.py).

A reformer types "acceso a la informacion" without accents, "l'accès à
l'information" with French elisions, or "bénéficiaires effectifs": each names
the same policy area as its English phrase, and the expanded group carries the
phrases of all three languages as written, accents included, for the search
backends that do not fold accents. English queries parse as before.
"""

import pytest

from search.backends.base import SearchQuery
from search.service import search_query
from search.thesaurus import fold, parse, stem, words

# --- Folding, elision and plurals (no database) -----------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Información", "informacion"),
        ("bénéficiaires", "beneficiaires"),
        ("PARTICIPACIÓN CIUDADANA", "participacion ciudadana"),
        ("œuvre", "oeuvre"),
        ("freedom of information", "freedom of information"),
    ],
)
def test_fold_drops_accents_and_case(typed, folded):
    assert fold(typed) == folded


def test_french_elided_articles_are_separated_from_their_word():
    assert words("Droit d'accès à l’information") == ["droit", "accès", "à", "information"]
    assert words("Côte d'Ivoire") == ["côte", "ivoire"]


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("contrataciones", "contratación"),
        ("públicas", "pública"),
        ("beneficiarios", "beneficiario"),
        ("bénéficiaires", "bénéficiaire"),
        ("entreprises", "entreprise"),
        ("données", "donnée"),
        ("tribunaux", "tribunal"),
        ("services", "service"),
    ],
)
def test_french_and_spanish_plurals_stem_like_their_singular(plural, singular):
    assert stem(fold(plural)) == stem(fold(singular))


# --- The trilingual thesaurus (real themes) ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "acceso a la informacion",
        "acceso a la información",
        "ACCESO A LA INFORMACIÓN PÚBLICA",
        "accès à l'information",
        "acces a l'information",
        "droit d'accès à l'information",
    ],
)
def test_right_to_information_is_found_in_any_language_with_or_without_accents(real_data, query):
    parsed = parse(query)

    assert parsed.themes == ("right-to-information",)
    assert parsed.words == ()
    (group,) = parsed.groups
    assert {"freedom of information", "acceso a la información", "accès à l'information"} <= set(
        group
    )


@pytest.mark.django_db
def test_the_group_keeps_each_phrase_as_written_for_backends_that_do_not_fold_accents(
    real_data,
):
    """PostgreSQL's 'english' configuration and Elasticsearch's english analyzer keep
    accents: an unaccented query must still send the accented phrase."""
    (group,) = parse("beneficiarios finales").groups

    assert "bénéficiaires effectifs" in group
    assert "beneficiaires effectifs" not in group
    assert "beneficial ownership" in group


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "theme"),
    [
        ("beneficiarios finales", "beneficial-ownership"),
        ("registre des bénéficiaires effectifs", "beneficial-ownership"),
        ("contrataciones abiertas", "open-contracting"),
        ("marchés publics", "public-procurement"),
        ("cabildeo", "lobbying"),
        ("représentants d'intérêts", "lobbying"),
        ("declaraciones patrimoniales", "asset-disclosure"),
        ("déclaration de patrimoine", "asset-disclosure"),
        ("protección de denunciantes", "whistleblower-protections"),
        ("lanceurs d'alerte", "whistleblower-protections"),
        ("presupuesto participativo", "budget-participation"),
        ("budget participatif", "budget-participation"),
    ],
)
def test_french_and_spanish_phrases_name_their_policy_area(real_data, query, theme):
    assert parse(query).themes == (theme,)


@pytest.mark.django_db
def test_french_and_spanish_function_words_are_not_searched(real_data):
    assert parse("le registre des lobbyistes").words == ()
    assert parse("la reforma de los tribunales").words == ("reforma",)


# Parsed before French and Spanish joined the thesaurus; English must parse the same.
ENGLISH = [
    ("freedom of information", (), ("right-to-information",)),
    ("make public who really owns companies", ("public",), ("beneficial-ownership",)),
    ("BO register", ("register",), ("beneficial-ownership",)),
    ("pass a freedom of information law", ("pass", "law"), ("right-to-information",)),
    (
        "regulate lobbyists and publish meetings of officials",
        ("regulate", "publish", "meetings", "officials"),
        ("lobbying",),
    ),
    (
        "citizen feedback and complaints about public services",
        ("complaints",),
        ("social-accountability", "public-service-delivery"),
    ),
    # English words spelled like French or Spanish function words are still searched.
    ("sea level climate", ("sea", "level"), ("environment-and-climate",)),
    ("no corruption", ("no", "corruption"), ()),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "plain", "themes"), ENGLISH)
def test_english_queries_parse_as_before(real_data, query, plain, themes):
    parsed = parse(query)

    assert (parsed.words, parsed.themes) == (plain, themes)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["acceso a la informacion", "accès à l'information"])
def test_a_spanish_or_french_query_finds_the_english_case_study(embedded_index, query):
    """Issue 13: "acceso a la información" found only Spanish-titled commitments, and
    Kenya's Access to Information case study was not found."""
    parsed = parse(query)
    results = search_query(
        SearchQuery(text=query, words=parsed.words, groups=parsed.groups, types=("casestudy",))
    )

    assert "Kenya's Access to Information Act" in [hit.title for hit in results.hits]

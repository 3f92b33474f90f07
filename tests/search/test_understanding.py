"""Reading a reformer's goal as OGP policy areas (search/understanding.py).

The first half trains the reader on a few hand-made documents, so each rule has one
small case; the second half reads paraphrased goals with the reader learnt from the
real themes and IRM-tagged commitments.
"""

import pytest

from search import understanding
from search.understanding import GoalReader, TrainingDocument, read_goal

NAMES = {
    "beneficial-ownership": "Beneficial ownership",
    "private-sector": "Private sector",
    "legislation": "Legislation",
    "education": "Education",
    "budget": "Budget",
}


def doc(text, *themes, copies=10) -> TrainingDocument:
    return TrainingDocument(frozenset(understanding.content_words(text)), themes, copies)


def reader(*documents) -> GoalReader:
    return GoalReader(documents, NAMES, named_areas=lambda goal: ())  # no thesaurus here


CORPUS = [
    doc("public register of beneficial owners of companies", "beneficial-ownership", "legislation"),
    doc("disclose the real owners behind shell companies", "beneficial-ownership", "legislation"),
    doc("owners of companies in the extractive sector", "beneficial-ownership", "private-sector"),
    doc("support small companies and business registration", "private-sector", "legislation"),
    doc("companies report on their workers", "private-sector", "legislation"),
    doc("school performance data for parents", "education", "legislation"),
    doc("school budgets published online", "education", "budget", "legislation"),
    doc("publish the national budget and its execution", "budget", "legislation"),
    doc("citizens comment on the budget", "budget", "legislation"),
    doc("a new law on public consultation", "legislation"),
]


def slugs(areas) -> list[str]:
    return [area.slug for area in areas]


def test_goal_is_read_as_the_area_its_words_point_to():
    areas = reader(*CORPUS).read("who are the real owners of these companies?")

    assert slugs(areas)[0] == "beneficial-ownership"
    assert areas[0].confidence == 1.0
    assert areas[0].name == "Beneficial ownership"


def test_an_area_tagging_almost_everything_is_not_read_from_common_words():
    """Every document is tagged "legislation": its words say nothing about it."""
    areas = reader(*CORPUS).read("publish school budgets and a law")

    assert "legislation" not in slugs(areas)


def test_a_side_area_is_read_only_for_what_the_main_area_does_not_explain():
    areas = reader(*CORPUS).read("owners of companies")

    # "companies" leans to Private sector too, but Beneficial ownership explains it better.
    assert slugs(areas) == ["beneficial-ownership"]


def test_a_goal_about_two_reforms_is_read_as_both_with_the_stronger_one_first():
    areas = reader(*CORPUS).read("school performance and national budget execution")

    assert set(slugs(areas)) == {"education", "budget"}
    assert areas[0].confidence == 1.0
    assert 0.5 <= areas[1].confidence <= 1.0


def test_words_that_point_nowhere_read_as_no_area():
    assert reader(*CORPUS).read("please help us quickly") == []
    assert reader(*CORPUS).read("") == []


def test_related_areas_are_those_the_words_point_to_almost_as_much():
    corpus = reader(*CORPUS)
    chosen = corpus.read("owners of companies")

    related = corpus.related("owners of companies", chosen)

    assert "beneficial-ownership" not in slugs(related)
    assert all(area.confidence >= understanding.MIN_SHARE for area in related)


def test_confidence_is_shown_as_a_whole_percentage():
    area = understanding.UnderstoodArea("budget", "Budget", 0.567)

    assert area.percent == 57
    assert area.as_json() == {"slug": "budget", "name": "Budget", "confidence": 0.57}


# --- Real data: the reader learnt from the themes and the IRM-tagged commitments ----------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("goal", "area"),
    [
        ("who really owns companies", "beneficial-ownership"),
        ("ministers must declare their property", "asset-disclosure"),
        ("protect people who report wrongdoing", "whistleblower-protections"),
        ("publish court rulings online", "open-justice"),
        ("who funds political parties", "political-finance"),
        ("make lobbying visible", "lobbying"),
        ("mining revenues and oil contracts", "extractive-industries"),
        ("tax transparency and information on tax expenditures", "tax"),
    ],
)
def test_paraphrased_goals_are_read_as_the_reform(real_data, goal, area):
    assert slugs(read_goal(goal))[0] == area


@pytest.mark.django_db
def test_a_school_budget_goal_is_read_as_education_not_as_transparency(real_data):
    areas = slugs(read_goal("school budgets and transparency in education"))

    assert {"education", "open-data-education"} & set(areas[:2])


@pytest.mark.django_db
def test_every_process_rebuilds_its_reader_when_themes_or_commitments_change(real_data):
    from casestudies.models import Theme

    before = understanding.reader()
    assert understanding.reader() is before  # built once per process and version

    theme = Theme.objects.get(slug="lobbying")
    theme.synonyms += ", quokka whisperers"
    theme.save()  # the signal bumps the version in the shared cache

    assert understanding.reader() is not before
    assert slugs(read_goal("quokka whisperers")) == ["lobbying"]


# --- Goals in French and Spanish, with or without accents ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("goal", "area"),
    [
        ("los funcionarios deben declarar sus bienes y su patrimonio", "asset-disclosure"),
        ("conocer a los propietarios reales de las empresas", "beneficial-ownership"),
        ("ley de acceso a la información pública", "right-to-information"),
        ("les élus doivent déclarer leur patrimoine", "asset-disclosure"),
        ("qui sont les vrais propriétaires des sociétés", "beneficial-ownership"),
        ("rendre publics les contrats miniers et pétroliers", "extractive-industries"),
        ("transparence sur le financement des partis", "political-finance"),
    ],
)
def test_french_and_spanish_paraphrases_are_read_as_the_reform(real_data, goal, area):
    assert slugs(read_goal(goal))[0] == area


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accented", "typed"),
    [
        ("ley de acceso a la información pública", "ley de acceso a la informacion publica"),
        ("les élus doivent déclarer leur patrimoine", "les elus doivent declarer leur patrimoine"),
        ("bénéficiaires effectifs des sociétés", "BENEFICIAIRES EFFECTIFS DES SOCIETES"),
    ],
)
def test_accents_and_case_do_not_change_how_a_goal_is_read(real_data, accented, typed):
    assert read_goal(typed) == read_goal(accented)


def test_french_and_spanish_function_words_say_nothing_about_the_reform():
    assert understanding.content_words("que las escuelas lo puedan hacer") == {"escuela"}
    assert understanding.content_words("qu'ils puissent le faire pour l'école") == {"ecol"}

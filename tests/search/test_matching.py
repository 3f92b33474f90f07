"""Peer matching: the pure ranking (search.matching) and the real thing (search.peers).

The first half feeds `match_peers` hand-made hits and made-up countries (XA…), so
each rule of the formula in search/matching.py has one small case. The second
half asks `find_peers` the questions reformers ask, over the embedded index built
from the real OGP commitments and the sample case studies.
"""

import pytest
from django.utils import translation

from search.backends.base import SearchHit
from search.matching import CountryProfile, match_peers, similarity
from search.peers import find_peers
from search.reasons import say
from search.service import InvalidSearch
from search.thesaurus import parse

AFRICA, EUROPE = "Sub-Saharan Africa", "Europe & Central Asia"
LOWER_MIDDLE, HIGH = "Lower middle income", "High income"
LOW, UPPER_MIDDLE = "Low income", "Upper middle income"
GOVERNANCE = (-0.4, -0.3, -0.5, -0.4, -0.5, -0.6)


def profile(iso3, region=AFRICA, income=LOWER_MIDDLE, **kwargs) -> CountryProfile:
    values = {"population": 20e6, "gdp_per_capita": 1500.0, "governance": GOVERNANCE}
    values.update(kwargs)
    return CountryProfile(iso3, f"Testland {iso3}", region, income, **values)


REFORMER = profile("XAA")
COUNTRIES = {
    country.iso3: country
    for country in [
        REFORMER,
        profile("XBB"),  # the reformer's twin
        profile("XCC", region=EUROPE, income=HIGH, gdp_per_capita=45000.0, governance=(1.5,) * 6),
        profile("XDD", income=LOW),
        profile("XEE", income=""),  # not classified by the World Bank
        profile("XFF", region=EUROPE, income=UPPER_MIDDLE),
    ]
}


def hit(country, number=1, score=10.0, coverage=1.0, outcome=0.5, **kwargs) -> SearchHit:
    values = {
        "doc_id": f"commitment-{country}{number:04d}",
        "type": "commitment",
        "title": f"Beneficial ownership register {country} {number}",
        "url": f"/countries/{country.lower()}/#{country}{number:04d}",
        # Backends report relevance x (1 + 0.5 x outcome); matching divides it back out.
        "score": score * (1 + 0.5 * outcome),
        "coverage": coverage,
        "country": country,
        "country_name": f"Testland {country}",
        "themes": ("beneficial-ownership",),
        "year": 2020,
        "outcome_strength": outcome,
        "details": {"irm": {"completion": "complete", "did_it_open_government": "major"}},
    }
    values.update(kwargs)
    return SearchHit(**values)


def ranked(hits, reformer=REFORMER, **kwargs) -> list[str]:
    return [peer.country.iso3 for peer in match_peers(reformer, hits, COUNTRIES, **kwargs)]


# --- Context similarity -----------------------------------------------------------------


def test_twin_country_is_fully_similar():
    sim = similarity(REFORMER, COUNTRIES["XBB"])

    assert sim.parts == {
        "region": 1.0,
        "income": 1.0,
        "governance": 1.0,
        "gdp": 1.0,
        "population": 1.0,
    }
    assert sim.total == pytest.approx(1.0)


def test_similarity_parts_weigh_as_documented():
    sim = similarity(REFORMER, COUNTRIES["XFF"])  # other region, neighbouring income group

    assert sim.parts["region"] == 0.0
    assert sim.parts["income"] == 0.5
    assert sim.total == pytest.approx(0.25 * 0.5 + 0.20 + 0.15 + 0.10)


def test_distant_context_scores_low_on_every_part():
    sim = similarity(REFORMER, COUNTRIES["XCC"])

    assert sim.parts["region"] == sim.parts["income"] == 0.0  # three income steps away
    assert sim.parts["governance"] == 0.0  # 1.9 points apart on average
    assert sim.parts["gdp"] < 0.1
    assert sim.total < 0.15


def test_unknown_income_group_gives_no_income_similarity():
    assert similarity(REFORMER, COUNTRIES["XEE"]).parts["income"] == 0.0
    assert similarity(COUNTRIES["XEE"], REFORMER).parts["income"] == 0.0
    assert similarity(COUNTRIES["XEE"], COUNTRIES["XEE"]).parts["income"] == 0.0


def test_missing_indicators_count_as_no_similarity_not_as_an_error():
    bare = profile("XGG", population=None, gdp_per_capita=None, governance=(None,) * 6)

    sim = similarity(REFORMER, bare)

    assert (sim.parts["governance"], sim.parts["gdp"], sim.parts["population"]) == (0, 0, 0)
    assert sim.total == pytest.approx(0.30 + 0.25)


# --- Ranking ----------------------------------------------------------------------------

BO = {"beneficial-ownership": 1.0}


def test_own_country_is_never_a_peer():
    hits = [hit("XAA", outcome=1.0), hit("XBB")]

    assert ranked(hits, areas=BO) == ["XBB"]


def test_no_evidence_means_no_peer():
    """XBB is the reformer's twin but has nothing on the reform; XCC is unlike it but has."""
    assert ranked([hit("XCC")], areas=BO) == ["XCC"]
    assert ranked([], areas=BO) == []


def test_evidence_on_other_areas_makes_no_peer_whatever_its_words():
    """A twin's commitment that shares the goal's words but not its area is no evidence."""
    lobbying = hit("XBB", title="Beneficial ownership of lobbying firms", themes=("lobbying",))

    assert ranked([hit("XCC"), lobbying], areas=BO) == ["XCC"]


def test_evidence_counts_fully_when_tagged_with_the_area_even_if_its_words_differ():
    hits = [hit("XBB", title="Register of persons with significant control", coverage=0.0)]

    (peer,) = match_peers(REFORMER, hits, COUNTRIES, areas=BO)

    assert peer.relevance == pytest.approx(1.0)


def test_unknown_countries_and_documents_without_a_country_are_ignored():
    hits = [hit("XZZ"), hit("", doc_id="course-1"), hit("XDD")]

    assert ranked(hits, areas=BO) == ["XDD"]


def test_among_peers_with_the_same_evidence_the_similar_context_ranks_first():
    hits = [hit(iso3) for iso3 in ("XCC", "XFF", "XDD", "XBB")]

    assert ranked(hits, areas=BO) == ["XBB", "XDD", "XFF", "XCC"]


def test_the_goal_main_area_outweighs_context():
    """A twin with evidence on a side area of the goal ranks below a distant country that
    did the reform itself."""
    areas = {"beneficial-ownership": 1.0, "private-sector": 0.6}
    hits = [hit("XBB", themes=("private-sector",)), hit("XCC")]

    assert ranked(hits, areas=areas) == ["XCC", "XBB"]


def test_a_completed_reform_outranks_a_barely_started_one_in_a_similar_country():
    hits = [hit("XBB", outcome=0.2), hit("XFF", outcome=0.9)]

    peers = match_peers(REFORMER, hits, COUNTRIES, areas=BO)

    assert [peer.country.iso3 for peer in peers] == ["XFF", "XBB"]
    assert peers[0].outcome == pytest.approx(0.9)
    assert peers[1].outcome == pytest.approx(0.2)


def test_many_documents_on_a_side_area_do_not_add_up_to_the_reform():
    areas = {"beneficial-ownership": 1.0, "private-sector": 0.5}
    side = [hit("XBB", n, themes=("private-sector",)) for n in range(1, 9)]

    (peer,) = match_peers(REFORMER, side, COUNTRIES, areas=areas)

    assert peer.relevance == pytest.approx(0.5**2)  # an area read at c counts c²
    assert len(peer.evidence) == 5


def test_evidence_on_two_areas_of_the_goal_adds_up_with_diminishing_returns():
    areas = {"education": 1.0, "budget-publication": 0.5}
    both = [hit("XBB", 1, themes=("education",)), hit("XBB", 2, themes=("budget-publication",))]
    almost = {"education": 0.8, "budget-publication": 0.5}

    assert match_peers(REFORMER, both, COUNTRIES, areas=areas)[0].relevance == 1.0
    assert match_peers(REFORMER, both, COUNTRIES, areas=almost)[0].relevance == pytest.approx(
        1 - (1 - 0.8**2) * (1 - 0.5**2)
    )


def test_a_long_title_neither_helps_nor_hurts():
    countries = {**COUNTRIES, "XGG": profile("XGG")}  # another twin of the reformer
    short = hit("XBB", title="BO register")
    long = hit("XGG", title="Establish " + "a public register of beneficial owners " * 8)

    peers = match_peers(REFORMER, [short, long], countries, areas=BO)

    assert peers[0].score == peers[1].score


def test_scores_do_not_move_when_unrelated_content_is_added():
    before = match_peers(REFORMER, [hit("XBB"), hit("XFF")], COUNTRIES, areas=BO)
    unrelated = [hit("XCC", n, score=999.0, themes=("open-justice",)) for n in range(1, 20)]
    after = match_peers(REFORMER, [hit("XBB"), hit("XFF"), *unrelated], COUNTRIES, areas=BO)

    assert [(p.country.iso3, p.score) for p in after] == [(p.country.iso3, p.score) for p in before]


def test_a_sample_case_study_weighs_less_than_an_irm_verified_completed_commitment():
    sample = hit(
        "XBB",
        doc_id="casestudy-1",
        type="casestudy",
        outcome=1.0,  # "implemented"
        details={
            "status": "implemented",
            "period_start": 2016,
            "period_end": 2019,
            "sample": True,
        },
    )
    verified = hit("XDD", outcome=0.6)  # complete, "did it open government" not assessed

    peers = match_peers(REFORMER, [sample, verified], COUNTRIES, areas=BO)

    assert [peer.country.iso3 for peer in peers] == ["XDD", "XBB"]
    by_country = {peer.country.iso3: peer for peer in peers}
    assert by_country["XBB"].outcome == pytest.approx(0.5)
    assert by_country["XDD"].outcome == pytest.approx(0.6)


def test_a_reform_record_counts_below_a_completed_commitment_and_above_nothing():
    record = hit(
        "XBB",
        doc_id="reform-1",
        type="reform",
        title="Publishes open contracting data (OCDS): Public Procurement Authority",
        outcome=0.9,
        year=2017,
        details={"kind": "ocds-publisher", "source": "Open Contracting Partnership"},
    )

    (peer,) = match_peers(REFORMER, [record], COUNTRIES, areas=BO)

    assert peer.outcome == pytest.approx(0.9 * 0.6)
    assert (
        peer.outcome
        < match_peers(REFORMER, [hit("XBB", outcome=0.55)], COUNTRIES, areas=BO)[0].outcome
    )  # an IRM-verified complete commitment, nothing else assessed
    assert peer.reasons[0] == (
        "Publishes open contracting data (OCDS): Public Procurement Authority since 2017"
        " — Open Contracting Partnership"
    )
    assert peer.as_json()["evidence"][0]["type"] == "ocds-publisher"


def test_score_is_exactly_the_product_of_the_components_shown():
    (peer,) = match_peers(REFORMER, [hit("XFF", outcome=0.5)], COUNTRIES, areas=BO)

    context = similarity(REFORMER, COUNTRIES["XFF"]).total
    expected = 100 * 1.0 * (0.2 + 0.8 * 0.5) * (0.5 + 0.5 * context)
    assert peer.score == pytest.approx(expected)
    parts = peer.as_json()["components"]
    product = 100 * parts["relevance"] * parts["outcome"] * parts["context"]
    assert product == pytest.approx(peer.as_json()["score"], abs=0.06)


def test_without_areas_only_documents_answering_most_of_the_goal_count():
    hits = [hit("XBB", coverage=0.4), hit("XCC", coverage=0.8)]

    peers = match_peers(REFORMER, hits, COUNTRIES, areas={})

    assert [peer.country.iso3 for peer in peers] == ["XCC"]
    assert peers[0].relevance == pytest.approx(0.64)


def test_limit_caps_the_peers():
    hits = [hit(iso3) for iso3 in ("XBB", "XCC", "XDD", "XFF")]

    assert ranked(hits, areas=BO, limit=2) == ["XBB", "XDD"]


def test_every_peer_has_reasons_and_evidence():
    hits = [hit("XBB", 1), hit("XBB", 2), hit("XBB", 3), hit("XCC"), hit("XEE", outcome=0.0)]
    names = {"beneficial-ownership": "Beneficial ownership"}

    peers = match_peers(REFORMER, hits, COUNTRIES, areas=BO, area_names=names)

    assert {peer.country.iso3 for peer in peers} == {"XBB", "XCC", "XEE"}
    for peer in peers:
        assert peer.reasons and peer.evidence
        assert all(evidence.hit.country == peer.country.iso3 for evidence in peer.evidence)
    twin = peers[0]
    assert twin.reasons[0].startswith("Beneficial ownership register XBB")
    assert "IRM: complete, opened government: major" in twin.reasons[0]
    assert "On Beneficial ownership: 3 IRM-rated commitments" in twin.reasons
    assert "Same region: Sub-Saharan Africa" in twin.reasons
    assert "Same income group: lower middle income" in twin.reasons


def test_reasons_name_neighbouring_income_groups_and_case_study_status():
    case_study = hit(
        "XFF",
        doc_id="casestudy-1",
        type="casestudy",
        title="Company register opened",
        details={"status": "implemented", "period_start": 2016, "period_end": 2019},
    )

    (peer,) = match_peers(REFORMER, [case_study], COUNTRIES, areas=BO)

    assert peer.reasons[0] == "Case study: Company register opened (implemented, 2016–2019)"
    assert "Neighbouring income group: upper middle income" in peer.reasons
    assert not any(reason.startswith("Same region") for reason in peer.reasons)


def test_a_case_study_reason_says_its_years_in_the_readers_language():
    ongoing = hit(
        "XFF",
        doc_id="casestudy-1",
        type="casestudy",
        title="Company register opened",
        details={"status": "in-progress", "period_start": 2021, "period_end": None},
    )

    (peer,) = match_peers(REFORMER, [ongoing], COUNTRIES, areas=BO)

    assert "2021–ongoing" in peer.reasons[0]  # English for the API and the command line
    with translation.override("fr"):
        assert "2021–en cours" in say(peer.reasons[0])
    with translation.override("es"):
        assert "2021–en curso" in say(peer.reasons[0])


def test_a_sample_case_study_says_so_in_the_reason():
    case_study = hit(
        "XFF",
        doc_id="casestudy-1",
        type="casestudy",
        title="Company register opened",
        details={
            "status": "implemented",
            "period_start": 2016,
            "period_end": 2019,
            "sample": True,
        },
    )

    (peer,) = match_peers(REFORMER, [case_study], COUNTRIES, areas=BO)

    assert "sample case study" in peer.reasons[0]
    assert peer.as_json()["evidence"][0]["sample"] is True


def test_unclassified_income_group_gives_no_income_reason():
    (peer,) = match_peers(REFORMER, [hit("XEE")], COUNTRIES, areas=BO)

    assert not any("income group" in reason for reason in peer.reasons)
    assert peer.as_json()["country"]["income_group"] is None


def test_peer_json_has_the_api_shape():
    (peer,) = match_peers(REFORMER, [hit("XBB")], COUNTRIES, areas=BO)

    data = peer.as_json()

    assert set(data) >= {"country", "score", "reasons", "evidence"}
    assert data["country"] == {
        "iso3": "XBB",
        "name": "Testland XBB",
        "region": AFRICA,
        "income_group": LOWER_MIDDLE,
    }
    (evidence,) = data["evidence"]
    assert set(evidence) >= {"title", "url", "type", "year", "themes", "irm"}
    assert evidence["themes"] == ["beneficial-ownership"]


# --- Real data: find_peers over the embedded index --------------------------------------


ACCESS_TO_INFORMATION = {"right-to-information", "access-to-information-parliament"}


def evidence_themes(peer) -> set[str]:
    return {theme for evidence in peer.evidence for theme in evidence.hit.themes}


@pytest.mark.django_db
def test_peer_from_zambia_gets_countries_that_opened_company_ownership(embedded_index):
    result = find_peers("ZMB", "make public who really owns companies")

    assert result.reformer.name == "Zambia"
    assert len(result.peers) >= 5
    top = result.peers[:5]
    for peer in top:
        assert "beneficial-ownership" in evidence_themes(peer), peer.country.name
    with_reform = [p for p in result.peers if "beneficial-ownership" in evidence_themes(p)]
    assert len(with_reform) > len(result.peers) / 2
    assert all(peer.reasons and peer.evidence for peer in result.peers)
    assert any(peer.country.region == AFRICA for peer in top)
    assert any(peer.country.income_group in (LOW, LOWER_MIDDLE) for peer in top)
    assert "ZMB" not in [peer.country.iso3 for peer in result.peers]


@pytest.mark.django_db
def test_peer_from_zambia_prefers_african_peers_for_same_reform(embedded_index):
    result = find_peers("ZMB", "beneficial ownership")

    african = [peer for peer in result.peers if peer.country.region == AFRICA]
    assert african
    assert any("Same region: Sub-Saharan Africa" in peer.reasons for peer in african)
    best_african = min(result.peers.index(peer) for peer in african)
    assert best_african < 3


@pytest.mark.django_db
def test_kenya_asking_for_freedom_of_information_gets_right_to_information_peers(
    embedded_index,
):
    result = find_peers("KEN", "freedom of information")

    assert len(result.peers) >= 5
    codes = [peer.country.iso3 for peer in result.peers]
    assert "KEN" not in codes
    # OGP tags access-to-information commitments of parliaments under their own theme
    # (Morocco's "right to access information" law is one).
    for peer in result.peers:
        assert evidence_themes(peer) & ACCESS_TO_INFORMATION, peer.country.name
    top = [peer.country.iso3 for peer in result.peers[:5]]
    assert any(peer.country.region == AFRICA for peer in result.peers[:5]), top


@pytest.mark.django_db
def test_own_country_is_never_returned_even_with_its_own_case_study(embedded_index):
    """Kenya has a sample case study on its Access to Information Act."""
    result = find_peers("KEN", "access to information act", limit=50)

    assert result.peers
    assert all(peer.country.iso3 != "KEN" for peer in result.peers)
    assert all(evidence.hit.country != "KEN" for peer in result.peers for evidence in peer.evidence)


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["ZMB", "TCD"])
def test_country_without_commitments_still_gets_peers(embedded_index, country):
    from casestudies.models import Commitment

    assert not Commitment.objects.filter(country__iso3=country).exists()

    result = find_peers(country, "lobbying register")

    assert result.peers
    assert all(peer.evidence for peer in result.peers)


@pytest.mark.django_db
def test_country_without_income_group_gets_peers(embedded_index):
    result = find_peers("ETH", "beneficial ownership")

    assert result.reformer.income_group == ""
    assert result.reformer.as_json()["income_group"] is None
    assert result.peers
    assert not any("income group" in reason for peer in result.peers for reason in peer.reasons)


@pytest.mark.django_db
def test_theme_alone_finds_peers_with_that_theme(embedded_index):
    result = find_peers("ZMB", themes=["beneficial-ownership"])

    assert result.peers
    for peer in result.peers:
        assert all("beneficial-ownership" in e.hit.themes for e in peer.evidence)


@pytest.mark.django_db
def test_two_letter_abbreviations_are_searched_only_when_the_reformer_typed_them(real_data):
    """As an expansion, "bo" found "Belgrade Open School (BOS)": stemming makes BOS "bo"."""
    (expanded,) = parse("make public who really owns companies").groups
    assert "beneficial ownership" in expanded and "who owns companies" in expanded
    assert "bo" not in expanded

    typed = parse("BO register")
    assert typed.themes == ("beneficial-ownership",)
    assert "bo" in typed.groups[0] and "beneficial ownership" in typed.groups[0]
    assert typed.words == ("register",)


@pytest.mark.django_db
def test_bo_for_zambia_does_not_bring_serbia_through_belgrade_open_school(embedded_index):
    result = find_peers("ZMB", "beneficial ownership", limit=50)

    assert "SRB" not in [peer.country.iso3 for peer in result.peers]


@pytest.mark.django_db
def test_lower_case_country_codes_are_accepted(embedded_index):
    assert find_peers("zmb", "beneficial ownership").reformer.iso3 == "ZMB"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"country": ""}, "country"),
        ({"country": "XYZ"}, "country"),
        ({"country": "Zambia"}, "country"),
        ({"country": "ZMB", "goal": ""}, "q"),
        ({"country": "ZMB", "goal": "how do I"}, "q"),
        ({"country": "ZMB", "goal": "x" * 501}, "q"),
        ({"country": "ZMB", "limit": 0}, "limit"),
        ({"country": "ZMB", "limit": 51}, "limit"),
    ],
)
def test_bad_input_raises_invalid_search_naming_the_parameter(real_data, kwargs, param):
    arguments = {"goal": "beneficial ownership", **kwargs}

    with pytest.raises(InvalidSearch) as error:
        find_peers(**arguments)

    assert error.value.param == param
    assert str(error.value)


SPANISH_SPEAKING = {
    "ARG", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "ESP", "GNQ", "GTM", "HND", "MEX",
    "NIC", "PAN", "PER", "PRY", "SLV", "URY", "VEN",
}  # fmt: skip


@pytest.mark.django_db
def test_a_spanish_goal_from_guatemala_finds_the_reform_in_every_language(embedded_index):
    """Issue 13: Spanish goals mostly returned Spanish-speaking countries, because only
    their commitments shared the words. Read as the reform, the goal finds the countries
    whose evidence is tagged with it, whatever language that evidence is written in."""
    goal = "transparencia sobre los propietarios reales de las empresas"
    result = find_peers("GTM", goal, limit=5)

    assert [area.slug for area in result.understood_as][:1] == ["beneficial-ownership"]
    peers = [peer.country.iso3 for peer in result.peers]
    assert len(peers) == 5
    for peer in result.peers:
        assert all("beneficial-ownership" in e.hit.themes for e in peer.evidence)
    assert len(set(peers) - SPANISH_SPEAKING) >= 3

"""`import_commitments`: IRM-rated OGP commitments, all-or-nothing.

The real file is loaded once per session by `real_data`; bad input is tried on
fixtures/commitments.csv, six real rows of it (AL0063 and KAD0004 span several
lines). Records start on lines 2 (AL0002), 3 (AL0063), 9 (KAD0004), 12
(SCO0001), 13 (UA0037) and 14 (KE0038).
"""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import Commitment, Country

FIXTURE = Path(__file__).parent / "fixtures" / "commitments.csv"
REAL_FILE = Path(settings.DATA_DIR) / "ogp" / "commitments_open_parliament_2024-07.csv"
RATINGS = [
    "specificity",
    "potential_impact",
    "completion_midterm",
    "completion_end_of_term",
    "opened_government",
]
VALUES = [
    "value_access_to_information",
    "value_civic_participation",
    "value_public_accountability",
    "value_technology_innovation",
]


def run(*args) -> str:
    out = StringIO()
    call_command("import_commitments", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_commitments", *args, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def write_commitments(path: Path, edits=None, copies=None) -> Path:
    """The fixture with cells changed ({identifier: {column: value}}) and rows copied.

    `copies` maps a new identifier to the identifier of the row it copies; the
    copies are appended after the fixture's rows.
    """
    with FIXTURE.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    for new_identifier, identifier in (copies or {}).items():
        copy = list(next(row for row in rows if row[0] == identifier))
        copy[0] = new_identifier
        rows.append(copy)
    for row in rows:
        for column, value in (edits or {}).get(row[0], {}).items():
            row[header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\r\n").writerows([header, *rows])
    return path


def snapshot():
    return list(Commitment.objects.order_by("identifier").values_list("identifier", "title"))


# The real file


@pytest.mark.django_db
def test_real_file_imports_all_558_commitments(real_data):
    assert Commitment.objects.count() == 558
    assert Commitment.objects.values("country").distinct().count() == 69


@pytest.mark.django_db
def test_reimporting_the_real_file_reports_every_commitment_unchanged(real_data):
    out = run()

    assert "Commitments: 0 created, 0 updated, 558 unchanged" in out
    assert Commitment.objects.count() == 558


@pytest.mark.django_db
def test_known_commitment_has_the_fields_and_irm_ratings_of_its_row(real_data):
    commitment = Commitment.objects.get(identifier="AL0002")

    assert commitment.title == "e-Acts"
    assert commitment.country.iso3 == "ALB"
    assert (commitment.member_name, commitment.jurisdiction) == ("Albania", "")
    assert commitment.ogp_region == "Europe"
    assert (commitment.action_plan_id, commitment.action_plan_number) == ("AP_ALB01", 1)
    assert (commitment.plan_start_year, commitment.plan_end_year) == (2012, 2014)
    assert commitment.commitment_number == "2"
    assert commitment.lead_institution == "Council of Ministers"
    assert commitment.supporting_institutions == "National Agency for Information Society"
    assert commitment.source_url == (
        "https://opengovpartnership.org/members/albania/commitments/al0002"
    )
    assert [getattr(commitment, name) for name in VALUES] == [True, False, True, True]
    assert [getattr(commitment, name) for name in RATINGS] == [
        "medium",
        "moderate",
        "substantial",
        None,  # ND at the end of term
        None,
    ]
    assert not commitment.starred
    assert "open-parliaments" in set(commitment.themes.values_list("slug", flat=True))


@pytest.mark.django_db
def test_fully_rated_commitment_keeps_every_irm_rating(real_data):
    commitment = Commitment.objects.get(identifier="UA0037")

    assert commitment.title == "Access to Communist-Era Archives"
    assert commitment.country.iso3 == "UKR"
    assert [getattr(commitment, name) for name in RATINGS] == [
        "high",
        "transformative",
        "complete",
        "complete",
        "outstanding",
    ]
    assert commitment.starred


@pytest.mark.django_db
def test_not_assessed_ratings_are_stored_as_unknown_never_as_zero(real_data):
    not_reviewed = Commitment.objects.get(identifier="KE0038")  # NR in every rating column
    no_data = Commitment.objects.get(identifier="PNG0006")  # ND values, rated ambition

    assert [getattr(not_reviewed, name) for name in RATINGS + VALUES] == [None] * 9
    assert not not_reviewed.is_assessed
    assert [getattr(no_data, name) for name in VALUES] == [None] * 4
    assert no_data.relevant is None
    assert no_data.potential_impact == "minor"
    # 288 ND + 58 NR specificity ratings in the file; never an empty string or a "none".
    assert Commitment.objects.filter(specificity__isnull=True).count() == 346
    assert not Commitment.objects.filter(specificity="").exists()
    assert Commitment.objects.filter(specificity="none").count() == 2


@pytest.mark.django_db
def test_starred_follows_the_irm_definition(real_data):
    for commitment in Commitment.objects.all():
        assert commitment.starred == commitment.compute_starred(), commitment.identifier
    # Transformative but only limited progress; specific and complete but moderate.
    assert not Commitment.objects.get(identifier="MN0026").starred
    assert not Commitment.objects.get(identifier="MW0001").starred


@pytest.mark.django_db
def test_starred_agrees_with_the_irm_own_star_where_specificity_was_rated(real_data):
    with REAL_FILE.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    starred = dict(Commitment.objects.values_list("identifier", "starred"))
    rated = [row for row in rows if row["Specificity"] not in {"ND", "NR"}]

    disagreements = [
        row["Commitment Unique Identifier"]
        for row in rated
        if starred[row["Commitment Unique Identifier"]] != (row["Max star"] == "1")
    ]

    assert len(rated) == 212
    assert disagreements == []
    assert sum(starred.values()) == 35


@pytest.mark.django_db
def test_local_members_are_linked_to_their_country_with_the_jurisdiction(real_data):
    kaduna = Commitment.objects.get(identifier="KAD0004")
    scotland = Commitment.objects.get(identifier="SCO0001")

    assert (kaduna.country.iso3, kaduna.jurisdiction) == ("NGA", "Kaduna State")
    assert kaduna.member_name == "Kaduna State, Nigeria"
    assert (scotland.country.iso3, scotland.jurisdiction) == ("GBR", "Scotland")
    assert Commitment.objects.exclude(jurisdiction="").count() == 10


@pytest.mark.django_db
def test_countries_keep_their_ogp_region_and_first_plan_year_in_the_irm_data(real_data):
    kenya = Country.objects.get(iso3="KEN")
    uk = Country.objects.get(iso3="GBR")

    assert (kenya.ogp_first_plan_year, kenya.ogp_region) == (2016, "Africa and the Middle East")
    assert (uk.ogp_first_plan_year, uk.ogp_region) == (2013, "Europe")
    assert Country.objects.get(iso3="NGA").ogp_first_plan_year == 2017
    ethiopia = Country.objects.get(iso3="ETH")
    assert (ethiopia.ogp_first_plan_year, ethiopia.ogp_region) == (None, "")
    assert Country.objects.filter(ogp_first_plan_year__isnull=False).count() == 69


@pytest.mark.django_db
def test_commitments_do_not_decide_ogp_membership(real_data):
    Country.objects.filter(iso3="KEN").update(ogp_member=False, ogp_status="withdrawn")

    run()

    # South Africa, a founder, has no commitments in the export and stays a member;
    # Kenya has commitments, yet the import leaves its membership as the members file set it.
    south_africa = Country.objects.get(iso3="ZAF")
    assert (south_africa.ogp_member, south_africa.ogp_first_plan_year) == (True, None)
    kenya = Country.objects.get(iso3="KEN")
    assert (kenya.ogp_member, kenya.ogp_status, kenya.ogp_year_joined) == (
        False,
        "withdrawn",
        2011,
    )


# Updates


@pytest.mark.django_db
def test_reimport_updates_a_changed_title_without_duplicating(real_data, tmp_path):
    path = write_commitments(
        tmp_path / "commitments.csv", {"AL0002": {"Commitment Title": "e-Acts (renamed)"}}
    )

    out = run(str(path))

    assert "Commitments: 0 created, 1 updated, 5 unchanged" in out
    assert Commitment.objects.get(identifier="AL0002").title == "e-Acts (renamed)"
    assert Commitment.objects.count() == 558


@pytest.mark.django_db
def test_new_commitment_is_created_with_its_ratings_and_themes(real_data, tmp_path):
    path = write_commitments(tmp_path / "commitments.csv", copies={"AL9999": "AL0002"})

    out = run(str(path))

    assert "Commitments: 1 created, 0 updated, 6 unchanged" in out
    new, original = (
        Commitment.objects.get(identifier="AL9999"),
        Commitment.objects.get(identifier="AL0002"),
    )
    assert [getattr(new, name) for name in RATINGS] == [getattr(original, name) for name in RATINGS]
    assert set(new.themes.all()) == set(original.themes.all())
    assert Commitment.objects.count() == 559


# Bad input


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param(
            {"AL0002": {"Commitment Unique Identifier": ""}},
            "commitments.csv:2: invalid commitment identifier ''",
            id="missing-identifier",
        ),
        pytest.param(
            {"AL0002": {"Commitment Unique Identifier": "al-0002"}},
            "commitments.csv:2: invalid commitment identifier 'al-0002'",
            id="invalid-identifier",
        ),
        pytest.param(
            {"SCO0001": {"Code": "ATL", "Country/Locality": "Atlantis"}},
            "commitments.csv:12: unknown country: code 'ATL', member 'Atlantis' "
            "(import countries first?)",
            id="unknown-country",
        ),
        pytest.param(
            {"KAD0004": {"Country/Locality": "Kaduna State, Narnia"}},
            "commitments.csv:9: unknown country: code 'NGKD', member 'Kaduna State, Narnia' "
            "(import countries first?)",
            id="unknown-country-of-a-local-member",
        ),
        pytest.param(
            {"AL0063": {"Potential Impact": "Huge"}},
            "commitments.csv:3: Potential Impact: unknown value 'Huge'",
            id="unknown-rating-on-a-row-spanning-lines",
        ),
        pytest.param(
            {"UA0037": {"Did It Open Government (Overall)": "Somewhat"}},
            "commitments.csv:13: Did It Open Government (Overall): unknown value 'Somewhat'",
            id="unknown-outcome",
        ),
        pytest.param(
            {"KAD0004": {"Year Of Submission": "2O18"}},
            "commitments.csv:9: Year Of Submission: '2O18' is not a year",
            id="bad-year",
        ),
        pytest.param(
            {"KE0038": {"Year Of Submission": "ND"}},
            "commitments.csv:14: Year Of Submission: missing year",
            id="missing-year",
        ),
        pytest.param(
            {"AL0002": {"Action Plan End Year": "2010"}},
            "commitments.csv:2: Action Plan End Year 2010 is before Year Of Submission 2012",
            id="end-year-before-start-year",
        ),
        pytest.param(
            {"UA0037": {"OGP Value Technology": "yes"}},
            "commitments.csv:13: OGP Value Technology: expected 0 or 1, got 'yes'",
            id="bad-value-flag",
        ),
        pytest.param(
            {"AL0002": {"Open Parliaments": "2"}},
            "commitments.csv:2: Open Parliaments: expected 0 or 1, got '2'",
            id="bad-theme-flag",
        ),
        pytest.param(
            {"AL0002": {"URL": "javascript:alert(1)"}},
            "commitments.csv:2: URL: 'javascript:alert(1)' is not a web address",
            id="bad-url",
        ),
        pytest.param(
            {"AL0002": {"URL": "https://opengovpartnership.org/" + "a" * 300}},
            "commitments.csv:2: URL is longer than 300 characters",
            id="url-too-long",
        ),
        pytest.param(
            {"AL0002": {"Commitment Title": " "}},
            "commitments.csv:2: missing Commitment Title",
            id="missing-title",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    real_data, tmp_path, edits, expected
):
    # A good change in the same file must not be saved either.
    edits = {**edits, "KE0038": {**edits.get("KE0038", {}), "Commitment Title": "Not saved"}}
    path = write_commitments(tmp_path / "commitments.csv", edits)
    before = snapshot()

    problems = run_failing(str(path))

    assert problems == [expected]
    assert snapshot() == before


@pytest.mark.django_db
def test_duplicate_identifier_is_reported_with_both_lines(real_data, tmp_path):
    path = write_commitments(
        tmp_path / "commitments.csv", {"SCO0001": {"Commitment Unique Identifier": "AL0002"}}
    )

    assert run_failing(str(path)) == [
        "commitments.csv:12: duplicate identifier AL0002 (first on line 2)"
    ]


@pytest.mark.django_db
def test_duplicate_of_a_bad_row_is_reported_too(real_data, tmp_path):
    path = write_commitments(
        tmp_path / "commitments.csv",
        {
            "AL0002": {"Specificity": "Very high"},
            "SCO0001": {"Commitment Unique Identifier": "AL0002"},
        },
    )

    assert run_failing(str(path)) == [
        "commitments.csv:2: Specificity: unknown value 'Very high'",
        "commitments.csv:12: duplicate identifier AL0002 (first on line 2)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            ",AP_GBSC01,",
            ",AP_GBSC01,extra,",
            "commitments.csv:12: more values than columns",
            id="too-many-values",
        ),
        pytest.param(
            ",AP_GBSC01,5044",
            ",AP_GBSC01",
            "commitments.csv:12: fewer values than columns",
            id="too-few-values",
        ),
    ],
)
@pytest.mark.django_db
def test_row_of_the_wrong_length_is_reported(real_data, tmp_path, old, new, expected):
    text = FIXTURE.read_bytes().decode("utf-8")
    assert text.count(old) == 1
    path = tmp_path / "commitments.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    before = snapshot()

    assert run_failing(str(path)) == [expected]
    assert snapshot() == before


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_the_header_line(real_data, tmp_path):
    text = FIXTURE.read_bytes().decode("utf-8")
    path = tmp_path / "commitments.csv"
    path.write_text(text.replace(",Specificity,", ",Specifity,", 1), encoding="utf-8", newline="")

    assert run_failing(str(path)) == ["commitments.csv:1: missing column(s): Specificity"]


@pytest.mark.django_db
def test_every_bad_row_is_reported_in_one_run(real_data, tmp_path):
    path = write_commitments(
        tmp_path / "commitments.csv",
        {
            "AL0002": {"Year Of Submission": "1999", "URL": "ogp.org/al0002"},
            "KAD0004": {"Completion (End Of Term)": "Halfway"},
            "KE0038": {"Commitment Unique Identifier": "KE 38"},
        },
    )

    problems = run_failing(str(path))

    assert problems == [
        "commitments.csv:2: URL: 'ogp.org/al0002' is not a web address",
        "commitments.csv:2: Year Of Submission: '1999' is not a year",
        "commitments.csv:9: Completion (End Of Term): unknown value 'Halfway'",
        "commitments.csv:14: invalid commitment identifier 'KE 38'",
    ]


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_leaves_the_database_unchanged(real_data, tmp_path):
    path = write_commitments(
        tmp_path / "commitments.csv",
        {
            "AL0002": {"Commitment Title": "Renamed"},
            "UA0037": {"Specificity": "Extreme"},
        },
        copies={"AL9999": "AL0002"},
    )
    before = snapshot()
    irm_facts = list(Country.objects.values_list("iso3", "ogp_first_plan_year", "ogp_region"))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_commitments", str(path), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        "commitments.csv:13: Specificity: unknown value 'Extreme'"
    ]
    assert "created" not in out.getvalue()
    assert snapshot() == before
    assert not Commitment.objects.filter(identifier="AL9999").exists()
    assert Commitment.objects.get(identifier="AL0002").title == "e-Acts"
    assert (
        list(Country.objects.values_list("iso3", "ogp_first_plan_year", "ogp_region")) == irm_facts
    )


@pytest.mark.django_db
def test_missing_file_is_reported(real_data, tmp_path):
    path = tmp_path / "nowhere.csv"

    assert run_failing(str(path)) == [f"nowhere.csv:0: file not found: {path}"]

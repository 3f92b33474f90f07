"""`import_countries`: World Bank classification, population, GDP per capita and WGI.

The real files are loaded once per session by the `real_data` fixture; bad input
is tried on the small files in fixtures/countries/, whose made-up economies use
Q-codes so they never meet the real ones.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import Country

FIXTURES = Path(__file__).parent / "fixtures" / "countries"
TEST_CODES = ["QAA", "QAB", "QAC", "QZZ"]
WGI_FIELDS = [
    "voice_accountability",
    "political_stability",
    "government_effectiveness",
    "regulatory_quality",
    "rule_of_law",
    "control_of_corruption",
]


def run(*args, **options) -> str:
    out = StringIO()
    call_command("import_countries", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def run_failing(*args, **options) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_countries", *args, stdout=StringIO(), stderr=err, **options)
    return err.getvalue().splitlines()


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """Copies of the small fixture files, to be spoiled one test at a time."""
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return {name: tmp_path / f"{name}.csv" for name in ("metadata", "population", "gdp", "wgi")}


def options(files) -> dict:
    return {name: str(path) for name, path in files.items()}


def replace(path: Path, old: str, new: str, encoding="utf-8-sig"):
    text = path.read_text(encoding=encoding)
    assert old in text
    path.write_text(text.replace(old, new), encoding=encoding)


# The real files


@pytest.mark.django_db
def test_real_files_import_217_economies_and_skip_aggregates(real_data):
    assert Country.objects.count() == 217
    assert not Country.objects.filter(iso3__in=["WLD", "AFE", "SSF", "HIC", "EUU"]).exists()
    assert not Country.objects.filter(region="").exists()


@pytest.mark.django_db
def test_kenya_has_its_world_bank_context_with_the_year_of_each_figure(real_data):
    kenya = Country.objects.get(iso3="KEN")

    assert kenya.name == "Kenya"
    assert kenya.region == "Sub-Saharan Africa"
    assert kenya.income_group == "Lower middle income"
    assert kenya.population == 56_432_944
    assert kenya.population_year == 2024
    assert kenya.gdp_per_capita == pytest.approx(2099.30, abs=0.01)
    assert kenya.gdp_per_capita_year == 2022
    assert kenya.wgi_year == 2022
    estimates = [getattr(kenya, name) for name in WGI_FIELDS]
    assert estimates == pytest.approx(
        [-0.2088, -0.9431, -0.3006, -0.3808, -0.3220, -0.7597], abs=1e-4
    )


@pytest.mark.django_db
def test_ethiopia_and_venezuela_have_no_income_group_rather_than_a_guess(real_data):
    unclassified = Country.objects.filter(income_group="").order_by("iso3")
    assert list(unclassified.values_list("iso3", flat=True)) == ["ETH", "VEN"]
    assert set(Country.objects.values_list("income_group", flat=True)) == {
        "",
        "Low income",
        "Lower middle income",
        "Upper middle income",
        "High income",
    }


@pytest.mark.django_db
def test_latin1_population_file_gives_every_economy_its_population(real_data):
    population_file = settings.DATA_DIR / "country" / "wb_population_1960-2024.csv"
    assert population_file.read_bytes()[:1] == b"\xff"  # not valid UTF-8: read as Latin-1
    assert not Country.objects.filter(population__isnull=True).exists()
    assert Country.objects.get(iso3="CIV").population_year == 2024


@pytest.mark.django_db
def test_governance_estimate_older_than_the_wgi_year_is_left_empty(real_data):
    """Bermuda's voice and accountability stops in 2013: not shown as a 2022 figure."""
    bermuda = Country.objects.get(iso3="BMU")
    assert bermuda.wgi_year == 2022
    assert bermuda.voice_accountability is None
    assert all(getattr(bermuda, name) is not None for name in WGI_FIELDS[1:])


@pytest.mark.django_db
def test_reimporting_the_real_files_changes_nothing(real_data):
    out = run()

    assert "Countries: 0 created, 0 updated, 217 unchanged" in out
    assert Country.objects.count() == 217


@pytest.mark.django_db
def test_reimport_updates_a_changed_value_without_duplicating(real_data, tmp_path):
    population = tmp_path / "population.csv"
    text = settings.DATA_DIR.joinpath("country", "wb_population_1960-2024.csv").read_bytes()
    kenya_2024 = b'"55339003","56432944",'
    assert text.count(kenya_2024) == 1
    population.write_bytes(text.replace(kenya_2024, b'"55339003","56500000",'))

    out = run(population=str(population))

    assert "Countries: 0 created, 1 updated, 216 unchanged" in out
    assert Country.objects.get(iso3="KEN").population == 56_500_000
    assert Country.objects.count() == 217


# Small files


@pytest.mark.django_db
def test_small_files_import_each_economy_with_its_latest_figures(files):
    out = run(**options(files))

    assert "Countries: 3 created, 0 updated" in out
    assert not Country.objects.filter(iso3="QZZ").exists()  # the aggregate
    testland = Country.objects.get(iso3="QAA")
    assert (testland.name, testland.region, testland.income_group) == (
        "Testland",
        "Sub-Saharan Africa",
        "Low income",
    )
    assert (testland.population, testland.population_year) == (1200, 2024)
    assert (testland.gdp_per_capita, testland.gdp_per_capita_year) == (700.25, 2022)
    assert testland.wgi_year == 2022
    assert [getattr(testland, name) for name in WGI_FIELDS] == [
        -0.01,
        -0.11,
        -0.21,
        -0.31,
        -0.41,
        -0.51,
    ]


@pytest.mark.django_db
def test_missing_latest_values_fall_back_to_the_last_year_with_data(files):
    run(**options(files))

    cote = Country.objects.get(iso3="QAB")
    assert cote.name == "Côte de Test"
    assert cote.income_group == ""
    assert (cote.population, cote.population_year) == (2100, 2023)
    assert (cote.gdp_per_capita, cote.gdp_per_capita_year) == (1500.5, 2021)
    assert cote.wgi_year == 2022
    assert cote.voice_accountability is None  # its latest estimate is from 2021
    assert cote.control_of_corruption == 0.52
    upper = Country.objects.get(iso3="QAC")
    assert upper.gdp_per_capita is None and upper.gdp_per_capita_year is None
    assert upper.wgi_year is None and upper.rule_of_law is None


@pytest.mark.django_db
def test_reimport_of_small_files_updates_in_place(files):
    run(**options(files))
    replace(files["gdp"], '"650.5","700.25"', '"650.5","712.5"')

    out = run(**options(files))

    assert "Countries: 0 created, 1 updated, 2 unchanged" in out
    assert Country.objects.get(iso3="QAA").gdp_per_capita == 712.5
    assert Country.objects.filter(iso3__in=TEST_CODES).count() == 3


@pytest.mark.parametrize(
    ("file", "old", "new", "encoding", "expected"),
    [
        pytest.param(
            "metadata",
            "QAC,Europe",
            "Q4C,Europe",
            "utf-8-sig",
            "metadata.csv:6: country code 'Q4C' is not ISO alpha-3",
            id="bad-code-after-a-row-spanning-two-lines",
        ),
        pytest.param(
            "metadata",
            "Low income",
            "Lowish income",
            "utf-8-sig",
            "metadata.csv:2: unknown income group 'Lowish income'",
            id="unknown-income-group",
        ),
        pytest.param(
            "metadata",
            "Latin America & Caribbean,,",
            "Latin America & Caribbean,Middle income,",
            "utf-8-sig",
            "metadata.csv:3: unknown income group 'Middle income'",
            id="row-spanning-two-lines-reported-on-its-first",
        ),
        pytest.param(
            "population",
            '"1100","1200"',
            '"1100","1.2 million"',
            "latin-1",
            "population.csv:6: 2024: '1.2 million' is not a number",
            id="population-not-a-number",
        ),
        pytest.param(
            "wgi",
            '"RQ.EST","-0.35","-0.31"',
            '"RQ.EST","-0.35","n/a"',
            "utf-8-sig",
            "wgi.csv:5: 2022: 'n/a' is not a number",
            id="wgi-not-a-number",
        ),
        pytest.param(
            "wgi",
            '"CC.EST","0.51","0.52"',
            '"CC.EST","0.51","5.2"',
            "utf-8-sig",
            "wgi.csv:14: estimate 5.2 out of range",
            id="wgi-out-of-range",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_row_is_reported_with_file_and_line_and_nothing_is_written(
    files, file, old, new, encoding, expected
):
    before = Country.objects.count()
    replace(files[file], old, new, encoding=encoding)

    problems = run_failing(**options(files))

    assert problems == [expected]
    assert Country.objects.count() == before
    assert not Country.objects.filter(iso3__in=TEST_CODES).exists()


@pytest.mark.django_db
def test_every_bad_row_in_every_file_is_reported_in_one_run(files):
    before = Country.objects.count()
    replace(files["metadata"], "QAC,Europe", "qac,Europe")
    replace(files["metadata"], "Low income", "Poor")
    replace(files["population"], '"2000","2100"', '"2000","21OO"', encoding="latin-1")
    replace(files["wgi"], '"VA.EST","-0.05","-0.01"', '"VA.EST","-0.05","x"')
    replace(files["wgi"], '"GE.EST","0.21","0.22"', '"GE.EST","0.21","--"')

    problems = run_failing(**options(files))

    assert problems == [
        "metadata.csv:2: unknown income group 'Poor'",
        "metadata.csv:6: country code 'qac' is not ISO alpha-3",
        "population.csv:7: 2023: '21OO' is not a number",
        "wgi.csv:2: 2022: 'x' is not a number",
        "wgi.csv:11: 2022: '--' is not a number",
    ]
    assert Country.objects.count() == before


@pytest.mark.django_db
def test_missing_file_is_reported_and_nothing_is_written(files):
    files["gdp"].unlink()

    problems = run_failing(**options(files))

    assert problems == [f"gdp.csv:0: file not found: {files['gdp']}"]
    assert not Country.objects.filter(iso3__in=TEST_CODES).exists()

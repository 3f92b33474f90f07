"""Hostile or damaged input to every importer: a `file:line` report, never a traceback.

Each test feeds one importer a file that once crashed it, exhausted memory or stored
garbage (YAML aliases and deep nesting, a NUL byte, a Windows-1252 file, a CSV value
past csv's field limit, superscript digits, a mapping where text belongs) and checks
the report names the file and the line, and that nothing was written.
"""

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import (
    CaseStudyPage,
    Commitment,
    Country,
    ReformRecord,
    ReformSource,
    Theme,
)
from exchange.core.importing import yaml_lines
from exchange.core.importing.base import ImportFailed, decode_text
from learning.fellowships.importer import import_fellowships
from learning.models import CoursePage, FellowshipPage

HERE = Path(__file__).parent
CASE_STUDIES = HERE / "fixtures" / "case_studies"
KADUNA = "kaduna-open-budget.md"
COMMITMENTS = HERE / "fixtures" / "commitments.csv"
MEMBERS = Path(settings.DATA_DIR) / "ogp" / "ogp_national_members_2026-12.csv"
OPEN_CONTRACTING = Path(settings.DATA_DIR) / "open_contracting" / "oc-status"
OCP = ReformSource.OPEN_CONTRACTING.value
SAMPLE_FELLOWSHIPS = settings.BASE_DIR / "learning" / "sample_content" / "fellowships"

# Five levels of ten-fold aliases: harmless if expanded (10^5 items), so a broken guard
# fails this test by its message rather than by exhausting the machine's memory.
LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcd", "bcde", strict=True)
)
DEEP_FLOW = "[" * 5000 + "]" * 5000
# Every test may touch the database: the shared cache that the autouse fixture clears
# lives there unless REDIS_URL is set.
pytestmark = pytest.mark.django_db

CP1252 = "Participación \u201cciudadana\u201d".encode("cp1252")  # curly quotes: 0x93, 0x94


def failing(command, *args, **options) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(command, *args, stdout=StringIO(), stderr=err, **options)
    return err.getvalue().splitlines()


# The shared loader --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        pytest.param(LAUGHS, 2, "aliases (*name) are not allowed in test files", id="laughs"),
        pytest.param(
            f"ok: 1\nx: {DEEP_FLOW}\n",
            2,
            "lists and mappings are nested more than 20 levels deep",
            id="deep-flow",
        ),
        pytest.param(
            "".join("  " * depth + "k:\n" for depth in range(25)) + "  " * 25 + "v\n",
            21,
            "lists and mappings are nested more than 20 levels deep",
            id="deep-block",
        ),
        pytest.param(
            'a: 1\nb: "x\\0y"\n',
            2,
            "control character U+0000 is not allowed (only tabs and line breaks are)",
            id="nul-escape",
        ),
        pytest.param(
            'a:\n  - "red \\e[31m"\n',
            2,
            "control character U+001B is not allowed (only tabs and line breaks are)",
            id="escape-code",
        ),
        pytest.param(
            "a: 1\nwhen: 2027-02-30\n",
            2,
            "'2027-02-30' is not a valid date (day is out of range for month)",
            id="impossible-date",
        ),
        pytest.param(
            "a: !!int twelve\n", 1, "'twelve' is not a valid whole number", id="bad-int-tag"
        ),
        pytest.param(
            "a: !!binary aGVsbG8=\n",
            1,
            "!!binary values are not allowed in test files",
            id="binary",
        ),
        pytest.param("? [1, 2]\n: x\n", 1, "a key must be a plain word", id="list-as-key"),
        pytest.param("a: 1\nb: !!map text\n", 2, "expected a mapping", id="map-tag-on-text"),
        pytest.param(
            "a: !!bool maybe\n", 1, "'maybe' is not a valid true or false", id="bad-bool-tag"
        ),
    ],
)
def test_the_loader_refuses_what_content_files_never_need_at_its_line(text, line, reason):
    with pytest.raises(yaml.YAMLError) as error:
        yaml_lines.load(text, what="test files")

    assert str(yaml_lines.problem(error.value, "f.yaml")) == f"f.yaml:{line}: {reason}"


def test_the_loader_keeps_what_content_files_use():
    data = yaml_lines.load('a: &kept [1, 2027-02-01, "x\\ty"]\nb:\n  c: true\n')

    assert data == {"a": [1, dt.date(2027, 2, 1), "x\ty"], "b": {"c": True}}
    assert data.line_of("b") == 2


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(
            b"name\n" + CP1252 + b"\n",
            "f.csv:2: not UTF-8 text: byte 0xf3 at byte position 16 (line 2, column 12); "
            "save the file as UTF-8",
            id="cp1252",
        ),
        pytest.param(
            b"name\nok\nbad\x00byte\n",
            "f.csv:3: control character U+0000 is not allowed (only tabs and line breaks are), "
            "column 4",
            id="nul",
        ),
        pytest.param(
            "name\r\nok\r\n\u0093quoted\u0094\r\n".encode(),
            "f.csv:3: control character U+0093 is not allowed (only tabs and line breaks are), "
            "column 1",
            id="c1-control-in-utf8",
        ),
        pytest.param(
            "name\n".encode("utf-16"), "f.csv:1: UTF-16 text: save the file as UTF-8", id="utf16"
        ),
    ],
)
def test_text_that_is_not_clean_utf8_is_refused_with_file_and_line(raw, reason):
    with pytest.raises(ImportFailed) as failure:
        decode_text(raw, "f.csv")

    assert [str(problem) for problem in failure.value.problems] == [reason]


def test_only_the_world_bank_signature_is_read_as_latin1_and_its_controls_are_refused():
    assert decode_text(b'\xff"C\xf4te d\'Ivoire"\r\n', "p.csv", world_bank=True) == (
        '"C\u00f4te d\'Ivoire"\r\n'
    )
    with pytest.raises(ImportFailed) as failure:
        decode_text(b'\xff"C\xf4te"', "p.csv")  # the signature, but not the World Bank's file
    assert str(failure.value.problems[0]).startswith("p.csv:1: not UTF-8 text: byte 0xff")
    with pytest.raises(ImportFailed) as failure:
        decode_text(b"\xffa\r\n\x93b\x94\r\n", "p.csv", world_bank=True)  # Windows-1252 quotes
    assert str(failure.value.problems[0]).startswith("p.csv:2: control character U+0093")


# Case studies (Markdown with a YAML front matter) ------------------------------------


@pytest.fixture
def case_study_folder(tmp_path) -> Path:
    path = tmp_path / "case_studies"
    shutil.copytree(CASE_STUDIES, path)
    return path


def spoil(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'summary: "A test',
            LAUGHS + 'summary: "A test',
            f"{KADUNA}:9: aliases (*name) are not allowed in case study files",
            id="billion-laughs",
        ),
        pytest.param(
            "themes: [fiscal-openness]",
            f"themes: {DEEP_FLOW}",
            f"{KADUNA}:5: lists and mappings are nested more than 20 levels deep",
            id="deep-nesting",
        ),
        pytest.param(
            'title: "Kaduna State publishes its budget"',
            'title: "Kaduna State\\0 publishes its budget"',
            f"{KADUNA}:2: control character U+0000 is not allowed (only tabs and line breaks are)",
            id="nul-escape-in-front-matter",
        ),
        pytest.param(
            "Staff changes slowed the work.",
            "Staff changes\x00 slowed the work.",
            f"{KADUNA}:31: control character U+0000 is not allowed "
            "(only tabs and line breaks are), column 14",
            id="nul-byte-in-body",
        ),
        pytest.param(
            "themes: [fiscal-openness]",
            "themes: [fiscal-openness]\nogp_values: [{access-to-information: yes}]",
            f"{KADUNA}:6: unknown OGP value {{'access-to-information': True}}",
            id="mapping-as-ogp-value",
        ),
        pytest.param(
            'title: "Kaduna State publishes its budget"',
            "title: {name: Kaduna}",
            f"{KADUNA}:2: 'title' must be text (put it in quotes)",
            id="mapping-as-title",
        ),
        pytest.param(
            "period: 2018-2020",
            "period: ²⁰¹⁸-²⁰²⁰",
            f"{KADUNA}:7: period must look like 2016, 2016-2018 or 2016- (ongoing)",
            id="superscript-period",
        ),
        pytest.param(
            "year: 2018",
            "year: 2018-13-01",
            f"{KADUNA}:13: '2018-13-01' is not a valid date (month must be in 1..12)",
            id="impossible-date",
        ),
    ],
)
@pytest.mark.django_db
def test_hostile_case_study_is_reported_at_its_line_and_nothing_is_created(
    real_data, case_study_index, case_study_folder, old, new, expected
):
    spoil(case_study_folder / KADUNA, old, new)

    assert failing("import_case_studies", str(case_study_folder)) == [expected]
    assert not CaseStudyPage.objects.exists()


@pytest.mark.django_db
def test_windows_1252_case_study_is_refused_with_its_byte_position(
    real_data, case_study_index, case_study_folder
):
    path = case_study_folder / KADUNA
    text = path.read_text(encoding="utf-8").replace("hard to find", "“hard” to find")
    path.write_bytes(text.encode("cp1252"))
    position = text.encode("cp1252").index(b"\x93")

    problems = failing("import_case_studies", str(case_study_folder))

    assert problems == [
        f"{KADUNA}:19: not UTF-8 text: byte 0x93 at byte position {position} "
        "(line 19, column 22); save the file as UTF-8"
    ]
    assert not CaseStudyPage.objects.exists()


# Courses -----------------------------------------------------------------------------

COURSE = """\
title: "Budget basics"
summary: "A short course."
level: introductory
duration_hours: 1
themes: [fiscal-openness]
modules:
  - title: "First steps"
    lessons:
      - title: "Reading a budget"
        body:
          - markdown: "Start with the totals."
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "themes: [fiscal-openness]",
            f"themes: {DEEP_FLOW}",
            "course.yaml:5: lists and mappings are nested more than 20 levels deep",
            id="deep-nesting",
        ),
        pytest.param(
            'summary: "A short course."',
            LAUGHS + 'summary: "A short course."',
            "course.yaml:3: aliases (*name) are not allowed in course files",
            id="billion-laughs",
        ),
        pytest.param(
            '"Start with the totals."',
            '"Start with\\0 the totals."',
            "course.yaml:11: control character U+0000 is not allowed "
            "(only tabs and line breaks are)",
            id="nul-escape",
        ),
        pytest.param(
            "duration_hours: 1",
            "duration_hours: ²",
            "course.yaml:4: 'duration_hours' must be a whole number",
            id="superscript-number",
        ),
        pytest.param(
            "themes: [fiscal-openness]",
            "themes: [{fiscal-openness: 1}]",
            "course.yaml:5: unknown theme {'fiscal-openness': 1}",
            id="mapping-as-theme",
        ),
    ],
)
@pytest.mark.django_db
def test_hostile_course_is_reported_at_its_line_and_nothing_is_created(
    real_data, home, tmp_path, old, new, expected
):
    assert COURSE.count(old) == 1
    (tmp_path / "course.yaml").write_text(COURSE.replace(old, new), encoding="utf-8")

    assert failing("import_courses", str(tmp_path)) == [expected]
    assert not CoursePage.objects.exists()


@pytest.mark.django_db
def test_windows_1252_course_is_refused_with_its_byte_position(real_data, home, tmp_path):
    (tmp_path / "course.yaml").write_bytes(
        COURSE.replace("A short course.", "A “short” course.").encode("cp1252")
    )

    assert failing("import_courses", str(tmp_path)) == [
        "course.yaml:2: not UTF-8 text: byte 0x93 at byte position 35 (line 2, column 13); "
        "save the file as UTF-8"
    ]
    assert not CoursePage.objects.exists()


# Fellowships -------------------------------------------------------------------------

FELLOWSHIP = """\
fellowships:
  - slug: budget-placement
    title: Budget placement
    summary: Four weeks with a budget office.
    host_country: GBR
    host_institution: HM Treasury
    themes: [fiscal-openness]
    duration_weeks: 4
    start_date: 2030-01-10
    end_date: 2030-02-07
    application_deadline: 2029-12-01T23:59:00+00:00
    eligibility: Officials working on budgets.
    what_you_will_do: Shadow the budget team.
    criteria: [Experience]
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "themes: [fiscal-openness]",
            "themes:\n      - {slug: fiscal-openness}",
            "f.yaml:8: a theme must be a theme slug, not {'slug': 'fiscal-openness'}",
            id="mapping-as-theme",
        ),
        pytest.param(
            "themes: [fiscal-openness]",
            f"themes: {DEEP_FLOW}",
            "f.yaml:7: lists and mappings are nested more than 20 levels deep",
            id="deep-nesting",
        ),
        pytest.param(
            "fellowships:\n",
            LAUGHS + "fellowships:\n",
            "f.yaml:2: aliases (*name) are not allowed in fellowship files",
            id="billion-laughs",
        ),
        pytest.param(
            "title: Budget placement",
            'title: "Budget\\0 placement"',
            "f.yaml:3: control character U+0000 is not allowed (only tabs and line breaks are)",
            id="nul-escape",
        ),
        pytest.param(
            "host_country: GBR",
            "host_country: {iso3: GBR}",
            "f.yaml:5: unknown country code {'iso3': 'GBR'}",
            id="mapping-as-country",
        ),
        pytest.param(
            "duration_weeks: 4",
            "duration_weeks: ⁴",
            "f.yaml:8: 'duration_weeks' must be a whole number",
            id="superscript-number",
        ),
    ],
)
@pytest.mark.django_db
def test_hostile_fellowship_file_is_reported_at_its_line_and_nothing_is_created(
    real_data, home, tmp_path, old, new, expected
):
    assert FELLOWSHIP.count(old) == 1
    path = tmp_path / "f.yaml"
    path.write_text(FELLOWSHIP.replace(old, new), encoding="utf-8")

    with pytest.raises(ImportFailed) as failure:
        import_fellowships(path)

    assert [str(problem) for problem in failure.value.problems] == [expected]
    assert not FellowshipPage.objects.exists()


@pytest.mark.django_db
def test_windows_1252_fellowship_file_is_refused(real_data, home, tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(FELLOWSHIP.replace("Budget placement", "Budget “placement”").encode("cp1252"))

    assert failing("import_fellowships", str(path)) == [
        "f.yaml:3: not UTF-8 text: byte 0x93 at byte position 58 (line 3, column 19); "
        "save the file as UTF-8"
    ]
    assert not FellowshipPage.objects.exists()


@pytest.mark.django_db
def test_import_fellowships_takes_the_folder_the_readme_documents(real_data, home):
    out = StringIO()
    call_command("import_fellowships", str(SAMPLE_FELLOWSHIPS), stdout=out, stderr=StringIO())

    assert FellowshipPage.objects.count() >= 6
    assert f"Fellowships: {FellowshipPage.objects.count()} created" in out.getvalue()


@pytest.mark.django_db
def test_a_folder_of_fellowship_files_is_all_or_nothing_with_slugs_unique_across_files(
    real_data, home, tmp_path
):
    (tmp_path / "a.yaml").write_text(FELLOWSHIP, encoding="utf-8")
    (tmp_path / "b.yml").write_text(FELLOWSHIP, encoding="utf-8")

    assert failing("import_fellowships", str(tmp_path)) == [
        "b.yml:2: slug 'budget-placement' is also used on a.yaml:2"
    ]
    assert not FellowshipPage.objects.exists()

    (tmp_path / "b.yml").unlink()
    call_command("import_fellowships", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert list(FellowshipPage.objects.values_list("slug", flat=True)) == ["budget-placement"]


@pytest.mark.django_db
def test_a_missing_or_empty_fellowship_folder_is_reported(real_data, home, tmp_path):
    assert failing("import_fellowships", str(tmp_path / "nowhere")) == [
        f"{tmp_path / 'nowhere'}:0: no such file or folder"
    ]
    assert failing("import_fellowships", str(tmp_path)) == [
        f"{tmp_path}:0: no .yaml files in this folder"
    ]


# Themes (YAML) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_hostile_themes_file_is_reported_at_its_line_and_nothing_is_written(tmp_path):
    before = list(Theme.objects.values_list("slug", "name"))
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n"
        "  - slug: budgets\n"
        "    name: {en: Budgets}\n"
        "  - slug: deep\n"
        "    name: Deep\n"
        f"    synonyms: {DEEP_FLOW}\n",
        encoding="utf-8",
    )
    assert failing("import_themes", str(path)) == [
        "themes.yaml:6: lists and mappings are nested more than 20 levels deep"
    ]

    path.write_text("themes:\n  - slug: budgets\n    name: {en: Budgets}\n", encoding="utf-8")
    assert failing("import_themes", str(path)) == [
        "themes.yaml:3: 'name' must be text (put it in quotes)"
    ]
    assert list(Theme.objects.values_list("slug", "name")) == before


# CSV importers -----------------------------------------------------------------------


def members_file(path: Path, edit) -> Path:
    lines = MEMBERS.read_text(encoding="utf-8").splitlines(keepends=True)[:4]
    path.write_bytes(edit("".join(lines)))
    return path


def membership():
    return list(Country.objects.order_by("iso3").values_list("iso3", "ogp_status"))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda text: (text + f'KEN,Kenya,2011,active,"{"x" * 140_000}",\n').encode(),
            "members.csv:5: a value is longer than 131,072 characters "
            "(is a closing quote missing?)",
            id="field-past-csv-limit",
        ),
        pytest.param(
            lambda text: (text + 'KEN,Kenya,2011,active,"no\x00te",\n').encode(),
            "members.csv:5: control character U+0000 is not allowed "
            "(only tabs and line breaks are), column 26",
            id="nul-byte",
        ),
        pytest.param(
            lambda text: (text + "KEN,Kenya,2011,active,“quoted”,\n").encode("cp1252"),
            "members.csv:5: not UTF-8 text: byte 0x93 at byte position {position} "
            "(line 5, column 23); save the file as UTF-8",
            id="windows-1252",
        ),
    ],
)
@pytest.mark.django_db
def test_damaged_members_file_is_reported_at_its_line_and_nothing_is_written(
    real_data, tmp_path, edit, expected
):
    path = members_file(tmp_path / "members.csv", edit)
    before = membership()
    position = path.read_bytes().find(b"\x93")

    assert failing("import_ogp_members", str(path)) == [expected.format(position=position)]
    assert membership() == before


def commitments_file(path: Path, old: str, new: str) -> Path:
    text = COMMITMENTS.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            ",2012,",
            ",²⁰¹²,",
            "commitments.csv:2: Year Of Submission: '²⁰¹²' is not a year",
            id="superscript-year",
        ),
        pytest.param(
            "AL0002,Albania,1,",
            "AL0002,Albania,¹,",
            "commitments.csv:2: Action Plan Number: '¹' is not a number from 0 to 999",
            id="superscript-plan-number",
        ),
        pytest.param(
            "AL0002,Albania,1,",
            "AL0002,Albania,70000,",
            "commitments.csv:2: Action Plan Number: '70000' is not a number from 0 to 999",
            id="plan-number-too-big-for-the-column",
        ),
    ],
)
@pytest.mark.django_db
def test_commitment_numbers_are_ascii_digits_in_range(real_data, tmp_path, old, new, expected):
    path = commitments_file(tmp_path / "commitments.csv", old, new)
    before = Commitment.objects.count()
    (tmp_path / "full_text.csv").write_text("Commitment Unique Identifier,Full Text\n")

    problems = failing(
        "import_commitments", str(path), "--full-text", str(tmp_path / "full_text.csv")
    )

    assert problems == [expected]
    assert Commitment.objects.count() == before


@pytest.mark.django_db
def test_infinite_population_is_not_a_number(real_data, tmp_path):
    for source in (HERE / "fixtures" / "countries").iterdir():
        shutil.copy(source, tmp_path / source.name)
    population = tmp_path / "population.csv"
    text = population.read_bytes().decode("latin-1")
    assert '"1100","1200"' in text
    population.write_bytes(text.replace('"1100","1200"', '"1100","1e999"').encode("latin-1"))
    before = list(Country.objects.values_list("iso3", "population"))

    problems = failing(
        "import_countries",
        metadata=str(tmp_path / "metadata.csv"),
        population=str(population),
        gdp=str(tmp_path / "gdp.csv"),
        wgi=str(tmp_path / "wgi.csv"),
    )

    assert problems == ["population.csv:6: 2024: '1e999' is not a number"]
    assert list(Country.objects.values_list("iso3", "population")) == before


# Reform records (JSON and CSV) -------------------------------------------------------


def oc_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "oc-status"
    folder.mkdir()
    (folder / "ke.json").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.django_db
def test_a_nul_escape_in_json_is_reported_at_its_line_and_nothing_is_written(real_data, tmp_path):
    data = json.loads((OPEN_CONTRACTING / "ke.json").read_text(encoding="utf-8"))
    publisher = data["results"]["publishers"][0]["publisher"]
    text = json.dumps(data, indent=2).replace(publisher, publisher + "\\u0000", 1)
    line = text[: text.index("\\u0000")].count("\n") + 1
    before = ReformRecord.objects.count()

    problems = failing("import_reform_records", "--source", OCP, str(oc_folder(tmp_path, text)))

    assert problems == [
        f"ke.json:{line}: control character U+0000 is not allowed (only tabs and line breaks are)"
    ]
    assert ReformRecord.objects.count() == before


@pytest.mark.django_db
def test_deeply_nested_json_is_reported_not_raised(real_data, tmp_path):
    folder = oc_folder(tmp_path, "[" * 100_000 + "]" * 100_000)

    problems = failing("import_reform_records", "--source", OCP, str(folder))

    assert problems == ["ke.json:1: not valid JSON: nested too deeply"]

"""`import_themes`: the OGP policy areas from casestudies/data/themes.yaml."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import Theme

FIXTURE = Path(__file__).parent / "fixtures" / "themes.yaml"
TEST_SLUGS = ["test-area", "test-sub-area", "test-sub-area-extended"]


def run(*args) -> str:
    out = StringIO()
    call_command("import_themes", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_themes", *args, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


@pytest.fixture
def themes_file(tmp_path) -> Path:
    path = tmp_path / "themes.yaml"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def replace(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.django_db
def test_real_file_gives_85_themes_with_parents_synonyms_and_csv_columns(real_data):
    assert Theme.objects.count() == 85
    assert Theme.objects.exclude(source_column="").count() == 85

    disclosure = Theme.objects.get(slug="asset-disclosure")
    assert disclosure.name == "Asset disclosure"
    assert disclosure.parent.slug == "anti-corruption-and-integrity"
    assert disclosure.source_column == "Asset Disclosure"
    assert "asset declaration" in disclosure.synonym_list
    assert Theme.objects.get(slug="anti-corruption-and-integrity").parent is None
    rti = Theme.objects.get(slug="right-to-information")
    assert {"rti", "foi"} <= set(rti.synonym_list)


@pytest.mark.django_db
def test_reimporting_the_real_file_changes_nothing(real_data):
    out = run()

    assert "Themes: 0 created, 0 updated, 85 unchanged" in out
    assert Theme.objects.count() == 85


@pytest.mark.django_db
def test_small_file_creates_themes_with_parents_and_synonyms(themes_file):
    out = run(str(themes_file))

    assert "Themes: 3 created, 0 updated" in out
    area = Theme.objects.get(slug="test-area")
    assert area.name == "Test area"
    assert area.parent is None
    assert area.description == "A broad policy area used by the importer tests."
    assert area.synonyms == "ta, testing"
    assert area.source_column == "Test Area"
    assert sorted(area.children.values_list("slug", flat=True)) == TEST_SLUGS[1:]
    assert Theme.objects.get(slug="test-sub-area-extended").synonyms == ""


# As in course and fellowship files, one value where a list belongs is a list of one.
@pytest.mark.django_db
def test_a_single_synonym_may_be_written_without_a_list(themes_file):
    replace(themes_file, 'synonyms: ["tsa"]', "synonyms: tsa")

    run(str(themes_file))

    assert Theme.objects.get(slug="test-sub-area").synonyms == "tsa"


@pytest.mark.django_db
def test_reimport_updates_a_changed_description_in_place(themes_file):
    run(str(themes_file))
    replace(themes_file, "A narrower policy area.", "A narrower area, reworded.")

    out = run(str(themes_file))

    assert "Themes: 0 created, 1 updated, 2 unchanged" in out
    assert Theme.objects.get(slug="test-sub-area").description == "A narrower area, reworded."
    assert Theme.objects.filter(slug__in=TEST_SLUGS).count() == 3


@pytest.mark.django_db
def test_moving_a_theme_to_another_parent_is_reported_as_an_update(themes_file):
    run(str(themes_file))
    replace(
        themes_file,
        "slug: test-sub-area-extended\n    parent: test-area",
        "slug: test-sub-area-extended\n    parent: test-sub-area",
    )

    out = run(str(themes_file))

    assert "Themes: 0 created, 1 updated, 2 unchanged" in out
    assert Theme.objects.get(slug="test-sub-area-extended").parent.slug == "test-sub-area"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "slug: test-sub-area\n",
            "slug: test: sub-area\n",
            "themes.yaml:12: invalid YAML: mapping values are not allowed here",
            id="invalid-yaml",
        ),
        pytest.param(
            "slug: test-sub-area-extended",
            "slug: test-sub-area",
            "themes.yaml:19: duplicate slug 'test-sub-area' (first on line 12)",
            id="duplicate-slug-on-the-line-of-the-duplicate",
        ),
        pytest.param(
            'name: "Test sub-area, extended"',
            'name: "Test area"',
            "themes.yaml:18: duplicate name 'Test area' (first on line 4)",
            id="duplicate-name",
        ),
        pytest.param(
            'column: "Test Sub-Area Extended"',
            'column: "Test Area"',
            "themes.yaml:17: duplicate column 'Test Area' (first on line 3)",
            id="two-themes-for-one-csv-column",
        ),
        pytest.param(
            "parent: test-area\n    description: >-\n      A narrower",
            "parent: test-aera\n    description: >-\n      A narrower",
            "themes.yaml:13: unknown parent 'test-aera'",
            id="unknown-parent",
        ),
        pytest.param(
            "slug: test-sub-area\n",
            "slug: Test Sub Area\n",
            "themes.yaml:12: invalid slug 'Test Sub Area' (use a-z, 0-9 and -)",
            id="invalid-slug",
        ),
        pytest.param(
            '    name: "Test sub-area"\n',
            "",
            "themes.yaml:10: missing 'name' in theme 'test-sub-area'",
            id="missing-name",
        ),
        pytest.param(
            'synonyms: ["tsa"]',
            'synonym: ["tsa"]',
            "themes.yaml:16: unknown key 'synonym' in theme 'test-sub-area' (expected: column, "
            "description, name, parent, slug, synonyms)",
            id="unknown-key",
        ),
        pytest.param(
            'synonyms: ["tsa"]',
            "synonyms: {tsa: test sub-area}",
            "themes.yaml:16: 'synonyms' must be a list",
            id="synonyms-not-a-list",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_theme_is_reported_with_its_line_and_nothing_is_written(
    themes_file, old, new, expected
):
    before = Theme.objects.count()
    replace(themes_file, old, new)

    problems = run_failing(str(themes_file))

    assert len(problems) == 1
    assert problems[0].startswith(expected)
    assert Theme.objects.count() == before
    assert not Theme.objects.filter(slug__in=TEST_SLUGS).exists()


@pytest.mark.django_db
def test_every_bad_theme_is_reported_in_one_run(themes_file):
    replace(themes_file, "slug: test-sub-area-extended", "slug: test-sub-area")
    replace(themes_file, 'synonyms: ["ta", "testing"]', 'synonyms: ["ta"]\n    colour: blue')

    problems = run_failing(str(themes_file))

    assert problems == [
        "themes.yaml:10: unknown key 'colour' in theme 'test-area' (expected: column, "
        "description, name, parent, slug, synonyms)",
        "themes.yaml:20: duplicate slug 'test-sub-area' (first on line 13)",
    ]


@pytest.mark.django_db
def test_parents_that_loop_are_reported_on_each_theme_of_the_loop(themes_file):
    replace(
        themes_file,
        "slug: test-area\n    parent: null",
        "slug: test-area\n    parent: test-sub-area",
    )

    problems = run_failing(str(themes_file))

    assert problems == [
        "themes.yaml:6: parent 'test-sub-area' makes a loop back to this theme",
        "themes.yaml:13: parent 'test-area' makes a loop back to this theme",
    ]


@pytest.mark.django_db
def test_file_without_a_themes_list_is_refused(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("- name: A theme\n", encoding="utf-8")

    assert run_failing(str(path)) == ["themes.yaml:1: expected a non-empty 'themes:' list"]


@pytest.mark.django_db
def test_missing_file_is_reported(tmp_path):
    path = tmp_path / "nowhere.yaml"

    assert run_failing(str(path)) == [f"nowhere.yaml:0: file not found: {path}"]

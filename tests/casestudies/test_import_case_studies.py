"""`import_case_studies`: Markdown files with YAML front matter become case study pages.

fixtures/case_studies/ holds two short, valid files (Kenya, and a Kaduna State
reform); bad variants are written to a temporary folder next to a good file, so
every test also shows that one bad file stops the good ones.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import CaseStudyPage

FIXTURES = Path(__file__).parent / "fixtures" / "case_studies"
KENYA = FIXTURES / "kenya-information-requests.md"
KADUNA = FIXTURES / "kaduna-open-budget.md"
SECTION_ORDER = ["context", "action", "results", "obstacles", "lessons", "people"]
# An unknown key is reported with the keys the format knows, as in course and fellowship files.
UNKNOWN_COLOUR = (
    "kaduna-open-budget.md:7: unknown key 'colour' in the front matter (expected: commitments, "
    "country, jurisdiction, key_figures, ogp_values, period, sample, slug, sources, status, "
    "summary, themes, title)"
)


def run(folder, **options) -> str:
    out = StringIO()
    call_command("import_case_studies", str(folder), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def run_failing(folder, **options) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_case_studies", str(folder), stdout=StringIO(), stderr=err, **options)
    return err.getvalue().splitlines()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the fixture folder, to be changed one test at a time."""
    path = tmp_path / "case_studies"
    shutil.copytree(FIXTURES, path)
    return path


def replace(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def page_html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


# The sample content


@pytest.mark.django_db
def test_sample_folder_imports_16_case_studies_as_drafts_by_default(real_data, case_study_index):
    out = run(settings.SAMPLE_CONTENT_DIR)

    assert "Case studies: 16 created, 0 updated" in out
    pages = CaseStudyPage.objects.child_of(case_study_index)
    assert pages.count() == 16
    assert not pages.live().exists()
    assert all(page.has_unpublished_changes for page in pages)


@pytest.mark.django_db
def test_publish_option_puts_every_sample_case_study_online(real_data, case_study_index, client):
    out = run(settings.SAMPLE_CONTENT_DIR, publish=True)

    assert "Case studies: 16 created, 0 updated" in out
    pages = CaseStudyPage.objects.child_of(case_study_index)
    assert pages.live().count() == 16
    listing = client.get(case_study_index.url).content.decode()
    assert "Kenya&#x27;s Access to Information Act" in listing


@pytest.mark.django_db
def test_front_matter_and_sections_are_mapped_onto_the_page(real_data, case_study_index):
    run(settings.SAMPLE_CONTENT_DIR)

    page = CaseStudyPage.objects.get(title="Kenya's Access to Information Act")
    assert page.country.iso3 == "KEN"
    assert page.jurisdiction == ""
    assert set(page.themes.values_list("slug", flat=True)) == {
        "right-to-information",
        "legislation",
    }
    assert list(page.commitments.values_list("identifier", flat=True)) == ["KE0038"]
    assert (page.period_start, page.period_end) == (2016, None)
    assert page.period_label == "2016–ongoing"
    assert page.status == "implemented"
    assert page.summary.startswith("In 2016 Kenya passed the Access to Information Act.")
    assert page.ogp_values == ["Access to information", "Public accountability"]
    assert page.is_sample
    assert [(figure.value["value"], figure.value["label"]) for figure in page.key_figures] == [
        (
            "21 days",
            "Maximum time a public body has to decide on an information request under the Act",
        ),
        (
            "48 hours",
            "Deadline under the Act when the information concerns a person's life or liberty",
        ),
    ]
    sources = [source.value for source in page.sources]
    assert sources[0]["title"] == "Access to Information Act, No. 31 of 2016"
    assert (sources[1]["publisher"], sources[1]["year"]) == (
        "Kenya Law (National Council for Law Reporting)",
        2010,
    )
    assert sources[3]["url"] == "https://opengovpartnership.org/members/kenya/commitments/ke0038"
    assert len(sources) == 4
    assert [block.block_type for block in page.body] == ["section"] * 6
    assert [block.value["kind"] for block in page.body] == SECTION_ORDER
    assert page.body[0].value["text"].startswith("Kenya's 2010 Constitution gives every citizen")
    assert "*Sample content" not in str(page.body.raw_data)  # the page shows its own notice


@pytest.mark.django_db
def test_periods_and_local_reforms_are_mapped(real_data, case_study_index, folder):
    replace(folder / KENYA.name, 'period: "2016-"', "period: 2016")

    run(folder)

    kenya = CaseStudyPage.objects.get(slug="kenya-information-requests")
    assert (kenya.period_start, kenya.period_end, kenya.period_label) == (2016, 2016, "2016")
    kaduna = CaseStudyPage.objects.get(title="Kaduna State publishes its budget")
    assert kaduna.slug == "kaduna-open-budget"  # from the file name, not the title
    assert (kaduna.period_start, kaduna.period_end) == (2018, 2020)
    assert (kaduna.country.iso3, kaduna.jurisdiction) == ("NGA", "Kaduna State")
    assert kaduna.status == "stalled"
    assert not kaduna.is_sample and kaduna.ogp_values == []
    assert list(kaduna.commitments.values_list("identifier", flat=True)) == ["KAD0004"]


@pytest.mark.django_db
def test_a_single_theme_may_be_written_without_a_list(real_data, case_study_index, folder):
    replace(folder / KADUNA.name, "themes: [fiscal-openness]", "themes: fiscal-openness")

    run(folder)

    kaduna = CaseStudyPage.objects.get(slug="kaduna-open-budget")
    assert list(kaduna.themes.values_list("slug", flat=True)) == ["fiscal-openness"]


# Re-import


@pytest.mark.django_db
def test_reimport_of_unchanged_files_reports_them_unchanged(real_data, case_study_index):
    run(settings.SAMPLE_CONTENT_DIR, publish=True)

    out = run(settings.SAMPLE_CONTENT_DIR, publish=True)

    assert "Case studies: 0 created, 0 updated, 16 unchanged" in out
    assert CaseStudyPage.objects.count() == 16


@pytest.mark.django_db
def test_publishing_imported_drafts_updates_them_instead_of_duplicating(
    real_data, case_study_index
):
    run(settings.SAMPLE_CONTENT_DIR)

    out = run(settings.SAMPLE_CONTENT_DIR, publish=True)

    assert "Case studies: 0 created, 16 updated" in out
    assert CaseStudyPage.objects.count() == 16
    assert CaseStudyPage.objects.live().count() == 16


@pytest.mark.django_db
def test_reimport_of_a_changed_file_updates_the_published_page(
    real_data, case_study_index, folder, client
):
    run(folder, publish=True)
    replace(folder / KENYA.name, "Kenya set deadlines", "Kenya set legal deadlines")
    replace(
        folder / KENYA.name,
        "themes: [right-to-information, legislation]",
        "themes: [right-to-information]",
    )

    out = run(folder, publish=True)

    assert "Case studies: 0 created, 1 updated, 1 unchanged" in out
    page = CaseStudyPage.objects.get(slug="kenya-information-requests")
    assert page.summary.startswith("A test case study: Kenya set legal deadlines")
    assert list(page.themes.values_list("slug", flat=True)) == ["right-to-information"]
    assert CaseStudyPage.objects.count() == 2
    assert "Kenya set legal deadlines" in page_html(client, page)


@pytest.mark.django_db
def test_reimport_without_publish_leaves_the_live_page_as_it_was(
    real_data, case_study_index, folder
):
    run(folder, publish=True)
    replace(folder / KENYA.name, "Kenya set deadlines", "Kenya set legal deadlines")

    out = run(folder)

    assert "Case studies: 0 created, 1 updated, 1 unchanged" in out
    page = CaseStudyPage.objects.get(slug="kenya-information-requests")
    assert "legal" not in page.summary
    assert page.has_unpublished_changes
    assert "legal deadlines" in page.get_latest_revision_as_object().summary


@pytest.mark.django_db
def test_publish_puts_online_a_change_imported_earlier_as_a_draft(
    real_data, case_study_index, folder
):
    run(folder, publish=True)
    replace(folder / KENYA.name, "Kenya set deadlines", "Kenya set legal deadlines")
    run(folder)

    out = run(folder, publish=True)

    assert "Case studies: 0 created, 1 updated, 1 unchanged" in out
    page = CaseStudyPage.objects.get(slug="kenya-information-requests")
    assert page.summary.startswith("A test case study: Kenya set legal deadlines")
    assert not page.has_unpublished_changes


# Bad files


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            '---\ntitle: "Kaduna',
            'title: "Kaduna',
            "kaduna-open-budget.md:1: missing front matter: the file must start with a '---' block",
            id="missing-opening-dashes",
        ),
        pytest.param(
            "status: stalled\n",
            "status: stalled: for now\n",
            "kaduna-open-budget.md:6: front matter is not valid YAML: "
            "mapping values are not allowed here",
            id="invalid-yaml",
        ),
        pytest.param(
            "status: stalled\n",
            "",
            "kaduna-open-budget.md:2: missing 'status' in the front matter",
            id="missing-required-key",
        ),
        pytest.param(
            'summary: "A test case study of a sub-national reform."',
            "summary:",
            "kaduna-open-budget.md:8: missing 'summary' in the front matter",
            id="empty-required-key",
        ),
        pytest.param(
            "status: stalled\n",
            "status: stalled\ncolour: green\n",
            UNKNOWN_COLOUR,
            id="unknown-key",
        ),
        pytest.param(
            "country: NGA",
            "country: NGR",
            "kaduna-open-budget.md:3: unknown country 'NGR'",
            id="unknown-country",
        ),
        pytest.param(
            "themes: [fiscal-openness]",
            "themes: [fiscal-openness, budget-transparency]",
            "kaduna-open-budget.md:5: unknown theme 'budget-transparency'",
            id="unknown-theme",
        ),
        pytest.param(
            "commitments: [KAD0004]",
            "commitments: [KAD0004, KAD9999]",
            "kaduna-open-budget.md:9: unknown commitment 'KAD9999'",
            id="unknown-commitment",
        ),
        pytest.param(
            "status: stalled",
            "status: finished",
            "kaduna-open-budget.md:6: status must be one of planned, in-progress, implemented, "
            "stalled",
            id="bad-status",
        ),
        pytest.param(
            "period: 2018-2020",
            "period: since 2018",
            "kaduna-open-budget.md:7: period must look like 2016, 2016-2018 or 2016- (ongoing)",
            id="bad-period",
        ),
        pytest.param(
            "period: 2018-2020",
            "period: 2020-2018",
            "kaduna-open-budget.md:7: period ends before it starts",
            id="period-ends-before-it-starts",
        ),
        pytest.param(
            'title: "Kaduna State publishes its budget"',
            'title: "Kaduna State publishes its budget"\nslug: kenya-information-requests',
            "kenya-information-requests.md:3: slug 'kenya-information-requests' is also used by "
            "kaduna-open-budget.md",
            id="duplicate-slug-across-files",
        ),
        pytest.param(
            "    year: 2018\n",
            '    year: 2018\n    url: "javascript:alert(1)"\n',
            "kaduna-open-budget.md:10: source url 'javascript:alert(1)' is not a web address",
            id="javascript-source-url",
        ),
        pytest.param(
            "commitments: [KAD0004]\n",
            'commitments: [KAD0004]\nkey_figures:\n  - value: "'
            + "1" * 41
            + '"\n    label: "Too long to show"\n',
            "kaduna-open-budget.md:11: an entry of 'key_figures' is too long: value (41 > 40) "
            "characters",
            id="key-figure-too-long",
        ),
        pytest.param(
            "## Results\n\nPublication started, then slowed.\n\n",
            "",
            "kaduna-open-budget.md:16: missing section '## Results'",
            id="missing-section",
        ),
        pytest.param(
            "## Context\n\nThe state budget was hard to find.\n\n",
            "",
            "kaduna-open-budget.md:16: missing section '## Context'",
            id="missing-first-section",
        ),
        pytest.param(
            "Publication started, then slowed.\n",
            "",
            "kaduna-open-budget.md:25: section 'Results' is empty",
            id="empty-section",
        ),
        pytest.param(
            "## People and institutions",
            "## Lessons for peers\n\nSaid twice.\n\n## People and institutions",
            "kaduna-open-budget.md:37: section 'Lessons for peers' appears twice",
            id="section-twice",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_file_is_reported_with_its_line_and_no_page_is_created(
    real_data, case_study_index, folder, old, new, expected
):
    replace(folder / KADUNA.name, old, new)

    problems = run_failing(folder)

    assert problems == [expected]
    assert not CaseStudyPage.objects.exists()


@pytest.mark.django_db
def test_sections_out_of_order_are_reported(real_data, case_study_index, folder):
    text = (folder / KADUNA.name).read_text(encoding="utf-8")
    results = "## Results\n\nPublication started, then slowed.\n\n"
    text = text.replace(results, "").replace("## Context", results + "## Context")
    (folder / KADUNA.name).write_text(text, encoding="utf-8")

    assert run_failing(folder) == [
        "kaduna-open-budget.md:21: section 'Context' must come before 'Results'",
        "kaduna-open-budget.md:25: section 'What was done' must come before 'Results'",
    ]


@pytest.mark.django_db
def test_problems_in_every_file_are_all_reported_and_nothing_is_created(
    real_data, case_study_index, folder
):
    replace(folder / KADUNA.name, "country: NGA", "country: XYZ")
    replace(folder / KADUNA.name, "## People and institutions", "## People")
    replace(folder / KENYA.name, "status: implemented", "status: done")
    (folder / "notes.md").write_text("Just some notes.\n", encoding="utf-8")
    shutil.copy(settings.SAMPLE_CONTENT_DIR / "chile-lobbying-law.md", folder)

    problems = run_failing(folder, publish=True)

    assert problems == [
        "kaduna-open-budget.md:3: unknown country 'XYZ'",
        "kaduna-open-budget.md:16: missing section '## People and institutions'",
        "kenya-information-requests.md:8: status must be one of planned, in-progress, "
        "implemented, stalled",
        "notes.md:1: missing front matter: the file must start with a '---' block",
    ]
    assert not CaseStudyPage.objects.exists()


@pytest.mark.django_db
def test_file_saved_with_a_byte_order_mark_is_imported(real_data, case_study_index, folder):
    path = folder / KADUNA.name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    out = run(folder)

    assert "Case studies: 2 created" in out


@pytest.mark.django_db
def test_body_line_that_looks_like_a_key_does_not_move_the_reported_line(
    real_data, case_study_index, folder
):
    replace(folder / KADUNA.name, "The state budget was hard to find.", "colour: see below")
    replace(folder / KADUNA.name, "status: stalled\n", 'status: stalled\n"colour": green\n')

    assert run_failing(folder) == [UNKNOWN_COLOUR]


@pytest.mark.django_db
def test_empty_folder_is_reported(real_data, case_study_index, tmp_path):
    assert run_failing(tmp_path) == [f"{tmp_path}:0: no .md files in this folder"]


# Unsafe content


@pytest.mark.django_db
def test_scripts_and_javascript_links_in_a_file_never_reach_the_page(
    real_data, case_study_index, folder, client
):
    replace(
        folder / KENYA.name,
        "Citizens had a right to information but no procedure to use it.",
        "Citizens had a right to information.\n\n"
        '<script>alert("section")</script>\n\n'
        "[Read the law](javascript:alert('link')) and "
        "<a href=\"javascript:alert('anchor')\">this</a>.\n\n"
        '<img src="x" onerror="alert(\'image\')">\n\n'
        "Safe text after the attempts.",
    )
    replace(
        folder / KENYA.name,
        "## People and institutions\n",
        "## People and institutions\n\n<script>alert('people')</script>\n",
    )
    replace(
        folder / KENYA.name,
        'label: "Time limit to decide on a request"',
        "label: \"<script>alert('figure')</script>\"",
    )
    replace(
        folder / KENYA.name,
        "A test case study: Kenya",
        "A test case study <script>alert('summary')</script>: Kenya",
    )
    run(folder, publish=True)

    html = page_html(client, CaseStudyPage.objects.get(slug="kenya-information-requests"))

    assert "Safe text after the attempts." in html
    assert 'href="https://opengovpartnership.org/members/kenya/commitments/ke0038"' in html
    for payload in ("section", "link", "anchor", "image", "people", "figure", "summary"):
        assert f"alert('{payload}')" not in html and f'alert("{payload}")' not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "&lt;script&gt;alert(&#x27;summary&#x27;)" in html  # shown as text, not run


# What docs/case-study-format.md promises, the importer holds files to


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(
            KADUNA,
            'summary: "A test case study of a sub-national reform."',
            'summary: "' + "x" * 301 + '"',
            "kaduna-open-budget.md:8: 'summary' is longer than 300 characters (301)",
            id="summary-over-300-characters",
        ),
        pytest.param(
            KADUNA,
            '  - {title: "Kaduna State budget documents", publisher: "Kaduna State Government"}\n',
            "",
            "kaduna-open-budget.md:10: 'sources' has 1 entry; give 2 to 5",
            id="one-source",
        ),
        pytest.param(
            KADUNA,
            'sources:\n  - title: "Kaduna State action plan"\n'
            '    publisher: "Open Government Partnership"\n    year: 2018\n'
            '  - {title: "Kaduna State budget documents", publisher: "Kaduna State Government"}\n',
            "sources: []\n",
            "kaduna-open-budget.md:10: 'sources' has 0 entries; give 2 to 5",
            id="empty-sources",
        ),
        pytest.param(
            KADUNA,
            "themes: [fiscal-openness]",
            "themes: []",
            "kaduna-open-budget.md:5: missing 'themes' in the front matter",
            id="no-theme",
        ),
        pytest.param(
            KENYA,
            "themes: [right-to-information, legislation]",
            "themes: [right-to-information, legislation, fiscal-openness, open-contracting, "
            "lobbying]",
            "kenya-information-requests.md:6: 'themes' has 5 entries; give 1 to 4",
            id="five-themes",
        ),
        pytest.param(
            KENYA,
            "*Sample content written by the Reform Exchange team from public sources; "
            "check the sources before citing.*\n",
            "",
            "kenya-information-requests.md:28: a sample case study must open with the line "
            "*Sample content written by the Reform Exchange team from public sources; "
            "check the sources before citing.*",
            id="sample-without-its-notice",
        ),
    ],
)
@pytest.mark.django_db
def test_a_file_outside_the_documented_format_is_refused_at_its_line(
    real_data, case_study_index, folder, file, old, new, expected
):
    replace(folder / file.name, old, new)

    assert run_failing(folder) == [expected]
    assert not CaseStudyPage.objects.exists()


@pytest.mark.django_db
def test_six_sources_are_one_too_many(real_data, case_study_index, folder):
    extra = "".join(
        f'  - {{title: "Kaduna State budget document {n}", publisher: "Kaduna State"}}\n'
        for n in range(4)
    )
    replace(folder / KADUNA.name, "---\n\n## Context", extra + "---\n\n## Context")

    assert run_failing(folder) == ["kaduna-open-budget.md:10: 'sources' has 6 entries; give 2 to 5"]

"""`import_courses`: YAML course files become Course → Module → Lesson pages.

The sample courses in learning/sample_content/ are the fixtures: bad variants
are written to a copy of that folder, so every test of bad input also shows
that one bad file stops the good ones and that nothing is created.
"""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from learning import progress
from learning.factories import UserFactory
from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

SAMPLE = Path(settings.BASE_DIR) / "learning" / "sample_content"
IRM = "making-commitments-transformative.yaml"
BO = "beneficial-ownership-transparency.yaml"
CO = "co-creating-an-action-plan.yaml"
# 3 courses, 9 modules, 20 lessons.
SAMPLE_PAGES = 32


def run(folder, **options) -> str:
    out = StringIO()
    call_command("import_courses", str(folder), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def run_failing(folder, **options) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_courses", str(folder), stdout=StringIO(), stderr=err, **options)
    return err.getvalue().splitlines()


@pytest.fixture
def site(demo_site):
    """Real themes and the published sample case studies the lessons link to."""
    return CourseIndexPage.objects.get()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the sample courses, to be changed one test at a time."""
    path = tmp_path / "courses"
    shutil.copytree(SAMPLE, path)
    return path


def replace(path: Path, old: str, new: str, *, after: str | None = None) -> int:
    """Replace `old` (the first one after `after`) and return the line number of `new`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    position = text.index(old, start)
    if after is None:
        assert text.count(old) == 1, old
    path.write_text(text[:position] + new + text[position + len(old) :], encoding="utf-8")
    return text[:position].count("\n") + 1


def line_of(path: Path, needle: str, *, after: str | None = None) -> int:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def edit(path: Path, change):
    """Change a course structurally (comments are lost; fine for a test copy)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def course(slug) -> CoursePage:
    return CoursePage.objects.get(slug=slug)


def tree(slug) -> list[tuple[str, list[str]]]:
    """A course's modules and lessons, in page tree order, by slug."""
    page = course(slug)
    return [
        (
            module.slug,
            [lesson.slug for lesson in LessonPage.objects.child_of(module).order_by("path")],
        )
        for module in ModulePage.objects.child_of(page).order_by("path")
    ]


def quiz_lesson(slug) -> LessonPage:
    return next(
        lesson
        for lesson in LessonPage.objects.descendant_of(course(slug)).order_by("path")
        if lesson.quiz_ids()
    )


def assert_nothing_imported():
    assert not CoursePage.objects.exists()
    assert not ModulePage.objects.exists()
    assert not LessonPage.objects.exists()


# The sample courses


@pytest.mark.django_db
def test_sample_folder_creates_three_courses_with_modules_lessons_and_quizzes_as_drafts(site):
    out = run(SAMPLE)

    assert f"Course pages: {SAMPLE_PAGES} created, 0 updated" in out
    courses = CoursePage.objects.child_of(site)
    assert sorted(courses.values_list("title", flat=True)) == [
        "Co-creating an action plan with civil society",
        "From commitment to register: beneficial-ownership transparency",
        "Making commitments transformative: specificity, ambition and completion in IRM terms",
    ]
    assert ModulePage.objects.count() == 9
    assert LessonPage.objects.count() == 20
    assert not courses.live().exists()
    assert not LessonPage.objects.live().exists()
    for page in courses:
        assert page.is_sample
        assert page.summary.startswith("Sample content written by the Reform Exchange team.")
        assert 2 <= ModulePage.objects.child_of(page).count() <= 4
        quizzes = [
            quiz for lesson in LessonPage.objects.descendant_of(page) for quiz in lesson.quizzes()
        ]
        assert quizzes, page.title
        for _, quiz in quizzes:
            assert quiz["pass_mark"] == 70
            assert 3 <= len(quiz["questions"]) <= 5
            assert {question["kind"] for question in quiz["questions"]} == {"single", "multiple"}


@pytest.mark.django_db
def test_pages_follow_the_order_and_fields_of_the_file(site):
    run(SAMPLE)

    assert tree("co-creating-an-action-plan") == [
        ("why-co-create", ["what-an-action-plan-is", "consultation-or-co-creation"]),
        (
            "running-the-process",
            ["setting-up-a-forum", "collecting-and-choosing-ideas", "giving-a-reasoned-response"],
        ),
        ("staying-together", ["co-implementation-and-monitoring", "learning-for-the-next-plan"]),
    ]
    irm = course("making-commitments-transformative")
    assert (irm.level, irm.duration_hours) == ("intermediate", 3)
    assert irm.outcomes.startswith("- Explain what the IRM assesses")
    assert set(irm.themes.values_list("slug", flat=True)) == {
        "capacity-building",
        "anti-corruption-and-integrity",
        "right-to-information",
    }
    lesson = LessonPage.objects.get(slug="writing-for-ambition")
    assert lesson.estimated_minutes == 25
    assert [block.block_type for block in lesson.body] == [
        "markdown",
        "case_study",
        "takeaway",
        "peers",
    ]
    assert lesson.body[1].value.slug == "kenya-access-to-information-act"
    assert lesson.body[3].value["theme"] == "right-to-information"


@pytest.mark.django_db
def test_prerequisites_link_the_courses(site):
    run(SAMPLE, publish=True)

    bo = course("beneficial-ownership-transparency")
    assert list(bo.prerequisites.all()) == [course("making-commitments-transformative")]
    assert not course("making-commitments-transformative").prerequisites.exists()
    learner = UserFactory()
    with pytest.raises(progress.PrerequisitesMissing) as missing:
        progress.enrol(learner, bo)
    assert [page.slug for page in missing.value.missing] == ["making-commitments-transformative"]


@pytest.mark.django_db
def test_publish_option_puts_every_course_online(site, client):
    out = run(SAMPLE, publish=True)

    assert f"Course pages: {SAMPLE_PAGES} created, 0 updated" in out
    assert CoursePage.objects.live().count() == 3
    assert LessonPage.objects.live().count() == 20
    listing = client.get(site.url).content.decode()
    assert "Co-creating an action plan with civil society" in listing
    page = client.get(course("beneficial-ownership-transparency").url).content.decode()
    assert "Why beneficial ownership matters" in page
    lesson = client.get(LessonPage.objects.get(slug="verification-and-sanctions").url)
    assert lesson.status_code == 200
    assert "Register of Public Sector Partners" in lesson.content.decode()


@pytest.mark.django_db
def test_reimport_changes_nothing_and_keeps_quiz_ids(site):
    run(SAMPLE, publish=True)
    quiz_ids = {lesson.pk: lesson.quiz_ids() for lesson in LessonPage.objects.all()}
    revisions = {page.pk: page.revisions.count() for page in CoursePage.objects.all()}

    out = run(SAMPLE, publish=True)

    assert f"Course pages: 0 created, 0 updated, {SAMPLE_PAGES} unchanged" in out
    assert {lesson.pk: lesson.quiz_ids() for lesson in LessonPage.objects.all()} == quiz_ids
    assert {page.pk: page.revisions.count() for page in CoursePage.objects.all()} == revisions
    assert CoursePage.objects.count() == 3


@pytest.mark.django_db
def test_publishing_a_draft_import_publishes_it_without_changes(site):
    run(SAMPLE)

    out = run(SAMPLE, publish=True)

    assert f"Course pages: 0 created, {SAMPLE_PAGES} updated" in out
    assert LessonPage.objects.live().count() == 20
    assert not LessonPage.objects.filter(has_unpublished_changes=True).exists()
    assert all(lesson.revisions.count() == 1 for lesson in LessonPage.objects.all())


@pytest.mark.django_db
def test_changed_lesson_gets_a_new_revision_and_learners_keep_their_passed_quiz(site, folder):
    run(folder, publish=True)
    irm = course("making-commitments-transformative")
    lesson = quiz_lesson("making-commitments-transformative")
    (quiz_id,) = lesson.quiz_ids()
    learner = UserFactory()
    enrollment = progress.enrol(learner, irm)
    right = {
        str(number): [i for i, choice in enumerate(question["choices"]) if choice["correct"]]
        for number, question in enumerate(lesson.quizzes()[0][1]["questions"])
    }
    assert progress.submit_quiz(enrollment, lesson, quiz_id, right).passed
    replace(
        folder / IRM,
        "IRM ratings are strong evidence",
        "IRM ratings are good evidence",
    )
    replace(folder / IRM, "Check your understanding: commitments in IRM terms", "Final check")

    out = run(folder, publish=True)

    assert f"Course pages: 0 created, 1 updated, {SAMPLE_PAGES - 1} unchanged" in out
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.revisions.count() == 2
    assert "IRM ratings are good evidence" in lesson.body[0].value
    assert lesson.quizzes()[0][1]["title"] == "Final check"
    assert lesson.quiz_ids() == [quiz_id]
    assert progress.course_progress(enrollment).quizzes_passed


@pytest.mark.django_db
def test_a_choice_keeps_the_explanation_written_for_it(site, folder):
    replace(
        folder / IRM,
        'explanation: "A budget helps delivery, but the IRM does not rate it for a star."',
        'explanation: "Parliament is not part of the star."',
    )
    run(folder, publish=True)

    questions = quiz_lesson("making-commitments-transformative").quizzes()[0][1]["questions"]
    explained = {
        choice["text"]: choice["explanation"]
        for question in questions
        for choice in question["choices"]
        if choice["explanation"]
    }
    assert explained == {"A budget approved by parliament": "Parliament is not part of the star."}


@pytest.mark.django_db
def test_reimport_without_publish_saves_a_draft_and_leaves_the_live_page(site, folder):
    run(folder, publish=True)
    replace(folder / BO, 'title: "Using the data"', 'title: "Putting the data to work"')

    out = run(folder)

    assert "0 created, 1 updated" in out
    lesson = LessonPage.objects.get(slug="using-the-data")
    assert lesson.title == "Using the data"
    assert lesson.has_unpublished_changes
    assert lesson.get_latest_revision_as_object().title == "Putting the data to work"


@pytest.mark.django_db
def test_reordered_lessons_are_moved_to_the_order_of_the_file(site, folder):
    run(folder, publish=True)
    quiz_ids = quiz_lesson("co-creating-an-action-plan").quiz_ids()

    def swap(data):
        lessons = data["modules"][2]["lessons"]
        lessons.reverse()

    edit(folder / CO, swap)
    run(folder, publish=True)

    assert tree("co-creating-an-action-plan")[2] == (
        "staying-together",
        ["learning-for-the-next-plan", "co-implementation-and-monitoring"],
    )
    assert quiz_lesson("co-creating-an-action-plan").quiz_ids() == quiz_ids


# Bad input: every problem reported as file:line: reason, and nothing created


BAD_INPUT = [
    pytest.param(
        IRM,
        "level: intermediate",
        "level: intermediate: yes",
        None,
        "not valid YAML: mapping values are not allowed here",
        id="yaml-syntax",
    ),
    pytest.param(
        IRM,
        "level: intermediate",
        "level: intermediate\nlanguage: en",
        "language: en",
        "unknown key 'language' in the course",
        id="unknown-course-key",
    ),
    pytest.param(
        IRM,
        "level: intermediate",
        'level: intermediate\ntitle: "Again"',
        'title: "Again"',
        "duplicate key 'title' in the course",
        id="duplicate-key",
    ),
    pytest.param(
        IRM,
        "      - slug: the-irm-and-its-reports",
        "      - slug: the-irm-and-its-reports\n        author: someone",
        "author: someone",
        "unknown key 'author' in lesson",
        id="unknown-lesson-key",
    ),
    pytest.param(
        IRM,
        "themes: [capacity-building,",
        "themes: [open-govt, capacity-building,",
        "themes:",
        "unknown theme 'open-govt'",
        id="unknown-theme",
    ),
    pytest.param(
        IRM,
        "- case_study: kenya-access-to-information-act",
        "- case_study: kenya-ati-law",
        "- case_study: kenya-ati-law",
        "unknown case study 'kenya-ati-law'",
        id="unknown-case-study",
    ),
    pytest.param(
        BO,
        "prerequisites: [making-commitments-transformative]",
        "prerequisites: [making-commitments-better]",
        "prerequisites:",
        "unknown prerequisite 'making-commitments-better'",
        id="unknown-prerequisite",
    ),
    pytest.param(
        BO,
        "level: advanced",
        "level: expert",
        "level: expert",
        "unknown level 'expert' (expected: introductory, intermediate, advanced)",
        id="bad-level",
    ),
    pytest.param(
        BO,
        "duration_hours: 4",
        "duration_hours: four",
        "duration_hours: four",
        "'duration_hours' must be a whole number",
        id="duration-not-a-number",
    ),
    pytest.param(
        BO,
        "slug: beneficial-ownership-transparency",
        "slug: Beneficial Ownership",
        "slug: Beneficial Ownership",
        "invalid slug 'Beneficial Ownership'",
        id="bad-slug",
    ),
    pytest.param(
        IRM,
        "pass_mark: 70",
        "pass_mark: 101",
        "pass_mark: 101",
        "'pass_mark' must be between 1 and 100",
        id="pass-mark-too-high",
    ),
    pytest.param(
        CO,
        "pass_mark: 70",
        "pass_mark: 0",
        "pass_mark: 0",
        "'pass_mark' must be between 1 and 100",
        id="pass-mark-zero",
    ),
    pytest.param(
        IRM,
        '- text: "High: it names a clear goal"\n                      correct: false',
        '- text: "High: it names a clear goal"\n                      correct: true',
        ("choices:", "How specific is it?"),
        "a single-choice question needs exactly one correct choice, not 2",
        id="single-choice-two-correct",
    ),
    pytest.param(
        IRM,
        '- text: "No, because a star needs transformative potential impact"\n'
        "                      correct: true",
        '- text: "No, because a star needs transformative potential impact"\n'
        "                      correct: false",
        ("choices:", "Does it earn a star?"),
        "no choice is marked 'correct: true'",
        id="no-correct-choice",
    ),
    pytest.param(
        BO,
        'data true?"\n                  kind: multiple',
        'data true?"\n                  kind: several',
        "kind: several",
        "question kind must be single or multiple, not 'several'",
        id="bad-question-kind",
    ),
    pytest.param(
        IRM,
        '          - takeaway: "Ambition is measured',
        '          - summary_box: "Ambition is measured',
        "- summary_box:",
        "unknown block type 'summary_box'",
        id="unknown-block-type",
    ),
    pytest.param(
        CO,
        "              theme: mainstreaming-participation",
        "              theme: participation-of-all",
        "theme: participation-of-all",
        "unknown theme 'participation-of-all' in the peers block",
        id="unknown-peers-theme",
    ),
    pytest.param(
        IRM,
        '          - takeaway: "Ambition is measured',
        "          - video:\n"
        "              url: youtube\n"
        '              title: "The IRM explained"\n'
        '          - takeaway: "Ambition is measured',
        "url: youtube",
        "video url 'youtube' is not a web address",
        id="video-url",
    ),
    pytest.param(
        IRM,
        '          - takeaway: "Ambition is measured',
        '          - markdown: "  "\n          - takeaway: "Ambition is measured',
        '- markdown: "  "',
        "'markdown' block is empty",
        id="empty-markdown",
    ),
    pytest.param(
        CO,
        "explanation: >-\n                    The action plan gave",
        "explain: >-\n                    The action plan gave",
        '- text: "In Chile, what did',
        "missing 'explanation' in a question",
        id="missing-explanation",
    ),
    pytest.param(
        CO,
        '        title: "Giving a reasoned response"\n',
        "",
        "- slug: giving-a-reasoned-response",
        "missing 'title' in a lesson",
        id="missing-lesson-title",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "old", "new", "marker", "reason"), BAD_INPUT)
def test_bad_input_is_reported_with_file_and_line_and_nothing_is_imported(
    site, folder, name, old, new, marker, reason
):
    changed_line = replace(folder / name, old, new)
    if marker is None:
        line = changed_line
    elif isinstance(marker, tuple):
        needle, after = marker
        line = line_of(folder / name, needle, after=after)
    else:
        line = line_of(folder / name, marker)

    errors = run_failing(folder, publish=True)

    assert any(error.startswith(f"{name}:{line}: ") and reason in error for error in errors), errors
    assert_nothing_imported()


@pytest.mark.django_db
def test_every_problem_in_every_file_is_reported_in_one_run(site, folder):
    replace(folder / BO, "level: advanced", "level: expert")
    replace(folder / CO, "pass_mark: 70", "pass_mark: 0")
    replace(folder / CO, "- case_study: chile-lobbying-law", "- case_study: chile-lobby")

    errors = run_failing(folder)

    assert errors == [
        f"{BO}:{line_of(folder / BO, 'level: expert')}: unknown level 'expert' "
        "(expected: introductory, intermediate, advanced)",
        f"{CO}:{line_of(folder / CO, 'case_study: chile-lobby')}: unknown case study "
        "'chile-lobby' (the slug of a case study page)",
        f"{CO}:{line_of(folder / CO, 'pass_mark: 0')}: 'pass_mark' must be between 1 and 100",
    ]
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_prerequisite_cycle_is_refused(site, folder):
    replace(folder / IRM, "prerequisites: []", "prerequisites: [beneficial-ownership-transparency]")

    errors = run_failing(folder)

    assert errors == [
        f"{BO}:{line_of(folder / BO, 'prerequisites:')}: prerequisites form a cycle: "
        "beneficial-ownership-transparency → making-commitments-transformative → "
        "beneficial-ownership-transparency"
    ]
    assert_nothing_imported()


@pytest.mark.django_db
def test_two_files_with_the_same_course_slug_are_refused(site, folder):
    shutil.copy(folder / IRM, folder / "copy-of-irm.yaml")

    errors = run_failing(folder)

    assert errors == [
        f"{IRM}:{line_of(folder / IRM, 'slug:')}: course slug "
        "'making-commitments-transformative' is also used by copy-of-irm.yaml"
    ]


@pytest.mark.django_db
def test_files_that_cannot_be_read_are_reported(site, folder):
    (folder / "latin.yaml").write_bytes("title: Participación ciudadana\n".encode("latin-1"))
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    (folder / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    (folder / "alias.yaml").write_text("a: &x [1]\nb: *x\n", encoding="utf-8")

    errors = run_failing(folder)

    assert errors == [
        "alias.yaml:2: aliases (*name) are not allowed in course files",
        "empty.yaml:1: the file is empty",
        "latin.yaml:1: not UTF-8 text: byte 0xf3 at byte position 18 (line 1, column 19); "
        "save the file as UTF-8",
        "list.yaml:1: a course file must be a set of 'key: value' lines",
    ]


@pytest.mark.django_db
def test_a_missing_or_empty_folder_is_reported(site, tmp_path):
    assert run_failing(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: not a folder"]
    assert run_failing(tmp_path) == [f"{tmp_path}:0: no .yaml files in this folder"]


@pytest.mark.django_db
def test_a_bad_file_stops_the_changes_of_the_good_ones_on_reimport(site, folder):
    run(folder, publish=True)
    replace(folder / CO, 'title: "Giving a reasoned response"', 'title: "Answering proposals"')
    replace(folder / BO, "level: advanced", "level: expert")

    run_failing(folder, publish=True)

    lesson = LessonPage.objects.get(slug="giving-a-reasoned-response")
    assert lesson.title == "Giving a reasoned response"
    assert lesson.revisions.count() == 1

"""Reading a folder of course files into validated drafts (docs/course-format.md).

Every file is read and checked before anything is written; each problem is reported as
`file:line: reason`, at the line of the offending key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casestudies.models import CaseStudyPage, Theme
from exchange.core.importing.base import ImportFailed, Problem, read_text
from exchange.core.importing.checks import LineChecker, parse_files
from exchange.core.importing.yaml_lines import Mapping
from exchange.core.importing.yaml_lines import load as load_yaml
from exchange.core.importing.yaml_lines import problem as yaml_problem
from learning.course_import.lesson_body import LessonBodyParser
from learning.models import CourseLevel, CoursePage

MAX_FILE_BYTES = 500_000
COURSE_KEYS = {
    "sample",
    "slug",
    "title",
    "summary",
    "level",
    "duration_hours",
    "outcomes",
    "themes",
    "prerequisites",
    "modules",
}
MODULE_KEYS = {"slug", "title", "summary", "lessons"}
LESSON_KEYS = {"slug", "title", "summary", "estimated_minutes", "body"}
TITLE_MAX = CoursePage._meta.get_field("title").max_length
SUMMARY_MAX = CoursePage._meta.get_field("summary").max_length
SMALL_INT_MAX = 32767


# Validated drafts ------------------------------------------------------------------


@dataclass
class LessonDraft:
    slug: str
    fields: dict
    body: list[tuple[str, object]]


@dataclass
class ModuleDraft:
    slug: str
    fields: dict
    lessons: list[LessonDraft]


@dataclass
class CourseDraft:
    """A validated file, ready to become a course page with its modules and lessons."""

    path: Path
    slug: str
    fields: dict
    themes: list
    prerequisites: list[str]
    modules: list[ModuleDraft] = field(default_factory=list)
    slug_line: int = 1
    prerequisites_line: int = 1


class CourseFileParser(LineChecker):
    """One course file: `parse()` gives its draft, or None with the reasons in `problems`."""

    def __init__(self, path: Path, lookups):
        super().__init__(path.name)
        self.path = path
        self.themes, case_studies = lookups
        self.body = LessonBodyParser(self, self.themes, case_studies)

    def parse(self) -> CourseDraft | None:
        if self.path.stat().st_size > MAX_FILE_BYTES:
            self.fail(1, f"file is larger than {MAX_FILE_BYTES // 1000} kB")
            return None
        try:
            # UTF-8 only, a byte-order mark allowed (editors on Windows may save one).
            text = read_text(self.path)
        except ImportFailed as failure:
            self.problems.extend(failure.problems)
            return None
        try:
            data = load_yaml(text, what="course files")
        except yaml.YAMLError as error:
            self.problems.append(yaml_problem(error, self.source))
            return None
        if data is None:
            self.fail(1, "the file is empty")
            return None
        if not isinstance(data, Mapping):
            self.fail(1, "a course file must be a set of 'key: value' lines")
            return None
        return self.course(data)

    def course(self, data: Mapping) -> CourseDraft | None:
        self.keys(
            data,
            COURSE_KEYS,
            "the course",
            required=("title", "summary", "level", "duration_hours", "modules"),
        )
        # The file name is the default identity: fixing a title must not create a new course.
        slug = self.slug(data, self.path.stem)
        title = self.text(data, "title", max_length=TITLE_MAX)
        summary = self.text(data, "summary", max_length=SUMMARY_MAX)
        outcomes = self.text(data, "outcomes")
        level = self.text(data, "level")
        if level and level not in CourseLevel.values:
            self.fail(
                self.line(data, "level"),
                f"unknown level {level!r} (expected: {', '.join(CourseLevel.values)})",
            )
        duration = self.integer(data, "duration_hours", low=1, high=500)
        sample = self.boolean(data, "sample")

        themes = []
        for line, slug_value in self.items(data, "themes"):
            theme = self.themes.get(str(slug_value))
            if theme is None:
                self.fail(line, f"unknown theme {slug_value!r}")
            elif theme not in themes:
                themes.append(theme)

        prerequisites = []
        for line, slug_value in self.items(data, "prerequisites"):
            if not isinstance(slug_value, str):
                self.fail(line, f"prerequisite {slug_value!r} must be a course slug")
            elif slug_value == slug:
                self.fail(line, "a course cannot be its own prerequisite")
            elif slug_value not in prerequisites:
                prerequisites.append(slug_value)

        modules = self.each(data, "modules", self.module, "module")
        if self.problems:
            return None
        return CourseDraft(
            path=self.path,
            slug=slug,
            fields={
                "title": title,
                "summary": summary,
                "level": level,
                "duration_hours": duration,
                "outcomes": outcomes,
                "is_sample": sample,
            },
            themes=themes,
            prerequisites=prerequisites,
            modules=modules,
            slug_line=self.line(data, "slug") if "slug" in data else 1,
            prerequisites_line=self.line(data, "prerequisites"),
        )

    def each(self, data: Mapping, key: str, read: Callable, what: str) -> list:
        """The drafts `read` makes of the entries of the list `key`, each slug used once
        (`what` names them: "module")."""
        drafts, lines = [], {}
        for line, entry in self.items(data, key, of=Mapping):
            draft = read(entry)
            if draft.slug in lines:
                self.fail(
                    line, f"{what} slug {draft.slug!r} is also used on line {lines[draft.slug]}"
                )
            lines.setdefault(draft.slug, line)
            drafts.append(draft)
        return drafts

    def module(self, data: Mapping) -> ModuleDraft:
        what = f"module '{data['title']}'" if data.get("title") else "a module"
        self.keys(data, MODULE_KEYS, what, required=("title", "lessons"))
        title = self.text(data, "title", max_length=TITLE_MAX)
        slug = self.slug(data, title)
        summary = self.text(data, "summary")
        lessons = self.each(data, "lessons", self.lesson, "lesson")
        return ModuleDraft(slug=slug, fields={"title": title, "summary": summary}, lessons=lessons)

    def lesson(self, data: Mapping) -> LessonDraft:
        what = f"lesson '{data['title']}'" if data.get("title") else "a lesson"
        self.keys(data, LESSON_KEYS, what, required=("title", "body"))
        title = self.text(data, "title", max_length=TITLE_MAX)
        slug = self.slug(data, title)
        fields = {
            "title": title,
            "summary": self.text(data, "summary"),
            "estimated_minutes": self.integer(
                data, "estimated_minutes", low=1, high=SMALL_INT_MAX, default=15
            ),
        }
        body = []
        quiz_titles = {}
        for line, block in self.items(data, "body", of=Mapping):
            parsed = self.body.block(block, line)
            if parsed is None:
                continue
            kind, value = parsed
            if kind == "quiz":
                # Quiz ids are matched on their titles when a lesson is re-imported.
                if value["title"] in quiz_titles:
                    self.fail(
                        line,
                        f"quiz title {value['title']!r} is also used on line "
                        f"{quiz_titles[value['title']]}; give each quiz its own title",
                    )
                quiz_titles.setdefault(value["title"], line)
            body.append(parsed)
        return LessonDraft(slug=slug, fields=fields, body=body)


def _ordered(drafts: list[CourseDraft]) -> tuple[list[CourseDraft], list[Problem]]:
    """Courses with their prerequisites first, or the problems of a prerequisite cycle."""
    by_slug = {draft.slug: draft for draft in drafts}
    ordered, state, problems = [], {}, []

    def visit(draft: CourseDraft, trail: list[str]):
        if state.get(draft.slug) == "done":
            return
        if state.get(draft.slug) == "visiting":
            cycle = [*trail[trail.index(draft.slug) :], draft.slug]
            problems.append(
                Problem(
                    draft.path.name,
                    draft.prerequisites_line,
                    f"prerequisites form a cycle: {' → '.join(cycle)}",
                )
            )
            return
        state[draft.slug] = "visiting"
        for slug in draft.prerequisites:
            if slug in by_slug:
                visit(by_slug[slug], [*trail, draft.slug])
        state[draft.slug] = "done"
        ordered.append(draft)

    for draft in drafts:
        visit(draft, [])
    return ordered, problems


def parse_folder(folder: Path) -> list[CourseDraft]:
    """Every course in the folder, validated, prerequisites first; or ImportFailed."""
    if not folder.is_dir():
        raise ImportFailed([Problem(str(folder), 0, "not a folder")])
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not paths:
        raise ImportFailed([Problem(str(folder), 0, "no .yaml files in this folder")])
    lookups = (
        {theme.slug: theme for theme in Theme.objects.all()},
        dict(CaseStudyPage.objects.values_list("slug", "pk")),
    )
    drafts, problems = parse_files(
        paths, lambda path: CourseFileParser(path, lookups), "course slug"
    )
    known = {draft.slug for draft in drafts} | set(
        CoursePage.objects.values_list("slug", flat=True)
    )
    for draft in drafts:
        for slug in draft.prerequisites:
            if slug not in known:
                problems.append(
                    Problem(
                        draft.path.name,
                        draft.prerequisites_line,
                        f"unknown prerequisite {slug!r} (not a course in this folder or the site)",
                    )
                )
    drafts, cycle_problems = _ordered(drafts)
    problems.extend(cycle_problems)
    if problems:
        raise ImportFailed(problems)
    return drafts

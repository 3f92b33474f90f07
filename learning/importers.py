"""Import courses written as YAML files, one course per file.

The format is documented in docs/course-format.md. Every file in the folder is
validated first and each problem is reported as `file:line: reason`, with the
line of the offending key; if any file is bad, no page is created or changed.

Courses, modules and lessons are matched on their slugs under their parent, so
re-importing a folder updates pages (a new revision only where something
changed) instead of duplicating them. New pages are drafts unless
`publish=True`. Learners' quiz attempts point at a quiz's StreamField block id,
so an update reuses the ids of the lesson's existing blocks (quizzes by title,
then by position) and attempts stay attached to the quiz.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from casestudies.models import CaseStudyPage, Theme
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text
from exchange.core.importing.yaml_lines import Mapping as _Mapping
from exchange.core.importing.yaml_lines import Sequence as _Sequence
from exchange.core.importing.yaml_lines import load as load_yaml
from exchange.core.importing.yaml_lines import problem as yaml_problem
from learning.blocks import (
    LessonBodyBlock,
    PeersPanelBlock,
    QuizBlock,
    QuizChoiceBlock,
    VideoBlock,
)
from learning.models import CourseIndexPage, CourseLevel, CoursePage, LessonPage, ModulePage

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
BLOCK_TYPES = list(LessonBodyBlock.base_blocks)
VIDEO_KEYS = {"url", "title", "transcript"}
PEERS_KEYS = {"theme", "goal"}
QUIZ_KEYS = {"title", "pass_mark", "questions"}
QUESTION_KEYS = {"text", "kind", "choices", "explanation"}
CHOICE_KEYS = {"text", "correct", "explanation"}
QUESTION_KINDS = ("single", "multiple")
DEFAULT_QUIZ_TITLE = QuizBlock.base_blocks["title"].meta.default
TITLE_MAX = CoursePage._meta.get_field("title").max_length
SUMMARY_MAX = CoursePage._meta.get_field("summary").max_length
SMALL_INT_MAX = 32767


def _max_length(struct, name: str) -> int | None:
    return getattr(struct.base_blocks[name].field, "max_length", None)


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


class _FileParser:
    def __init__(self, path: Path, lookups):
        self.path = path
        self.name = path.name
        self.themes, self.case_studies = lookups
        self.problems: list[Problem] = []

    def fail(self, line: int, reason: str):
        self.problems.append(Problem(self.name, line, reason))

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
            self.problems.append(yaml_problem(error, self.name))
            return None
        if data is None:
            self.fail(1, "the file is empty")
            return None
        if not isinstance(data, _Mapping):
            self.fail(1, "a course file must be a set of 'key: value' lines")
            return None
        return self.course(data)

    # Generic checks, each reporting at the line of the key concerned.

    def keys(self, mapping: _Mapping, known: set, what: str, required=()):
        for key, line in mapping.duplicates:
            self.fail(line, f"duplicate key '{key}' in {what}")
        for key in mapping:
            if key not in known:
                self.fail(
                    mapping.line_of(key),
                    f"unknown key '{key}' in {what} (expected: {', '.join(sorted(known))})",
                )
        for key in required:
            if key not in mapping or mapping[key] in (None, "", [], {}):
                self.fail(mapping.line_of(key), f"missing '{key}' in {what}")

    def text(self, mapping: _Mapping, key: str, *, max_length=None, default="") -> str:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(mapping.line_of(key), f"'{key}' must be text (put it in quotes)")
            return default
        value = str(value).strip()
        if max_length and len(value) > max_length:
            self.fail(
                mapping.line_of(key),
                f"'{key}' is longer than {max_length} characters ({len(value)})",
            )
        return value

    def integer(self, mapping: _Mapping, key: str, *, low: int, high: int, default=None):
        value = mapping.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(mapping.line_of(key), f"'{key}' must be a whole number")
            return default
        if not low <= value <= high:
            self.fail(mapping.line_of(key), f"'{key}' must be between {low} and {high}")
            return default
        return value

    def items(self, mapping: _Mapping, key: str, *, of=None) -> list[tuple[int, object]]:
        """The entries of a list with their lines; `of=_Mapping` requires each to be a mapping."""
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str) and of is None:
            return [(mapping.line_of(key), value)]
        if not isinstance(value, _Sequence):
            self.fail(mapping.line_of(key), f"'{key}' must be a list")
            return []
        entries = []
        for position, item in enumerate(value):
            line = value.line_at(position)
            if of is _Mapping and not isinstance(item, _Mapping):
                self.fail(line, f"each entry of '{key}' must be a set of 'key: value' lines")
                continue
            entries.append((line, item))
        return entries

    def slug(self, mapping: _Mapping, default_from: str) -> str:
        slug = self.text(mapping, "slug", max_length=255) or slugify(default_from)
        if slug != slugify(slug):
            self.fail(mapping.line_of("slug"), f"invalid slug {slug!r} (use a-z, 0-9 and -)")
        return slug

    # The course, its modules and lessons.

    def course(self, data: _Mapping) -> CourseDraft | None:
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
                data.line_of("level"),
                f"unknown level {level!r} (expected: {', '.join(CourseLevel.values)})",
            )
        duration = self.integer(data, "duration_hours", low=1, high=500)
        sample = data.get("sample", False)
        if not isinstance(sample, bool):
            self.fail(data.line_of("sample"), "'sample' must be true or false")

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

        modules = []
        seen = {}
        for line, module_data in self.items(data, "modules", of=_Mapping):
            module = self.module(module_data)
            if module.slug in seen:
                self.fail(
                    line, f"module slug {module.slug!r} is also used on line {seen[module.slug]}"
                )
            seen.setdefault(module.slug, line)
            modules.append(module)

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
            slug_line=data.line_of("slug") if "slug" in data else 1,
            prerequisites_line=data.line_of("prerequisites"),
        )

    def module(self, data: _Mapping) -> ModuleDraft:
        what = f"module '{data['title']}'" if data.get("title") else "a module"
        self.keys(data, MODULE_KEYS, what, required=("title", "lessons"))
        title = self.text(data, "title", max_length=TITLE_MAX)
        slug = self.slug(data, title)
        summary = self.text(data, "summary")
        lessons = []
        seen = {}
        for line, lesson_data in self.items(data, "lessons", of=_Mapping):
            lesson = self.lesson(lesson_data)
            if lesson.slug in seen:
                self.fail(
                    line, f"lesson slug {lesson.slug!r} is also used on line {seen[lesson.slug]}"
                )
            seen.setdefault(lesson.slug, line)
            lessons.append(lesson)
        return ModuleDraft(slug=slug, fields={"title": title, "summary": summary}, lessons=lessons)

    def lesson(self, data: _Mapping) -> LessonDraft:
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
        for line, block in self.items(data, "body", of=_Mapping):
            parsed = self.block(block, line)
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

    # Body blocks, as the raw values LessonBodyBlock stores (see learning/blocks.py).

    def block(self, block: _Mapping, line: int) -> tuple[str, object] | None:
        for key, key_line in block.duplicates:
            self.fail(key_line, f"duplicate key '{key}' in a body block")
        if len(block) != 1:
            self.fail(
                line,
                "each body block has exactly one key, its type: "
                f"{', '.join(BLOCK_TYPES)} (found: {', '.join(map(str, block)) or 'none'})",
            )
            return None
        ((kind, value),) = block.items()
        if kind not in BLOCK_TYPES:
            self.fail(line, f"unknown block type '{kind}' (expected: {', '.join(BLOCK_TYPES)})")
            return None
        return getattr(self, f"block_{kind}")(block, value, line)

    def required_text(self, block: _Mapping, kind: str, line: int) -> str | None:
        value = block[kind]
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(line, f"'{kind}' block is empty")
            return None
        return self.text(block, kind) or None  # `text` reports a list or mapping

    def block_markdown(self, block, value, line):
        text = self.required_text(block, "markdown", line)
        return ("markdown", text) if text else None

    def block_takeaway(self, block, value, line):
        text = self.required_text(block, "takeaway", line)
        return ("takeaway", {"text": text}) if text else None

    def block_case_study(self, block, value, line):
        slug = self.required_text(block, "case_study", line)
        if slug is None:
            return None
        page_id = self.case_studies.get(slug)
        if page_id is None:
            self.fail(line, f"unknown case study {slug!r} (the slug of a case study page)")
            return None
        return "case_study", page_id

    def block_peers(self, block, value, line):
        if isinstance(value, str):
            value = _Mapping()
            value.update(theme=block["peers"])
            value.line = line
        if not isinstance(value, _Mapping):
            self.fail(line, "'peers' must be a theme slug or a mapping with theme and goal")
            return None
        self.keys(value, PEERS_KEYS, "the peers block", required=("theme",))
        theme = self.text(value, "theme", max_length=_max_length(PeersPanelBlock, "theme"))
        goal = self.text(value, "goal", max_length=_max_length(PeersPanelBlock, "goal"))
        if theme and theme not in self.themes:
            self.fail(value.line_of("theme"), f"unknown theme {theme!r} in the peers block")
        return "peers", {"theme": theme, "goal": goal}

    def block_video(self, block, value, line):
        if not isinstance(value, _Mapping):
            self.fail(line, "'video' must be a mapping with url, title and transcript")
            return None
        self.keys(value, VIDEO_KEYS, "the video block", required=("url", "title"))
        url = self.text(value, "url", max_length=_max_length(VideoBlock, "url"))
        if url and not url.startswith(("https://", "http://")):
            self.fail(value.line_of("url"), f"video url {url!r} is not a web address")
        title = self.text(value, "title", max_length=_max_length(VideoBlock, "title"))
        return "video", {"url": url, "title": title, "transcript": self.text(value, "transcript")}

    def block_quiz(self, block, value, line):
        if not isinstance(value, _Mapping):
            self.fail(line, "'quiz' must be a mapping with title, pass_mark and questions")
            return None
        self.keys(value, QUIZ_KEYS, "the quiz", required=("questions",))
        title = self.text(
            value, "title", max_length=_max_length(QuizBlock, "title"), default=DEFAULT_QUIZ_TITLE
        )
        pass_mark = self.integer(value, "pass_mark", low=1, high=100, default=70)
        questions = [
            self.question(question)
            for _line, question in self.items(value, "questions", of=_Mapping)
        ]
        return "quiz", {"title": title, "pass_mark": pass_mark, "questions": questions}

    def question(self, data: _Mapping) -> dict:
        self.keys(data, QUESTION_KEYS, "a question", required=("text", "choices", "explanation"))
        kind = self.text(data, "kind", default="single")
        if kind not in QUESTION_KINDS:
            self.fail(
                data.line_of("kind"), f"question kind must be single or multiple, not {kind!r}"
            )
        choices = []
        for _line, choice in self.items(data, "choices", of=_Mapping):
            self.keys(choice, CHOICE_KEYS, "a choice", required=("text",))
            correct = choice.get("correct", False)
            if not isinstance(correct, bool):
                self.fail(choice.line_of("correct"), "'correct' must be true or false")
            text = self.text(choice, "text", max_length=_max_length(QuizChoiceBlock, "text"))
            explanation = self.text(choice, "explanation")
            choices.append({"text": text, "correct": correct, "explanation": explanation})
        if "choices" in data and len(choices) < 2:
            self.fail(data.line_of("choices"), "a question needs at least two choices")
        right = sum(1 for choice in choices if choice["correct"] is True)
        if choices and right == 0:
            self.fail(data.line_of("choices"), "no choice is marked 'correct: true'")
        elif kind == "single" and right > 1:
            self.fail(
                data.line_of("choices"),
                f"a single-choice question needs exactly one correct choice, not {right}",
            )
        return {
            "text": self.text(data, "text"),
            "kind": kind,
            "choices": choices,
            "explanation": self.text(data, "explanation"),
        }


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
    problems, drafts, slugs = [], [], {}
    for path in paths:
        parser = _FileParser(path, lookups)
        draft = parser.parse()
        problems.extend(parser.problems)
        if draft:
            if draft.slug in slugs:
                problems.append(
                    Problem(
                        path.name,
                        draft.slug_line,
                        f"course slug {draft.slug!r} is also used by {slugs[draft.slug]}",
                    )
                )
            slugs[draft.slug] = path.name
            drafts.append(draft)
    known = set(slugs) | set(CoursePage.objects.values_list("slug", flat=True))
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


# Writing pages ---------------------------------------------------------------------


def import_courses(folder: Path, *, publish=False, user=None, progress=None) -> ImportResult:
    """Create or update the courses in `folder`; counts are pages (courses, modules, lessons)."""
    drafts = parse_folder(folder)
    index = CourseIndexPage.objects.first()
    if index is None:
        raise ImportFailed([Problem(str(folder), 0, "no course index page exists yet")])
    writer = _Writer(publish=publish, user=user)
    with transaction.atomic():
        courses = {page.slug: page for page in CoursePage.objects.child_of(index)}
        for draft in progress(drafts) if progress else drafts:
            course = writer.course(index, courses.get(draft.slug), draft, courses)
            courses[draft.slug] = course
    return writer.result


class _Writer:
    def __init__(self, *, publish: bool, user):
        self.publish = publish
        self.user = user
        self.result = ImportResult()

    def course(self, index, page, draft: CourseDraft, courses: dict) -> CoursePage:
        prerequisites = [courses[slug] for slug in draft.prerequisites if slug in courses]
        # A prerequisite that is not in the folder is an existing course elsewhere on the site.
        missing = [slug for slug in draft.prerequisites if slug not in courses]
        prerequisites += list(CoursePage.objects.filter(slug__in=missing))

        def apply(target):
            for key, value in draft.fields.items():
                setattr(target, key, value)
            target.themes.set(draft.themes)
            target.prerequisites.set(prerequisites)

        def differs(latest):
            return (
                _fields_differ(latest, draft.fields)
                or {t.pk for t in latest.themes.all()} != {t.pk for t in draft.themes}
                or {c.pk for c in latest.prerequisites.all()} != {c.pk for c in prerequisites}
            )

        course = self.save(index, page, CoursePage, draft.slug, apply, differs)
        modules = {page.slug: page for page in ModulePage.objects.child_of(course)}
        for module_draft in draft.modules:
            module = self.module(course, modules.get(module_draft.slug), module_draft)
            modules[module_draft.slug] = module
        self.order(course, ModulePage, [module.slug for module in draft.modules])
        return course

    def module(self, course, page, draft: ModuleDraft) -> ModulePage:
        module = self.save(
            course,
            page,
            ModulePage,
            draft.slug,
            apply=lambda target: _set_fields(target, draft.fields),
            differs=lambda latest: _fields_differ(latest, draft.fields),
        )
        lessons = {page.slug: page for page in LessonPage.objects.child_of(module)}
        for lesson_draft in draft.lessons:
            self.lesson(module, lessons.get(lesson_draft.slug), lesson_draft)
        self.order(module, LessonPage, [lesson.slug for lesson in draft.lessons])
        return module

    def lesson(self, module, page, draft: LessonDraft) -> LessonPage:
        stream_block = LessonPage._meta.get_field("body").stream_block

        def apply(target):
            _set_fields(target, draft.fields)
            old = list(target.body.raw_data) if target.body else []
            target.body = stream_block.to_python(_with_ids(draft.body, old))

        def differs(latest):
            return _fields_differ(latest, draft.fields) or _stripped(
                latest.body.raw_data
            ) != _stripped([{"type": kind, "value": value} for kind, value in draft.body])

        return self.save(module, page, LessonPage, draft.slug, apply, differs)

    def save(self, parent, page, model, slug, apply, differs):
        """Create the page, or give it a new revision if the file changes it; publish if asked."""
        if page is None:
            page = model(slug=slug, live=False)
            apply(page)
            parent.add_child(instance=page)
            self.result.created += 1
        else:
            # Build on the latest revision, so an editor's draft of fields the file does not
            # hold (SEO title, search description…) survives the import.
            latest = page.get_latest_revision_as_object()
            if not differs(latest):
                if self.publish and (not page.live or page.has_unpublished_changes):
                    # Imported earlier as a draft: publish what is there, unchanged.
                    revision = page.get_latest_revision() or page.save_revision(user=self.user)
                    revision.publish(user=self.user)
                    self.result.updated += 1
                else:
                    self.result.unchanged += 1
                return page
            page = latest
            apply(page)
            self.result.updated += 1
        revision = page.save_revision(user=self.user, log_action=True)
        if self.publish:
            revision.publish(user=self.user)
        return model.objects.get(pk=page.pk)

    def order(self, parent, model, slugs: list[str]):
        """Put the children in the order of the file (pages not in the file come first)."""
        children = list(model.objects.child_of(parent).order_by("path"))
        imported = [child.slug for child in children if child.slug in slugs]
        if imported == slugs:
            return
        for slug in slugs:
            model.objects.get(pk=next(c.pk for c in children if c.slug == slug)).move(
                parent, pos="last-child", user=self.user
            )


def _set_fields(page, fields: dict):
    for key, value in fields.items():
        setattr(page, key, value)


def _fields_differ(page, fields: dict) -> bool:
    return any(getattr(page, key) != value for key, value in fields.items())


def _unwrap(value):
    """A raw value without block ids: list items lose their {"type": "item", "id"} wrapper."""
    if isinstance(value, dict):
        if (
            value.get("type") == "item"
            and "value" in value
            and set(value) <= {"type", "value", "id"}
        ):
            return _unwrap(value["value"])
        return {key: _unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


def _stripped(raw_stream) -> list[tuple[str, object]]:
    return [(block["type"], _unwrap(block["value"])) for block in raw_stream]


def _with_ids(blocks: list[tuple[str, object]], old: list[dict]) -> list[dict]:
    """Raw stream data for `blocks`, reusing the ids of the blocks they replace.

    A quiz takes the id of the old quiz with the same title, else of the old quiz
    at the same position among quizzes; other blocks take the id of the old block
    of their type at the same position. List items (questions, choices) keep
    their ids by position, so Wagtail's revision comparison stays readable.
    """
    old_by_type: dict[str, list[dict]] = {}
    for block in old:
        old_by_type.setdefault(block["type"], []).append(block)
    quiz_by_title = {}
    for block in old_by_type.get("quiz", []):
        title = _unwrap(block["value"]).get("title") if isinstance(block["value"], dict) else None
        quiz_by_title.setdefault(title, block)
    used: set[str] = set()
    seen_of_type: dict[str, int] = {}
    raw = []
    for kind, value in blocks:
        position = seen_of_type.get(kind, 0)
        seen_of_type[kind] = position + 1
        candidates = []
        if kind == "quiz":
            candidates.append(quiz_by_title.get(value["title"]))
        same_type = old_by_type.get(kind, [])
        if position < len(same_type):
            candidates.append(same_type[position])
        match = next((block for block in candidates if block and block.get("id") not in used), None)
        if match is not None and match.get("id"):
            used.add(match["id"])
            block_id = match["id"]
        else:
            block_id = str(uuid.uuid4())
        raw.append(
            {
                "type": kind,
                "value": _with_item_ids(value, match["value"] if match else None),
                "id": block_id,
            }
        )
    return raw


def _with_item_ids(value, old):
    """`value` in the ListBlock format of Wagtail, reusing the item ids of `old` by position."""
    if isinstance(value, dict):
        old = old if isinstance(old, dict) else {}
        return {key: _with_item_ids(item, old.get(key)) for key, item in value.items()}
    if isinstance(value, list):
        old = old if isinstance(old, list) else []
        items = []
        for position, item in enumerate(value):
            previous = old[position] if position < len(old) else None
            wrapped = isinstance(previous, dict) and previous.get("type") == "item"
            items.append(
                {
                    "type": "item",
                    "value": _with_item_ids(item, previous["value"] if wrapped else previous),
                    "id": previous.get("id")
                    if wrapped and previous.get("id")
                    else str(uuid.uuid4()),
                }
            )
        return items
    return value

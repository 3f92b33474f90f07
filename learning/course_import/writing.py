"""Writing validated course drafts as pages, in one transaction.

Courses, modules and lessons are matched on their slugs under their parent, so
re-importing a folder updates pages (a new revision only where something changed)
instead of duplicating them. New pages are drafts unless `publish=True`.
"""

from pathlib import Path

from django.db import transaction

from exchange.core.importing.base import ImportFailed, ImportResult, Problem
from learning.course_import.block_ids import with_ids, without_ids
from learning.course_import.parsing import CourseDraft, LessonDraft, ModuleDraft, parse_folder
from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage


def import_courses(folder: Path, *, publish=False, user=None, progress=None) -> ImportResult:
    """Create or update the courses in `folder`; counts are pages (courses, modules, lessons)."""
    drafts = parse_folder(folder)
    index = CourseIndexPage.objects.first()
    if index is None:
        raise ImportFailed([Problem(str(folder), 0, "no course index page exists yet")])
    writer = PageWriter(publish=publish, user=user)
    with transaction.atomic():
        courses = {page.slug: page for page in CoursePage.objects.child_of(index)}
        for draft in progress(drafts) if progress else drafts:
            course = writer.course(index, courses.get(draft.slug), draft, courses)
            courses[draft.slug] = course
    return writer.result


class PageWriter:
    """Creates or revises the pages of validated drafts, counting what it did."""

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
            target.body = stream_block.to_python(with_ids(draft.body, old))

        def differs(latest):
            return _fields_differ(latest, draft.fields) or without_ids(
                latest.body.raw_data
            ) != without_ids([{"type": kind, "value": value} for kind, value in draft.body])

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

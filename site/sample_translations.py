"""Sample translations of demo pages into French and Spanish, loaded by `load_demo`.

Each file under site/sample_translations/<language>/ translates one English page (matched by
its slug) the way an editor would with the admin's "Translate" action: the page is copied into
the locale (Wagtail copies an untranslated parent as an alias), then its text is replaced
with the file's and the copy is published. The structure the translation does not change
(country, themes, commitments, dates, sources, quizzes) stays the English page's.

These are samples written by the Reform Exchange team, like the English demo pages: each file
says so, and the pages keep `is_sample`. Running again updates a translation whose text changed
and leaves the others alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page

from casestudies.models import CaseStudyPage
from exchange.models import HomePage
from learning.models import CoursePage

FOLDER = Path(__file__).resolve().parent / "sample_translations"


@dataclass
class TranslationResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def _translation(page: Page, locale: Locale, *, include_subtree=False) -> tuple[Page, bool]:
    """The page's translation into `locale`, made now if missing (True) as the admin would."""
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is not None:
        # Made as the alias parent of a translated child: it becomes a page of its own, as
        # with the admin's "Convert alias into ordinary page".
        ConvertAliasPageAction(existing).execute(skip_permission_checks=True)
        return Page.objects.get(pk=existing.pk).specific, True
    if existing is not None:
        return existing.specific, False
    CopyPageForTranslationAction(
        page, locale, include_subtree=include_subtree, copy_parents=True
    ).execute(skip_permission_checks=True)
    return page.get_translation(locale).specific, True


def _set(page: Page, values: dict) -> bool:
    """Put `values` on the page; whether anything changed. StreamFields are compared as JSON."""
    changed = False
    for name, value in values.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            if _without_ids(current.raw_data) == value:
                continue
            value = json.dumps(value)
        elif current == value:
            continue
        setattr(page, name, value)
        changed = True
    return changed


def _publish(page: Page, changed: bool, created: bool) -> bool:
    if changed or created or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
        return True
    return False


def _without_ids(raw) -> list[dict]:
    return [{"type": block["type"], "value": block["value"]} for block in raw]


def translate_home(data: dict, locale: Locale) -> tuple[Page, bool, bool]:
    english = HomePage.objects.filter(locale__language_code="en").first()
    page, created = _translation(english, locale)
    changed = _set(page, {"title": data["title"], "intro": data["intro"]})
    return page, created, _publish(page, changed, created)


def translate_case_study(data: dict, locale: Locale):
    english = CaseStudyPage.objects.get(locale__language_code="en", slug=data["slug"])
    page, created = _translation(english, locale)
    figures = _without_ids(english.key_figures.raw_data)
    if len(figures) != len(data.get("key_figures", [])):
        raise ValueError(f"{data['slug']}: translate each of the {len(figures)} key figures")
    for block, text in zip(figures, data.get("key_figures", []), strict=True):
        block["value"] = {**block["value"], **text}
    sections = []
    for block in _without_ids(english.body.raw_data):
        kind = block["value"]["kind"]
        if kind not in data["sections"]:
            raise ValueError(f"{data['slug']}: section {kind!r} is not translated")
        sections.append(
            {"type": block["type"], "value": {"kind": kind, "text": data["sections"][kind]}}
        )
    changed = _set(
        page,
        {
            "title": data["title"],
            "summary": data["summary"],
            "key_figures": figures,
            "body": sections,
        },
    )
    return page, created, _publish(page, changed, created)


def translate_course(data: dict, locale: Locale):
    """The course with its modules and lessons (as Wagtail's "translate the subtree").

    A lesson the file does not translate keeps its English text, and opens with the file's
    `untranslated_notice` so the learner knows why."""
    english = CoursePage.objects.get(locale__language_code="en", slug=data["slug"])
    course, created = _translation(english, locale, include_subtree=True)
    published = _publish(
        course,
        _set(course, {key: data[key] for key in ("title", "summary", "outcomes")}),
        created,
    )
    modules = data.get("modules", {})
    for module in course.get_children().specific():
        text = modules.get(module.slug, {})
        changed = _set(module, {k: text[k] for k in ("title", "summary") if k in text})
        published |= _publish(module, changed, created)
        lessons = text.get("lessons", {})
        for lesson in module.get_children().specific():
            lesson_text = lessons.get(lesson.slug, {})
            values = {k: lesson_text[k] for k in ("title", "summary") if k in lesson_text}
            values["body"] = _lesson_body(lesson, lesson_text, data["untranslated_notice"])
            published |= _publish(lesson, _set(lesson, values), created)
    return course, created, published


def _lesson_body(lesson: Page, text: dict, notice: str) -> list[dict]:
    """The English lesson's blocks with the file's text in place of the English: its
    `blocks`, one per markdown or takeaway block in order; without them, the notice first."""
    english = lesson.get_translation(Locale.get_default()).specific
    blocks = _without_ids(english.body.raw_data)
    translated = list(text.get("blocks", []))
    if not translated:
        return [{"type": "markdown", "value": notice}, *blocks]
    for block in blocks:
        if block["type"] in ("markdown", "takeaway"):
            if not translated:
                raise ValueError(f"{lesson.slug}: translate every markdown and takeaway block")
            value = translated.pop(0)
            block["value"] = {"text": value} if block["type"] == "takeaway" else value
    return blocks


TRANSLATORS = {
    "home": translate_home,
    "case_study": translate_case_study,
    "course": translate_course,
}


@transaction.atomic
def load_sample_translations(folder: Path = FOLDER) -> TranslationResult:
    result = TranslationResult()
    for path in sorted(folder.glob("*/*.yaml")):
        locale = Locale.objects.get(language_code=path.parent.name)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        page, created, published = TRANSLATORS[data["kind"]](data, locale)
        name = f"{locale.language_code}: {page.title}"
        if created:
            result.created.append(name)
        elif published:
            result.updated.append(name)
        else:
            result.unchanged += 1
    return result

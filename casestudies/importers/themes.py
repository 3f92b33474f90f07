"""Load the OGP policy areas (themes) from the project's YAML file."""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from casestudies.importers.base import ImportFailed, ImportResult, Problem
from casestudies.models import Theme

THEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "themes.yaml"


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def import_themes(path: Path = THEMES_FILE) -> ImportResult:
    text = path.read_text(encoding="utf-8")
    source = path.name
    try:
        entries = (yaml.safe_load(text) or {}).get("themes") or []
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise ImportFailed([Problem(source, line, f"invalid YAML: {error}")]) from error

    problems, seen = [], set()
    for entry in entries:
        slug = str(entry.get("slug") or "")
        line = _line_of(text, f"slug: {slug}") if slug else 1
        if not slug or slug != slugify(slug):
            problems.append(Problem(source, line, f"invalid slug {slug!r}"))
        if not entry.get("name"):
            problems.append(Problem(source, line, "missing name"))
        if slug in seen:
            problems.append(Problem(source, line, f"duplicate slug {slug!r}"))
        seen.add(slug)
    for entry in entries:
        parent = entry.get("parent")
        if parent and parent not in seen:
            line = _line_of(text, f"slug: {entry.get('slug')}")
            problems.append(Problem(source, line, f"unknown parent {parent!r}"))
    if problems:
        raise ImportFailed(problems)

    result = ImportResult()
    with transaction.atomic():
        existing = {theme.slug: theme for theme in Theme.objects.all()}
        for entry in entries:
            fields = {
                "name": entry["name"],
                "description": (entry.get("description") or "").strip(),
                "synonyms": ", ".join(entry.get("synonyms") or []),
                "source_column": entry.get("column") or "",
            }
            theme = existing.get(entry["slug"])
            if theme is None:
                existing[entry["slug"]] = Theme.objects.create(slug=entry["slug"], **fields)
                result.created += 1
            elif any(getattr(theme, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(theme, key, value)
                theme.save()
                result.updated += 1
            else:
                result.unchanged += 1
        for entry in entries:
            theme = existing[entry["slug"]]
            parent = existing.get(entry.get("parent")) if entry.get("parent") else None
            if theme.parent_id != (parent.pk if parent else None):
                theme.parent = parent
                theme.save(update_fields=["parent"])
    return result

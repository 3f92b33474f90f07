"""Load the OGP policy areas (themes) from the project's YAML file."""

from pathlib import Path

import yaml
from django.db import transaction

from casestudies.models import Theme
from exchange.core.importing import yaml_lines
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text
from exchange.core.importing.checks import LineChecker
from exchange.core.importing.yaml_lines import Mapping, Sequence

THEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "themes.yaml"
KNOWN_KEYS = {"column", "name", "slug", "parent", "description", "synonyms"}
TEXT_MAX = {"name": 100, "slug": 100, "column": 100, "parent": 100}
TEXTS = (*TEXT_MAX, "description")


def parse(path: Path) -> list[dict]:
    """The validated theme entries; every problem is reported with its line."""
    source = path.name
    if not path.exists():
        raise ImportFailed([Problem(source, 0, f"file not found: {path}")])
    try:
        data = yaml_lines.load(read_text(path), what="the themes file")
    except yaml.YAMLError as error:
        raise ImportFailed([yaml_lines.problem(error, source, invalid="invalid YAML")]) from error
    entries = data.get("themes") if isinstance(data, Mapping) else None
    if not isinstance(entries, Sequence) or not entries:
        raise ImportFailed([Problem(source, 1, "expected a non-empty 'themes:' list")])
    check = LineChecker(source)
    themes = check.items(data, "themes", of=Mapping)
    # Values of the wrong type first: the checks below compare and look them up as text.
    for _line, entry in themes:
        for key in TEXTS:
            value = check.text(entry, key, max_length=TEXT_MAX.get(key), default=None)
            if value is not None:
                entry[key] = value
        entry["synonyms"] = [word for _line, word in check.items(entry, "synonyms")]
        if not all(isinstance(word, str | int | float) for word in entry["synonyms"]):
            check.fail(
                check.line(entry, "synonyms"), "each synonym must be a word or phrase, not a list"
            )
    if check.problems:
        raise ImportFailed(check.problems)

    first_line = {"slug": {}, "name": {}, "column": {}}
    for _line, entry in themes:
        slug = entry.get("slug")
        check.keys(entry, KNOWN_KEYS, f"theme '{slug}'" if slug else "a theme", ("slug", "name"))
        check.slug(entry, "")
        # Slugs and names are unique in the database, and one CSV column can tag
        # commitments with one theme only.
        for key in first_line:
            value = entry.get(key)
            if not value:
                continue
            if value in first_line[key]:
                check.fail(
                    check.line(entry, key),
                    f"duplicate {key} {value!r} (first on line {first_line[key][value]})",
                )
            else:
                first_line[key][value] = check.line(entry, key)

    slugs = first_line["slug"]
    parents = {entry.get("slug"): entry.get("parent") for _line, entry in themes}
    for _line, entry in themes:
        parent = entry.get("parent")
        if not parent:
            continue
        if parent not in slugs:
            check.fail(check.line(entry, "parent"), f"unknown parent {parent!r}")
            continue
        slug, seen, current = entry.get("slug"), set(), parent
        while current and current not in seen and current != slug:
            seen.add(current)
            current = parents.get(current)
        if current == slug:
            check.fail(
                check.line(entry, "parent"), f"parent {parent!r} makes a loop back to this theme"
            )
    if check.problems:
        raise ImportFailed(check.problems)
    return [entry for _line, entry in themes]


def import_themes(path: Path = THEMES_FILE) -> ImportResult:
    entries = parse(path)
    result = ImportResult()
    with transaction.atomic():
        existing = {theme.slug: theme for theme in Theme.objects.all()}
        created, changed = set(), set()
        for entry in entries:
            fields = {
                "name": entry["name"],
                "description": entry.get("description") or "",
                "synonyms": ", ".join(str(word) for word in entry["synonyms"]),
                "source_column": entry.get("column") or "",
            }
            theme = existing.get(entry["slug"])
            if theme is None:
                existing[entry["slug"]] = Theme.objects.create(slug=entry["slug"], **fields)
                created.add(entry["slug"])
            elif any(getattr(theme, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(theme, key, value)
                theme.save()
                changed.add(entry["slug"])
        for entry in entries:
            theme = existing[entry["slug"]]
            parent = existing.get(entry.get("parent")) if entry.get("parent") else None
            if theme.parent_id != (parent.pk if parent else None):
                theme.parent = parent
                theme.save(update_fields=["parent"])
                if entry["slug"] not in created:
                    changed.add(entry["slug"])
    result.created, result.updated = len(created), len(changed)
    result.unchanged = len(entries) - result.created - result.updated
    return result

"""Load the OGP policy areas (themes) from the project's YAML file."""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from casestudies.models import Theme
from exchange.core.importing import yaml_lines
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text

THEMES_FILE = Path(__file__).resolve().parent.parent / "data" / "themes.yaml"
KNOWN_KEYS = {"column", "name", "slug", "parent", "description", "synonyms"}
TEXT_MAX = {"name": 100, "slug": 100, "column": 100, "parent": 100}


def parse(path: Path) -> list[dict]:
    """The validated theme entries; every problem is reported with its line."""
    source = path.name
    if not path.exists():
        raise ImportFailed([Problem(source, 0, f"file not found: {path}")])
    try:
        data = yaml_lines.load(read_text(path), what="the themes file")
    except yaml.YAMLError as error:
        raise ImportFailed([yaml_lines.problem(error, source, invalid="invalid YAML")]) from error
    entries = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ImportFailed([Problem(source, 1, "expected a non-empty 'themes:' list")])
    # For each entry, its line ("") and the line of each of its keys.
    lines = [
        {**getattr(entry, "key_lines", {}), "": entries.line_at(position)}
        for position, entry in enumerate(entries)
    ]

    problems = []

    def fail(entry_lines, key, reason):
        problems.append(Problem(source, entry_lines.get(key, entry_lines[""]), reason))

    # Values of the wrong type first: the checks below compare and look them up as text.
    for entry, entry_lines in zip(entries, lines, strict=True):
        if not isinstance(entry, dict):
            continue
        for key in (*TEXT_MAX, "description"):
            value = entry.get(key)
            if value is not None and not isinstance(value, str):
                fail(entry_lines, key, f"{key} must be text, not {type(value).__name__}")
            elif key in TEXT_MAX and value and len(value) > TEXT_MAX[key]:
                fail(entry_lines, key, f"{key} is longer than {TEXT_MAX[key]} characters")
    if problems:
        raise ImportFailed(problems)

    first_line = {"slug": {}, "name": {}, "column": {}}
    valid = []
    for entry, entry_lines in zip(entries, lines, strict=True):
        if not isinstance(entry, dict):
            fail(entry_lines, "", "each theme must be a set of 'key: value' lines")
            continue
        for key in entry:
            if key not in KNOWN_KEYS:
                fail(entry_lines, key, f"unknown key {key!r}")
        slug = entry.get("slug") or ""
        if not slug or slug != slugify(slug):
            fail(entry_lines, "slug", f"invalid slug {slug!r}")
        if not entry.get("name"):
            fail(entry_lines, "name", "missing name")
        synonyms = entry.get("synonyms")
        if synonyms is not None and (
            not isinstance(synonyms, list)
            or not all(isinstance(word, str | int | float) for word in synonyms)
        ):
            fail(entry_lines, "synonyms", 'synonyms must be a list, e.g. ["FOI", "RTI"]')
        # Slugs and names are unique in the database, and one CSV column can tag
        # commitments with one theme only.
        for key in first_line:
            value = entry.get(key)
            if not value:
                continue
            if value in first_line[key]:
                fail(
                    entry_lines,
                    key,
                    f"duplicate {key} {value!r} (first on line {first_line[key][value]})",
                )
            else:
                first_line[key][value] = entry_lines.get(key, entry_lines[""])
        valid.append((entry, entry_lines))

    slugs = first_line["slug"]
    parents = {entry.get("slug"): entry.get("parent") for entry, _ in valid}
    for entry, entry_lines in valid:
        parent = entry.get("parent")
        if not parent:
            continue
        if parent not in slugs:
            fail(entry_lines, "parent", f"unknown parent {parent!r}")
            continue
        slug, seen, current = entry.get("slug"), set(), parent
        while current and current not in seen and current != slug:
            seen.add(current)
            current = parents.get(current)
        if current == slug:
            fail(entry_lines, "parent", f"parent {parent!r} makes a loop back to this theme")
    if problems:
        raise ImportFailed(problems)
    return entries


def import_themes(path: Path = THEMES_FILE) -> ImportResult:
    entries = parse(path)
    result = ImportResult()
    with transaction.atomic():
        existing = {theme.slug: theme for theme in Theme.objects.all()}
        created, changed = set(), set()
        for entry in entries:
            fields = {
                "name": entry["name"],
                "description": (entry.get("description") or "").strip(),
                "synonyms": ", ".join(str(word) for word in entry.get("synonyms") or []),
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

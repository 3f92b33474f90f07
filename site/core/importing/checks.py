"""Checks of values read with `yaml_lines`, each reporting `file:line: reason` at its key.

The one checker of every YAML importer (courses, fellowships, themes, case studies' front
matter), so that an editor reads the same words for the same mistake whichever file it is
in. A parser subclasses `LineChecker` (or holds one) and reads its values through it: a
value of the wrong kind is reported at the line of its key and replaced by a default, so
that one run reports every problem of a file instead of stopping at the first.
"""

from collections.abc import Callable
from pathlib import Path

from django.utils.text import slugify

from exchange.core.importing.base import Problem
from exchange.core.importing.yaml_lines import Mapping, Sequence


class LineChecker:
    """`source` names the file in problems; `first_line` is the file's line of the YAML's
    first line (2 for front matter after its opening `---`)."""

    def __init__(self, source: str, *, first_line: int = 1):
        self.source = source
        self.offset = first_line - 1
        self.problems: list[Problem] = []

    def fail(self, line: int, reason: str):
        """A problem at a line of the file (not of the YAML: see `line`)."""
        self.problems.append(Problem(self.source, line, reason))

    def line(self, mapping: Mapping, key) -> int:
        """The file's line of `key`, or of the mapping itself when the key is missing."""
        return mapping.line_of(key) + self.offset

    def line_at(self, sequence: Sequence, position: int) -> int:
        return sequence.line_at(position) + self.offset

    def keys(self, mapping: Mapping, known: set, what: str, required=()):
        """Duplicate, unknown and missing keys of `mapping` (`what` names it in the reasons)."""
        for key, line in mapping.duplicates:
            self.fail(line + self.offset, f"duplicate key '{key}' in {what}")
        for key in mapping:
            if key not in known:
                self.fail(
                    self.line(mapping, key),
                    f"unknown key '{key}' in {what} (expected: {', '.join(sorted(known))})",
                )
        # Keys left out have no line of their own: one problem, at the mapping's line.
        absent = [key for key in required if key not in mapping]
        if absent:
            self.fail(mapping.line + self.offset, f"missing {_listed(absent)} in {what}")
        for key in required:
            if key in mapping and _blank(mapping[key]):
                self.fail(self.line(mapping, key), f"missing '{key}' in {what}")

    def text(self, mapping: Mapping, key: str, *, max_length=None, default="") -> str:
        value = mapping.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(self.line(mapping, key), f"'{key}' must be text (put it in quotes)")
            return default
        value = str(value).strip()
        if max_length and len(value) > max_length:
            self.fail(
                self.line(mapping, key),
                f"'{key}' is longer than {max_length} characters ({len(value)})",
            )
        return value

    def integer(self, mapping: Mapping, key: str, *, low: int, high: int, default=None):
        value = mapping.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self.line(mapping, key), f"'{key}' must be a whole number")
            return default
        if not low <= value <= high:
            self.fail(self.line(mapping, key), f"'{key}' must be between {low} and {high}")
            return default
        return value

    def items(self, mapping: Mapping, key: str, *, of=None) -> list[tuple[int, object]]:
        """The entries of a list with their lines; `of=Mapping` requires each to be a mapping.

        A single text where a list belongs counts as a list of one (`themes: budgets`).
        """
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str) and of is None:
            return [(self.line(mapping, key), value)]
        if not isinstance(value, Sequence):
            self.fail(self.line(mapping, key), f"'{key}' must be a list")
            return []
        entries = []
        for position, item in enumerate(value):
            line = self.line_at(value, position)
            if of is Mapping and not isinstance(item, Mapping):
                self.fail(line, f"each entry of '{key}' must be a set of 'key: value' lines")
                continue
            entries.append((line, item))
        return entries

    def boolean(self, mapping: Mapping, key: str, *, default=False) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail(self.line(mapping, key), f"'{key}' must be true or false")
            return default
        return value

    def slug(self, mapping: Mapping, default_from: str) -> str:
        """The `slug` key, or one made from `default_from`; refused unless already a slug."""
        slug = self.text(mapping, "slug", max_length=255) or slugify(default_from)
        if slug != slugify(slug):
            self.fail(self.line(mapping, "slug"), f"invalid slug {slug!r} (use a-z, 0-9 and -)")
        return slug


def parse_files(
    paths: list[Path], parser_for: Callable[[Path], LineChecker], what: str
) -> tuple[list, list[Problem]]:
    """Each file's draft, and every problem: the files' own, and a slug that two files give
    (`what` names it: "course slug").

    `parser_for(path)` is a `LineChecker` whose `parse()` gives a draft with `slug` and
    `slug_line`, or None when the file has problems.
    """
    problems, drafts, files = [], [], {}
    for path in paths:
        parser = parser_for(path)
        draft = parser.parse()
        problems.extend(parser.problems)
        if draft:
            if draft.slug in files:
                problems.append(
                    Problem(
                        path.name,
                        draft.slug_line,
                        f"{what} {draft.slug!r} is also used by {files[draft.slug]}",
                    )
                )
            files[draft.slug] = path.name
            drafts.append(draft)
    return drafts, problems


def _blank(value) -> bool:
    """Nothing given: no value, an empty list or mapping, or text of spaces only."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value in ([], {})


def _listed(keys: list) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c'."""
    quoted = [f"'{key}'" for key in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"

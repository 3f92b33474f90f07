"""Checks of values read with `yaml_lines`, each reporting `file:line: reason` at its key.

A parser subclasses `LineChecker` (or holds one) and reads its values through it: a
value of the wrong kind is reported at the line of its key and replaced by a default,
so that one run reports every problem of a file instead of stopping at the first.
"""

from django.utils.text import slugify

from exchange.core.importing.base import Problem
from exchange.core.importing.yaml_lines import Mapping, Sequence


class LineChecker:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, line: int, reason: str):
        self.problems.append(Problem(self.source, line, reason))

    def keys(self, mapping: Mapping, known: set, what: str, required=()):
        """Duplicate, unknown and missing keys of `mapping` (`what` names it in the reasons)."""
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

    def text(self, mapping: Mapping, key: str, *, max_length=None, default="") -> str:
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

    def integer(self, mapping: Mapping, key: str, *, low: int, high: int, default=None):
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

    def items(self, mapping: Mapping, key: str, *, of=None) -> list[tuple[int, object]]:
        """The entries of a list with their lines; `of=Mapping` requires each to be a mapping.

        A single text where a list belongs counts as a list of one (`themes: budgets`).
        """
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str) and of is None:
            return [(mapping.line_of(key), value)]
        if not isinstance(value, Sequence):
            self.fail(mapping.line_of(key), f"'{key}' must be a list")
            return []
        entries = []
        for position, item in enumerate(value):
            line = value.line_at(position)
            if of is Mapping and not isinstance(item, Mapping):
                self.fail(line, f"each entry of '{key}' must be a set of 'key: value' lines")
                continue
            entries.append((line, item))
        return entries

    def slug(self, mapping: Mapping, default_from: str) -> str:
        """The `slug` key, or one made from `default_from`; refused unless already a slug."""
        slug = self.text(mapping, "slug", max_length=255) or slugify(default_from)
        if slug != slugify(slug):
            self.fail(mapping.line_of("slug"), f"invalid slug {slug!r} (use a-z, 0-9 and -)")
        return slug

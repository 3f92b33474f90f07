"""YAML that remembers where things are, for importers that report `file:line: reason`.

`load(text)` parses with a safe loader whose mappings and lists carry the line of
each key and item, so a validator can point at the offending line. It refuses, at
the line concerned and before building anything large:

- aliases (`*name`): an alias can repeat a large subtree many times over ("billion
  laughs": gigabytes from a few hundred bytes), and hand-written content files
  never need one (an anchor alone, `&name`, is harmless and ignored);
- nesting deeper than `MAX_DEPTH` lists and mappings: the composer and constructor
  recurse once per level, so a file of a few thousand `[` would end in a
  RecursionError instead of a report;
- control characters in text other than tabs and line breaks (a `"\\0"` escape
  makes a NUL, which PostgreSQL refuses to store);
- values their tag cannot hold (`2027-02-30`, `!!int x`), and the tags no
  content file needs (`!!binary`, `!!set`, `!!omap`, `!!pairs`).

Every refusal is a `Refused`, a `yaml.MarkedYAMLError` whose `problem_mark` gives
the line; `problem(error, source)` turns it, or any other YAML error, into a `Problem`.
"""

from collections.abc import Hashable

import yaml

from exchange.core.importing.base import Problem, control_problem

# Content files nest about a dozen levels (course → modules → lessons → body → quiz →
# questions → choices); twenty leaves room and stops far below Python's recursion limit.
MAX_DEPTH = 20


class Refused(yaml.MarkedYAMLError):
    """Valid YAML that content files may not hold; `problem` says why."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)


class Mapping(dict):
    """A YAML mapping that knows the line of each of its keys (1-based)."""

    def __init__(self):
        super().__init__()
        self.line = 1
        self.key_lines: dict = {}
        self.duplicates: list[tuple[object, int]] = []

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML list that knows the line of each item."""

    def __init__(self):
        super().__init__()
        self.line = 1
        self.item_lines: list[int] = []

    def line_at(self, position: int) -> int:
        return self.item_lines[position] if position < len(self.item_lines) else self.line


class Loader(yaml.SafeLoader):
    what = "content files"  # named in the refusals, e.g. "course files"
    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise Refused(f"aliases (*name) are not allowed in {self.what}", event.start_mark)
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            raise Refused(
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                event.start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _refuse(loader, node):
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise Refused(f"{tag} values are not allowed in {loader.what}", node.start_mark)


def _checked(construct, kind: str):
    """A scalar constructor that reports a value its tag cannot hold at the value's line."""

    def checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, TypeError, KeyError, AttributeError) as error:
            value = node.value if len(node.value) <= 40 else f"{node.value[:37]}..."
            # Python's reason helps for a date ("day is out of range for month") only.
            why = f" ({error})" if kind == "date" and type(error) is ValueError else ""
            raise Refused(f"{value!r} is not a valid {kind}{why}", node.start_mark) from None

    return checked


def _construct_str(loader, node):
    value = loader.construct_scalar(node)
    reason = control_problem(value)
    if reason:
        raise Refused(reason, node.start_mark)
    return value


def _construct_mapping(loader, node):
    if not isinstance(node, yaml.MappingNode):  # `!!map text`
        raise Refused("expected a mapping", node.start_mark)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise Refused("a key must be a plain word", key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.duplicates.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_sequence(loader, node):
    if not isinstance(node, yaml.SequenceNode):  # `!!seq text`
        raise Refused("expected a list", node.start_mark)
    sequence = Sequence()
    sequence.line = node.start_mark.line + 1
    yield sequence
    sequence.extend(loader.construct_object(child, deep=True) for child in node.value)
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]


Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
Loader.add_constructor(
    "tag:yaml.org,2002:int", _checked(yaml.SafeLoader.construct_yaml_int, "whole number")
)
Loader.add_constructor(
    "tag:yaml.org,2002:float", _checked(yaml.SafeLoader.construct_yaml_float, "number")
)
Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", _checked(yaml.SafeLoader.construct_yaml_timestamp, "date")
)
Loader.add_constructor(
    "tag:yaml.org,2002:bool", _checked(yaml.SafeLoader.construct_yaml_bool, "true or false")
)
for _tag in ("binary", "set", "omap", "pairs"):
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)


def load(text: str, what: str = "content files"):
    """Parse YAML text into `Mapping`/`Sequence` values with line numbers."""
    loader = Loader(text)
    loader.what = what
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def problem(
    error: yaml.YAMLError, source: str, first_line: int = 1, invalid: str = "not valid YAML"
) -> Problem:
    """A YAML error as `file:line: reason`.

    `first_line` is the file line the parsed text starts on (2 for a front matter);
    a syntax error's reason starts with `invalid`, a refusal's says what is refused.
    """
    mark = getattr(error, "problem_mark", None)
    line = mark.line + first_line if mark else first_line
    # `problem` only: str(error) spans several lines and would break the report.
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(source, line, reason if isinstance(error, Refused) else f"{invalid}: {reason}")

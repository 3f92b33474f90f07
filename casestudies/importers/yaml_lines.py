"""YAML that remembers where things are, for importers that report `file:line: reason`.

`load(text)` parses with a safe loader whose mappings and lists carry the line of
each key and item, so a validator can point at the offending line. Aliases are
refused: an alias can repeat a large subtree many times over ("billion laughs"),
and hand-written content files never need one.
"""

from collections.abc import Hashable

import yaml


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
    what = "content files"  # named in the alias error, e.g. "course files"

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*name) are not allowed in {self.what}", event.start_mark
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader, node):
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.duplicates.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line


def _construct_sequence(loader, node):
    sequence = Sequence()
    sequence.line = node.start_mark.line + 1
    yield sequence
    sequence.extend(loader.construct_object(child, deep=True) for child in node.value)
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]


Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load(text: str, what: str = "content files"):
    """Parse YAML text into `Mapping`/`Sequence` values with line numbers."""
    loader = Loader(text)
    loader.what = what
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()

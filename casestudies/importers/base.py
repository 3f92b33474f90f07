"""What every importer shares: problems with line numbers, all-or-nothing runs."""

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One reason a line of an input file cannot be imported."""

    source: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.source}:{self.line}: {self.reason}"


class ImportFailed(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s); nothing was imported")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self):
        parts = [f"{self.created} created", f"{self.updated} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts)


def fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_text(path: Path) -> str:
    """File text without a byte-order mark.

    Most World Bank downloads are UTF-8 with a BOM, but the population file is
    Latin-1 with a stray 0xFF byte before its first quote; both are accepted.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.lstrip("\ufeff\xff\xfe")


def csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the number of the line it starts on.

    `csv.reader.line_num` is the line a record *ends* on: for rows whose values
    span several lines (World Bank notes, OGP institution lists) it would send
    the reader of a problem report to the wrong line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    for values in reader:
        start, end = end + 1, reader.line_num
        if values:
            yield start, values


def as_dicts(
    header: list[str], records: Iterable[tuple[int, list[str]]]
) -> Iterator[tuple[int, dict]]:
    """Records as rows keyed by column, the way `csv.DictReader` builds them.

    Values beyond the header are kept in a list under the key None and missing
    trailing values are None, so callers can report rows of the wrong length.
    """
    width = len(header)
    for line, values in records:
        row = dict(zip(header, values, strict=False))
        for name in header[len(values) :]:
            row.setdefault(name, None)
        if len(values) > width:
            row[None] = values[width:]
        yield line, row

"""What every importer shares: problems with line numbers, all-or-nothing runs."""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Control characters (C0, DEL, C1) other than tab, line feed and carriage return.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Digits as years and counts are written: str.isdigit() and \d also accept "²⁰²⁰" or
# "٢٠٢٠", which int() may refuse (a traceback) or read as a number nobody typed.
DIGITS = re.compile(r"[0-9]+")


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


def decode_text(raw: bytes, source: str, *, world_bank: bool = False) -> str:
    """The text of an input file read as UTF-8 (a byte-order mark is allowed), or ImportFailed.

    Guessing another encoding would import mangled names: a Windows-1252 file read
    as Latin-1 turns its curly quotes into invisible control characters. The one
    exception is the World Bank's population download (`world_bank=True`, for the
    countries importer only): it is Latin-1 behind a stray 0xFF first byte, so a
    file with that signature is read as Latin-1, and a control character in it is
    still refused. Control characters other than tabs and line breaks are refused
    in every file (see `check_text`).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed([Problem(source, 1, "UTF-16 text: save the file as UTF-8")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not (world_bank and raw.startswith(b"\xff")):
            raise ImportFailed([_not_utf8(raw, error.start, source)]) from None
        text = raw[1:].decode("latin-1")
    check_text(text, source)
    return text


def read_text(path: Path, *, world_bank: bool = False) -> str:
    """`decode_text` of a file's bytes."""
    return decode_text(path.read_bytes(), path.name, world_bank=world_bank)


def _not_utf8(raw: bytes, position: int, source: str) -> Problem:
    line = raw.count(b"\n", 0, position) + 1
    column = position - (raw.rfind(b"\n", 0, position) + 1) + 1
    return Problem(
        source,
        line,
        f"not UTF-8 text: byte 0x{raw[position]:02x} at byte position {position} "
        f"(line {line}, column {column}); save the file as UTF-8",
    )


def control_problem(text: str) -> str | None:
    """Why `text` cannot be imported because of a control character, or None.

    A NUL that SQLite stores is refused by PostgreSQL, and the other control
    characters (escape codes, the C1 codes a misread encoding produces) are never
    meant: they show as garbage or not at all. Tabs and line breaks are text.
    """
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    return (
        f"control character U+{ord(found.group()):04X} is not allowed "
        "(only tabs and line breaks are)"
    )


def check_text(text: str, source: str) -> None:
    """ImportFailed at the line of the first control character that is not a tab or line break."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = len(LINE_BREAK.findall(before)) + 1
    column = found.start() - max(before.rfind("\n"), before.rfind("\r"))
    reason = control_problem(found.group())
    raise ImportFailed([Problem(source, line, f"{reason}, column {column}")])


def csv_records(
    text: str, source: str, problems: list[Problem] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the number of the line it starts on.

    `csv.reader.line_num` is the line a record *ends* on: for rows whose values
    span several lines (World Bank notes, OGP institution lists) it would send
    the reader of a problem report to the wrong line.

    A malformed record stops the reading with a problem at its line: added to
    `problems` when given, else raised as ImportFailed. csv refuses a value longer
    than its field size limit (131,072 characters); the limit is left alone, since
    the longest real value (a commitment's text) is about 28,000 characters and a
    longer one means a damaged file, most often a quote that is never closed.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = f"unreadable CSV: {error}"
            if "field limit" in str(error):
                reason = (
                    f"a value is longer than {csv.field_size_limit():,} characters "
                    "(is a closing quote missing?)"
                )
            problem = Problem(source, end + 1, reason)
            if problems is None:
                raise ImportFailed([problem]) from None
            problems.append(problem)
            return
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


def complete_rows(
    header: list[str],
    records: Iterable[tuple[int, list[str]]],
    source: str,
    problems: list[Problem],
) -> Iterator[tuple[int, dict]]:
    """Rows with exactly one value per column; each other row is reported by its line."""
    for line, row in as_dicts(header, records):
        if None in row:
            problems.append(Problem(source, line, "more values than columns"))
        elif None in row.values():
            problems.append(Problem(source, line, "fewer values than columns"))
        else:
            yield line, row

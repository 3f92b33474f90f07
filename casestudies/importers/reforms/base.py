"""What every reform-record importer shares: the parsed fact, validation helpers, countries.

A source module reads its files into `Fact`s and reports every problem with its
file and line; the runner (`casestudies.importers.reforms`) places the facts in
countries and writes them. Sources name countries by ISO 3166 alpha-2 code, the
Country table by alpha-3: `alpha3()` is the one place that maps them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from casestudies.models import ReformRecord
from exchange.core.importing.base import ImportFailed, Problem, control_problem, read_text

# Kosovo is not in ISO 3166; trackers use the user-assigned XK and the World Bank
# (our Country table) uses XKX. pycountry does not know it, so it is the one exception.
ALPHA3_EXCEPTIONS = {"XK": "XKX"}

ALPHA2 = re.compile(r"[A-Z]{2}")
# A year as digits 0-9 only: str.isdigit() accepts "²⁰²⁰" and other Unicode digits.
YEAR = re.compile(r"[0-9]{4}")
FIRST_YEAR, LAST_YEAR = 1990, 2100

_url_validator = URLValidator(schemes=["http", "https"])
URL_MAX_LENGTH = ReformRecord._meta.get_field("url").max_length
TITLE_MAX_LENGTH = ReformRecord._meta.get_field("title").max_length
KEY_MAX_LENGTH = ReformRecord._meta.get_field("key").max_length


@dataclass
class Fact:
    """One reform record as a source file states it, before it is placed in a country."""

    file: str
    line: int
    iso2: str
    kind: str
    key: str
    title: str
    strength: float
    source_url: str
    url: str = ""
    since: int | None = None
    as_of: date | None = None
    details: dict = field(default_factory=dict)


@dataclass
class Parsed:
    """What a source's files hold: facts, and notes on what was left out and why."""

    facts: list[Fact]
    notes: list[str] = field(default_factory=list)


class ReformImporter:
    """One tracker's files → facts. Subclasses set the class attributes and `parse`."""

    source: str  # a ReformSource value
    theme_slug: str
    default_location: str  # under settings.DATA_DIR
    description: str = ""

    def default_path(self) -> Path:
        return Path(settings.DATA_DIR) / self.default_location

    def parse(self, path: Path) -> Parsed:  # pragma: no cover - abstract
        raise NotImplementedError


def alpha3(iso2: str) -> str | None:
    """The alpha-3 code of an alpha-2 code, or None when ISO 3166 has no such country."""
    if iso2 in ALPHA3_EXCEPTIONS:
        return ALPHA3_EXCEPTIONS[iso2]
    country = pycountry.countries.get(alpha_2=iso2)
    return country.alpha_3 if country else None


def country_names(iso2: str) -> list[str]:
    """The names ISO 3166 gives a country (short, common, official), for matching text."""
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        return []
    return [
        name
        for name in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        )
        if name
    ]


def read_utf8(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None with a problem when it is not UTF-8 (a BOM is allowed)
    or holds a control character (see `exchange.core.importing.base.read_text`).

    These sources are published as UTF-8: anything else is a wrong or damaged file,
    and guessing its encoding would import mangled names.
    """
    try:
        return read_text(path)
    except ImportFailed as failure:
        problems.extend(failure.problems)
        return None


# A JSON escape of a control character other than tab and line breaks, after an even
# number of backslashes (so `\\b`, an escaped backslash and a "b", is not one).
CONTROL_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\(?:[bf]|u00(?:0[0-8bcef]|1[0-9a-f]|7f|[89][0-9a-f]))",
    re.IGNORECASE,
)


def json_control_problem(data, text: str) -> tuple[int, str] | None:
    """(line, reason) for the first key or value of parsed JSON with a control character.

    A raw control character is not valid JSON, but an escape (`\\u0000`) makes one:
    PostgreSQL refuses to store a NUL, and the others are never meant.
    """
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and (reason := control_problem(value)):
            found = CONTROL_ESCAPE.search(text)
            return (text.count("\n", 0, found.start()) + 1 if found else 1), reason
    return None


def url_problem(value: str) -> str | None:
    """Why `value` is not a web address we can link to, or None when it is one."""
    if len(value) > URL_MAX_LENGTH:
        return f"longer than {URL_MAX_LENGTH} characters"
    try:
        _url_validator(value)
    except ValidationError:
        return f"{value!r} is not a web address (http or https)"
    return None


def year_problem(value) -> str | None:
    """Why `value` (a string as the sources write years) is not a year, or None."""
    if not isinstance(value, str) or not YEAR.fullmatch(value):
        return f"{value!r} is not a four-digit year"
    if not FIRST_YEAR <= int(value) <= LAST_YEAR:
        return f"{value} is not a plausible year"
    return None


ANY = object()  # JsonLines.find: any value


class JsonLines:
    """Lines of values in a JSON text, found cheaply by searching for `"key": value`.

    `json` gives positions only for syntax errors. For a bad value we look for its
    key and value as written, from the start of the enclosing object onwards, so a
    report points at the right line without a position-tracking parser; when the text
    cannot be found (unusual escaping), callers fall back to the object's line.
    """

    def __init__(self, text: str):
        self.text = text

    def find(self, key: str, value=ANY, start: int = 0) -> tuple[int, int, int] | None:
        """(line, start offset, end offset) of `"key": value` at or after `start`.

        Without a value, the first `"key":` at or after `start`.
        """
        for ensure_ascii in (False, True):
            pattern = re.escape(json.dumps(key, ensure_ascii=ensure_ascii)) + r"\s*:"
            if value is not ANY:
                pattern += r"\s*" + re.escape(json.dumps(value, ensure_ascii=ensure_ascii))
            match = re.compile(pattern).search(self.text, start)
            if match:
                return self.text.count("\n", 0, match.start()) + 1, match.start(), match.end()
        return None

    def line(self, key: str, value=ANY, start: int = 0, default: int = 1) -> int:
        found = self.find(key, value, start)
        return found[0] if found else default

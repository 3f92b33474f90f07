"""Open Contracting Partnership: who publishes contracting data in OCDS, and since when.

The input is OCP's `oc-status` folder: one JSON file per country, named by its ISO
3166 alpha-2 code (`ke.json`), plus `_index.json`, which is not read. Each OCDS
publisher of a country becomes one record of kind `ocds-publisher` on the
`open-contracting` theme:

- title "Publishes open contracting data (OCDS): <publisher>", `url` the publisher's
  data or portal, `since` the year OCP says it first published (when given);
- `as_of` the date OCP last checked the country (`meta.date`, epoch milliseconds;
  many files have none), `source_url` OCP's worldwide map;
- `details`: the historic / ongoing / implementation flags, the country's impact
  stories (title and link, written by OCP about the country) and the source file.

The importer's rating (`strength`, 0..1), kept below what an IRM-verified completed
commitment scores (0.55 when the IRM rated nothing else, up to 1.0): these are a
tracker's facts, not an assessment of results.

- 0.5 — publishes ongoing OCDS data (current contracts, as they happen);
- 0.4 — publishes historic data only;
- 0.3 — neither flag set: OCP lists the publisher as implementing OCDS.

Impact stories are kept in the details of the country's publisher records, not as
records of their own: a story is OCP's article about a country, not a fact that it
did a reform, and a country with stories but no publisher gets no record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from casestudies.importers.reforms.base import (
    ALPHA2,
    KEY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Fact,
    JsonLines,
    Parsed,
    ReformImporter,
    json_control_problem,
    read_utf8,
    url_problem,
    year_problem,
)
from casestudies.models import ReformSource
from exchange.core.importing.base import ImportFailed, Problem

KIND = "ocds-publisher"
ONGOING, HISTORIC_ONLY, IMPLEMENTING = 0.5, 0.4, 0.3
SOURCE_URL = "https://www.open-contracting.org/worldwide/"
DATASET = "https://github.com/open-contracting-partnership/ocp-data"
FLAGS = {
    "ocds_historic_data": "historic_data",
    "ocds_ongoing_data": "ongoing_data",
    "ocds_implementation": "implementation",
}
# Known errors in the pinned source files (ocp-data commit f93899d), each read as
# "no value" with a note in the import result rather than refusing the whole folder.
# Keyed by (file, publisher, field) and the exact wrong value, so a corrected file
# or any other bad value is validated as usual.
KNOWN_ERRATA = {
    ("it.json", "OnData (Italy)", "publisher_link"): "2024-07",
}

EARLIEST_CHECK = datetime(2010, 1, 1, tzinfo=UTC)


def strength_of(historic: bool, ongoing: bool) -> float:
    if ongoing:
        return ONGOING
    if historic:
        return HISTORIC_ONLY
    return IMPLEMENTING


class OpenContractingImporter(ReformImporter):
    source = ReformSource.OPEN_CONTRACTING
    theme_slug = "open-contracting"
    default_location = "open_contracting/oc-status"
    description = "a folder of <iso2>.json files (OCP's oc-status data)"

    def parse(self, path: Path) -> Parsed:
        if not path.is_dir():
            raise ImportFailed(
                [Problem(path.name, 0, f"expected the oc-status folder, not found: {path}")]
            )
        files = sorted(p for p in path.glob("*.json") if not p.name.startswith("_"))
        if not files:
            raise ImportFailed([Problem(path.name, 0, f"no <iso2>.json files in {path}")])
        problems: list[Problem] = []
        parsed = Parsed(facts=[])
        for file in files:
            _CountryFile(file, problems, parsed).read()
        if problems:
            raise ImportFailed(problems)
        return parsed


class _CountryFile:
    """One `<iso2>.json`: its publishers as facts, every problem with a line number."""

    def __init__(self, path: Path, problems: list[Problem], parsed: Parsed):
        self.path = path
        self.name = path.name
        self.problems = problems
        self.parsed = parsed
        self.lines = JsonLines("")

    def fail(self, line: int, where: str, reason: str):
        self.problems.append(Problem(self.name, line, f"{where}: {reason}"))

    def read(self):
        text = read_utf8(self.path, self.problems)
        if text is None:
            return
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self.problems.append(Problem(self.name, error.lineno, f"not valid JSON: {error.msg}"))
            return
        except RecursionError:
            self.problems.append(Problem(self.name, 1, "not valid JSON: nested too deeply"))
            return
        except ValueError as error:  # e.g. a number with more digits than Python converts
            self.problems.append(Problem(self.name, 1, f"not valid JSON: {error}"))
            return
        if control := json_control_problem(data, text):
            self.problems.append(Problem(self.name, *control))
            return
        self.lines = JsonLines(text)
        iso2 = self.path.stem.upper()
        if not ALPHA2.fullmatch(iso2):
            self.fail(1, "file name", "expected an ISO 3166 alpha-2 code, e.g. ke.json")
            return
        if not isinstance(data, dict):
            self.fail(1, "(top level)", "expected an object")
            return
        if "iso" in data and str(data["iso"]).upper() != iso2:
            line = self.lines.line("iso", data["iso"])
            self.fail(line, "iso", f"{data['iso']!r} does not match the file name")
        as_of = self.as_of(data)
        results = self.member(data, "results", dict, "(top level)")
        if results is None:
            return
        publishers = self.member(results, "publishers", list, "results")
        stories = self.stories(results)
        if publishers is None:
            return
        found = self.lines.find("publishers")
        cursor = found[2] if found else 0
        for index, publisher in enumerate(publishers):
            where = f"results.publishers[{index}]"
            cursor = self.publisher(iso2, where, publisher, cursor, as_of, stories)

    def member(self, parent: dict, key: str, expected: type, where: str):
        """`parent[key]` when it is there and of the expected JSON type, else a problem."""
        top = where == "(top level)"
        path = key if top else f"{where}.{key}"
        if key not in parent:
            self.fail(1 if top else self.lines.line(where), path, "missing")
            return None
        value = parent[key]
        if not isinstance(value, expected):
            kind = "an object" if expected is dict else "a list"
            self.fail(self.lines.line(key), path, f"expected {kind}")
            return None
        return value

    def as_of(self, data: dict):
        meta = self.member(data, "meta", dict, "(top level)")
        if not meta or "date" not in meta:
            return None  # most files were never dated
        value = meta["date"]
        line = self.lines.line("date", value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(line, "meta.date", f"{value!r} is not a time in epoch milliseconds")
            return None
        try:
            moment = datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            moment = None
        if moment is None or not EARLIEST_CHECK <= moment <= datetime.now(UTC):
            self.fail(line, "meta.date", f"{value} is not a plausible date")
            return None
        return moment.date()

    def stories(self, results: dict) -> list[dict]:
        if "impacts_stories" not in results:
            return []
        stories = self.member(results, "impacts_stories", list, "results")
        if stories is None:
            return []
        found = self.lines.find("impacts_stories")
        cursor = found[2] if found else 0
        kept = []
        for index, story in enumerate(stories):
            where = f"results.impacts_stories[{index}]"
            if not isinstance(story, dict):
                self.fail(self.lines.line("impacts_stories"), where, "expected an object")
                continue
            title, url = story.get("story_title"), story.get("story_url")
            located = self.lines.find("story_title", title, cursor) if title else None
            line = located[0] if located else self.lines.line("impacts_stories")
            start = located[1] if located else cursor
            cursor = located[2] if located else cursor
            if not isinstance(title, str) or not title.strip():
                self.fail(line, f"{where}.story_title", "missing")
            if not isinstance(url, str):
                self.fail(line, f"{where}.story_url", "missing")
            elif reason := url_problem(url.strip()):
                url_line = self.lines.line("story_url", url, start, line)
                self.fail(url_line, f"{where}.story_url", reason)
            else:
                kept.append({"title": title.strip(), "url": url.strip()})
        return kept

    def publisher(self, iso2, where, item, cursor, as_of, stories) -> int:
        """One publisher → a fact; returns where in the text to look for the next one."""
        list_line = self.lines.line("publishers")
        if not isinstance(item, dict):
            self.fail(list_line, where, "expected an object")
            return cursor
        name = item.get("publisher")
        located = self.lines.find("publisher", name, cursor) if isinstance(name, str) else None
        line = located[0] if located else list_line
        # The item's own values are searched from its "publisher" key (the first key in
        # OCP's files), so an equal value in the previous item is not taken for it.
        start = located[1] if located else cursor
        next_cursor = located[2] if located else cursor
        errors = len(self.problems)
        if not isinstance(name, str) or not name.strip():
            self.fail(line, f"{where}.publisher", "missing publisher name")
            name = ""
        name = name.strip()

        flags = {}
        for key, label in FLAGS.items():
            if key not in item:
                self.fail(line, f"{where}.{key}", "missing")
            elif not isinstance(item[key], bool):
                reason = f"expected true or false, got {item[key]!r}"
                self.fail(self.lines.line(key, item[key], start, line), f"{where}.{key}", reason)
            else:
                flags[label] = item[key]

        url = self.link(where, item, name, line, start)

        since = None
        if item.get("year_first_implemented") is not None:
            value = item["year_first_implemented"]
            if reason := year_problem(value):
                value_line = self.lines.line("year_first_implemented", value, start, line)
                self.fail(value_line, f"{where}.year_first_implemented", reason)
            else:
                since = int(value)

        title = f"Publishes open contracting data (OCDS): {name}"
        key = f"{iso2}:{name}"
        if len(title) > TITLE_MAX_LENGTH or len(key) > KEY_MAX_LENGTH:
            self.fail(line, f"{where}.publisher", "name too long")
        if len(self.problems) > errors:
            return next_cursor
        self.parsed.facts.append(
            Fact(
                file=self.name,
                line=line,
                iso2=iso2,
                kind=KIND,
                key=key,
                title=title,
                strength=strength_of(flags["historic_data"], flags["ongoing_data"]),
                source_url=SOURCE_URL,
                url=url,
                since=since,
                as_of=as_of,
                details={
                    "publisher": name,
                    **flags,
                    "impact_stories": stories,
                    "dataset": DATASET,
                    "dataset_file": f"data/oc-status/{self.name}",
                },
            )
        )
        return next_cursor

    def link(self, where, item, name, line, start) -> str:
        if "publisher_link" not in item:
            self.fail(line, f"{where}.publisher_link", "missing")
            return ""
        value = item["publisher_link"]
        if not isinstance(value, str):
            self.fail(line, f"{where}.publisher_link", f"expected text, got {value!r}")
            return ""
        value = value.strip()
        if not value:
            return ""
        if KNOWN_ERRATA.get((self.name, name, "publisher_link")) == value:
            self.parsed.notes.append(
                f"{self.name}: {name}: publisher_link {value!r} is not a link (a known error "
                "in the source); imported without a link"
            )
            return ""
        if reason := url_problem(value):
            value_line = self.lines.line("publisher_link", item["publisher_link"], start, line)
            self.fail(value_line, f"{where}.publisher_link", reason)
            return ""
        return value

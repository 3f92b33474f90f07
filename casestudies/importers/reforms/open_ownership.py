"""Open Ownership: beneficial-ownership transparency commitments and registers.

The input is a folder with Open Ownership's two map files (to February 2022):

- `openownership_countries_2022-02.csv`: one row per country (ISO 3166 alpha-2 in
  `iso2`). `committed` says the country committed to beneficial-ownership
  transparency; `central`, `public` and `all_sectors` say what the commitment covers;
  `any_online_register` that a register can be searched online; `last_updated` when
  Open Ownership last changed the row.
- `openownership_registers_2022-02.csv`: registers (name, scope, URL). The file names
  no country code, only an internal id (`country_notion_id`) that the countries file
  no longer carries. A register is placed in a country when its name begins with the
  country's name as the countries file or ISO 3166 writes it ("Albania Register of
  Beneficial Owners"); registers that share an id follow the one that was placed. The
  rest ("UK PSC Register", "PH-EITI…", "T&T EITI…", Gibraltar's, Florida's) are left
  out and named in the import result rather than guessed.

One record per committed country, on the `beneficial-ownership` theme, keyed by its
alpha-2 code; `since` stays empty (the files give no year), `as_of` is
`last_updated`, `source_url` Open Ownership's map:

- kind `bo-register` when an online register exists (`any_online_register`, or a
  register of the country is listed); `url` is its register (a national one first)
  and `details["registers"]` lists them all;
- kind `bo-commitment` otherwise (a commitment, nothing online yet).

The importer's rating (`strength`, 0..1), kept below what an IRM-verified completed
commitment scores (0.55 when the IRM rated nothing else, up to 1.0):

- 0.5 — an online register, and the commitment is to a central, public register;
- 0.4 — an online register, the commitment narrower (not central or not public);
- 0.25 — a commitment only.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from casestudies.importers.reforms.base import (
    ALPHA2,
    Fact,
    Parsed,
    ReformImporter,
    country_names,
    read_utf8,
    url_problem,
)
from casestudies.models import ReformSource
from exchange.core.importing.base import ImportFailed, Problem, complete_rows, csv_records

COUNTRIES_FILE = "openownership_countries_2022-02.csv"
REGISTERS_FILE = "openownership_registers_2022-02.csv"
SOURCE_URL = "https://www.openownership.org/en/map/"
PUBLIC_CENTRAL_REGISTER, OTHER_REGISTER, COMMITMENT_ONLY = 0.5, 0.4, 0.25

COUNTRY_FLAGS = [
    "committed",
    "central",
    "public",
    "all_sectors",
    "any_online_register",
    "any_data_in_oo_register",
]
COUNTRY_COLUMNS = ["name", "iso2", *COUNTRY_FLAGS, "commitment_level", "last_updated"]
REGISTER_COLUMNS = ["country_notion_id", "name", "scope", "register_url"]
BOOLEANS = {"True": True, "False": False}
LEVEL = re.compile(r"[0-9]")
DATE_CHARACTERS = re.compile(r"[0-9: -]+")  # strptime would also take non-ASCII digits
UPDATED_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def strength_of(online: bool, central: bool, public: bool) -> float:
    if not online:
        return COMMITMENT_ONLY
    return PUBLIC_CENTRAL_REGISTER if central and public else OTHER_REGISTER


def scope_phrase(central: bool, public: bool, all_sectors: bool) -> str:
    """What the commitment covers, e.g. "a central, public register covering all sectors"."""
    adjectives = ", ".join(word for word, on in (("central", central), ("public", public)) if on)
    register = f"a {adjectives} register" if adjectives else "a register"
    return f"{register} covering {'all' if all_sectors else 'some'} sectors"


class OpenOwnershipImporter(ReformImporter):
    source = ReformSource.OPEN_OWNERSHIP
    theme_slug = "beneficial-ownership"
    default_location = "beneficial_ownership"
    description = f"a folder with {COUNTRIES_FILE} and {REGISTERS_FILE}"

    def parse(self, path: Path) -> Parsed:
        files = [path / COUNTRIES_FILE, path / REGISTERS_FILE]
        missing = [file for file in files if not file.is_file()]
        if missing:
            raise ImportFailed(
                [Problem(file.name, 0, f"file not found: {file}") for file in missing]
            )
        problems: list[Problem] = []
        parsed = Parsed(facts=[])
        countries = self.countries(files[0], problems, parsed.notes)
        registers = self.registers(files[1], problems)
        if problems:
            raise ImportFailed(problems)
        placed = self.place(registers, countries, problems, parsed.notes)
        if problems:
            raise ImportFailed(problems)
        for row in countries.values():
            if not row["committed"]:
                parsed.notes.append(
                    f"{COUNTRIES_FILE}:{row['line']}: {row['name']} has not committed: no record"
                )
                continue
            parsed.facts.append(self.fact(row, placed.get(row["iso2"], [])))
        return parsed

    def countries(self, path: Path, problems: list[Problem], notes: list[str]) -> dict[str, dict]:
        rows: dict[str, dict] = {}
        for line, row in self._rows(path, COUNTRY_COLUMNS, problems):

            def fail(reason, line=line):
                problems.append(Problem(path.name, line, reason))

            name = (row["name"] or "").strip()
            iso2 = (row["iso2"] or "").strip()
            if not name:
                fail("name: missing")
            if not iso2 and name:
                # "United Kingdom Overseas Territories": a group of territories, no country.
                notes.append(f"{path.name}:{line}: {name} has no country code: no record")
                continue
            if not ALPHA2.fullmatch(iso2):
                fail(f"iso2: {iso2!r} is not an ISO 3166 alpha-2 code")
            elif iso2 in rows:
                fail(f"iso2: duplicate code {iso2} (first on line {rows[iso2]['line']})")
            values = {"line": line, "name": name, "iso2": iso2}
            for column in COUNTRY_FLAGS:
                raw = (row[column] or "").strip()
                if raw not in BOOLEANS:
                    fail(f"{column}: expected True or False, got {raw!r}")
                values[column] = BOOLEANS.get(raw, False)
            level = (row["commitment_level"] or "").strip()
            if not LEVEL.fullmatch(level):
                fail(f"commitment_level: {level!r} is not a level (0-9)")
            values["commitment_level"] = int(level) if LEVEL.fullmatch(level) else None
            values["last_updated"] = self._date(row["last_updated"], fail)
            involvement = (row.get("involvement") or "").strip()
            values["involvement"] = "" if involvement == "None" else involvement
            if iso2 and iso2 not in rows:
                rows[iso2] = values
        if not rows and not problems:
            problems.append(Problem(path.name, 1, "the file has no countries"))
        return rows

    def registers(self, path: Path, problems: list[Problem]) -> list[dict]:
        registers = []
        for line, row in self._rows(path, REGISTER_COLUMNS, problems):
            name = " ".join((row["name"] or "").split())
            url = (row["register_url"] or "").strip()
            if not name:
                problems.append(Problem(path.name, line, "name: missing"))
            if reason := url_problem(url):
                problems.append(Problem(path.name, line, f"register_url: {reason}"))
            registers.append(
                {
                    "line": line,
                    "id": (row["country_notion_id"] or "").strip(),
                    "name": name,
                    "scope": (row["scope"] or "").strip(),
                    "url": url,
                }
            )
        return registers

    def place(self, registers, countries, problems, notes) -> dict[str, list[dict]]:
        """Registers by the alpha-2 code of their country; see the module docstring."""
        names = {}
        for iso2, row in countries.items():
            for name in {row["name"], *country_names(iso2)}:
                names[name.lower()] = iso2
        country_of = {}
        for register in registers:
            prefix = next(
                (
                    name
                    for name in sorted(names, key=len, reverse=True)
                    if register["name"].lower().startswith(name + " ")
                ),
                None,
            )
            if prefix:
                country_of[register["line"]] = names[prefix]
        by_id: dict[str, str] = {}
        for register in registers:
            iso2 = country_of.get(register["line"])
            if iso2 is None or not register["id"]:
                continue
            if by_id.setdefault(register["id"], iso2) != iso2:
                problems.append(
                    Problem(
                        REGISTERS_FILE,
                        register["line"],
                        f"{register['name']!r} is named for {iso2}, but another register "
                        f"with the same country_notion_id is named for {by_id[register['id']]}",
                    )
                )
        placed: dict[str, list[dict]] = {}
        left_out = []
        for register in registers:
            iso2 = country_of.get(register["line"]) or by_id.get(register["id"])
            if iso2 is None:
                left_out.append(register["name"])
                continue
            placed.setdefault(iso2, []).append(
                {"name": register["name"], "scope": register["scope"], "url": register["url"]}
            )
        if left_out:
            notes.append(
                f"{REGISTERS_FILE}: {len(left_out)} register(s) name no country we can place "
                f"them in, left out: {'; '.join(left_out)}"
            )
        for iso2, listed in placed.items():
            if iso2 not in countries or not countries[iso2]["committed"]:
                notes.append(
                    f"{REGISTERS_FILE}: {len(listed)} register(s) of {iso2}, which has no "
                    "commitment in the countries file, left out"
                )
        return placed

    def fact(self, row: dict, registers: list[dict]) -> Fact:
        online = row["any_online_register"] or bool(registers)
        scope = scope_phrase(row["central"], row["public"], row["all_sectors"])
        if online:
            kind = "bo-register"
            title = f"Beneficial-ownership register online; committed to {scope}"
        else:
            kind = "bo-commitment"
            title = f"Committed to beneficial-ownership transparency: {scope}"
        national = [r for r in registers if "national" in r["scope"].lower()]
        evidence = (national or registers)[:1]
        return Fact(
            file=COUNTRIES_FILE,
            line=row["line"],
            iso2=row["iso2"],
            kind=kind,
            key=row["iso2"],
            title=title,
            strength=strength_of(online, row["central"], row["public"]),
            source_url=SOURCE_URL,
            url=evidence[0]["url"] if evidence else "",
            as_of=row["last_updated"],
            details={
                **{flag: row[flag] for flag in COUNTRY_FLAGS},
                "commitment_level": row["commitment_level"],
                "involvement": row["involvement"],
                "registers": registers,
            },
        )

    def _rows(self, path: Path, required: list[str], problems: list[Problem]):
        text = read_utf8(path, problems)
        if text is None:
            return
        reported = len(problems)
        records = csv_records(text, path.name, problems)
        header = [column.strip() for column in next((values for _, values in records), [])]
        missing = [column for column in required if column not in header]
        if missing:
            if len(problems) == reported:  # else the header was unreadable, and that is reported
                problems.append(Problem(path.name, 1, f"missing column(s): {', '.join(missing)}"))
            return
        yield from complete_rows(header, records, path.name, problems)

    @staticmethod
    def _date(value, fail):
        raw = (value or "").strip()
        for pattern in UPDATED_FORMATS if DATE_CHARACTERS.fullmatch(raw) else ():
            try:
                return datetime.strptime(raw, pattern).date()
            except ValueError:
                continue
        fail(f"last_updated: {raw!r} is not a date (YYYY-MM-DD HH:MM:SS)")
        return None

"""Import national OGP membership from the members file (data/ogp/).

Membership is a fact about a government, not about the data: which countries
happen to have commitments in the IRM export says nothing about who takes part
in OGP (South Africa, a founder, has none there). The members file names every
national government that joined, the year it joined, its status and the public
pages each fact was read from.

Every row is validated before anything is written; a file with any bad row
imports nothing and every problem is reported as `file:line: reason`. The file
is the whole truth: a country it does not name is not a member, so re-running
the import with a row removed clears that country's membership.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from casestudies.models import PARTICIPATING_STATUSES, Country, OGPStatus
from casestudies.signals import countries_imported
from exchange.core.importing.base import (
    ImportFailed,
    ImportResult,
    Problem,
    complete_rows,
    csv_records,
    read_text,
)

DEFAULT_FILE = "ogp/ogp_national_members_2026-12.csv"
REQUIRED_COLUMNS = ["iso3", "name", "year_joined", "status", "status_note", "source_urls"]
FIRST_YEAR = 2011  # OGP was launched on 20 September 2011.
ISO3 = re.compile(r"[A-Z]{3}")
# ASCII digits only: str.isdigit() and \d accept "²⁰²⁰" or "٢٠٢٠", which int() may refuse.
YEAR = re.compile(r"[0-9]{4}")
MEMBERSHIP_FIELDS = [
    "ogp_member",
    "ogp_status",
    "ogp_year_joined",
    "ogp_status_note",
    "ogp_source_url",
]
NOT_A_MEMBER = {
    "ogp_member": False,
    "ogp_status": "",
    "ogp_year_joined": None,
    "ogp_status_note": "",
    "ogp_source_url": "",
}
_is_web_address = URLValidator(schemes=["http", "https"])


@dataclass
class MemberRecord:
    line: int
    iso3: str
    fields: dict


def default_path() -> Path:
    return Path(settings.DATA_DIR) / DEFAULT_FILE


def _max_length(field_name: str) -> int:
    return Country._meta.get_field(field_name).max_length


def _parse_row(line, row, source, known_codes, this_year) -> tuple[MemberRecord | None, list]:
    problems = []

    def fail(reason):
        problems.append(Problem(source, line, reason))

    iso3 = (row["iso3"] or "").strip()
    if not ISO3.fullmatch(iso3):
        fail(f"iso3: {iso3!r} is not an ISO 3166 alpha-3 code")
    elif iso3 not in known_codes:
        fail(f"unknown country {iso3} (not among the countries: run import_countries first?)")
    if not (row["name"] or "").strip():
        fail("name: missing")

    raw_year = (row["year_joined"] or "").strip()
    year = None
    if not YEAR.fullmatch(raw_year):
        fail(f"year_joined: {raw_year!r} is not a 4-digit year")
    elif not FIRST_YEAR <= int(raw_year) <= this_year:
        fail(f"year_joined: {raw_year} is not between {FIRST_YEAR} and {this_year}")
    else:
        year = int(raw_year)

    status = (row["status"] or "").strip()
    if status not in OGPStatus.values:
        fail(f"status: unknown value {status!r} (expected one of {', '.join(OGPStatus.values)})")

    note = (row["status_note"] or "").strip()
    if len(note) > _max_length("ogp_status_note"):
        fail(f"status_note is longer than {_max_length('ogp_status_note')} characters")

    urls = (row["source_urls"] or "").split()
    if not urls:
        fail("source_urls: missing (every row needs the page its facts were read from)")
    for url in urls:
        try:
            _is_web_address(url)
        except ValidationError:
            fail(f"source_urls: {url!r} is not an http(s) web address")
    limit = _max_length("ogp_source_url")
    if urls and len(urls[0]) > limit:
        fail(f"source_urls: the first address is longer than {limit} characters")

    if problems:
        return None, problems
    fields = {
        "ogp_member": status in PARTICIPATING_STATUSES,
        "ogp_status": status,
        "ogp_year_joined": year,
        "ogp_status_note": note,
        "ogp_source_url": urls[0],
    }
    return MemberRecord(line, iso3, fields), []


def parse(path: Path, today: date | None = None) -> list[MemberRecord]:
    """The validated rows; raises ImportFailed listing every problem in the file."""
    source = path.name
    if not path.exists():
        raise ImportFailed([Problem(source, 0, f"file not found: {path}")])
    known_codes = set(Country.objects.values_list("iso3", flat=True))
    if not known_codes:
        raise ImportFailed([Problem(source, 0, "no countries loaded: run import_countries first")])

    records_in_file = csv_records(read_text(path), source)
    header = [column.strip() for column in next((values for _, values in records_in_file), [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportFailed([Problem(source, 1, f"missing column(s): {', '.join(missing)}")])

    this_year = (today or date.today()).year
    problems: list[Problem] = []
    records: list[MemberRecord] = []
    first_line_of: dict[str, int] = {}
    for line, row in complete_rows(header, records_in_file, source, problems):
        record, row_problems = _parse_row(line, row, source, known_codes, this_year)
        problems.extend(row_problems)
        # Checked even when the first copy has problems of its own, so fixing that
        # row does not reveal a new problem on the next run.
        iso3 = row["iso3"].strip()
        if iso3 in first_line_of:
            problems.append(
                Problem(
                    source, line, f"duplicate iso3 {iso3} (first on line {first_line_of[iso3]})"
                )
            )
        elif iso3:
            first_line_of[iso3] = line
        if record is not None:
            records.append(record)
    if problems:
        raise ImportFailed(problems)
    if not records:
        raise ImportFailed([Problem(source, 1, "the file has no members")])
    return records


def import_members(
    path: Path | None = None, progress=None, today: date | None = None
) -> ImportResult:
    """Set every country's OGP membership from the file, in one transaction.

    Counts: `created` for a country that had no membership record, `updated`
    for one whose record changed (including a country the file no longer
    names, whose membership is cleared), `unchanged` for the rest of the file.
    """
    result = ImportResult()
    with transaction.atomic():
        records = parse(path or default_path(), today)
        in_file = {record.iso3: record for record in records}
        countries = {country.iso3: country for country in Country.objects.all()}
        to_update = []
        for record in progress(records) if progress else records:
            country = countries[record.iso3]
            if all(getattr(country, key) == value for key, value in record.fields.items()):
                result.unchanged += 1
                continue
            if country.ogp_status:
                result.updated += 1
            else:
                result.created += 1
            for key, value in record.fields.items():
                setattr(country, key, value)
            to_update.append(country)
        for iso3, country in countries.items():
            if iso3 in in_file:
                continue
            if any(getattr(country, key) != value for key, value in NOT_A_MEMBER.items()):
                for key, value in NOT_A_MEMBER.items():
                    setattr(country, key, value)
                to_update.append(country)
                result.updated += 1
        Country.objects.bulk_update(to_update, MEMBERSHIP_FIELDS, batch_size=200)
        if to_update:  # bulk writes send no post_save: tell the caches
            transaction.on_commit(lambda: countries_imported.send(sender=Country))
    return result

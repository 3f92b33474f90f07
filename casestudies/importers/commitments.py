"""Import IRM-rated commitments from the OGP commitments CSV and their full text.

Every row of both files is validated before anything is written; a problem in
either file imports nothing from either, and every problem is reported with its
line number. Re-running the import updates commitments in place (matched on the
OGP identifier).

The full text (a second CSV: identifier, text as the action plan states it) is
OGP's own wording: it is stored for search and matching, and pages show only a
short excerpt with a link to OGP's page (`Commitment.full_text_excerpt`).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Min

from casestudies.models import (
    Commitment,
    Completion,
    Country,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
    Theme,
)
from casestudies.models.commitments import is_starred
from casestudies.signals import commitments_imported
from exchange.core.importing.base import (
    DIGITS,
    ImportFailed,
    ImportResult,
    Problem,
    complete_rows,
    csv_records,
    read_text,
)

DEFAULT_FILE = "ogp/commitments_open_parliament_2024-07.csv"
DEFAULT_FULL_TEXT_FILE = "ogp/commitments_open_parliament_2024-07_full_text.csv"
FULL_TEXT_COLUMNS = ["Commitment Unique Identifier", "Full Text"]
# Control characters (C0, DEL, C1) other than tab and line feed: a NUL or a stray
# escape code in OGP's text means a damaged export. Line endings are made "\n" first.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_ENDING = re.compile(r"\r\n?")

# "ND" (no data), "NR" (not reviewed), "NA" and blanks all mean "not assessed".
MISSING = {"", "ND", "NR", "NA", "N/A"}

SPECIFICITY = {
    "None": Specificity.NONE,
    "Low": Specificity.LOW,
    "Medium": Specificity.MEDIUM,
    "High": Specificity.HIGH,
}
POTENTIAL_IMPACT = {
    "None": PotentialImpact.NONE,
    "Minor": PotentialImpact.MINOR,
    "Moderate": PotentialImpact.MODERATE,
    "Transformative": PotentialImpact.TRANSFORMATIVE,
}
COMPLETION = {
    "Not Started": Completion.NOT_STARTED,
    "Limited": Completion.LIMITED,
    "Substantial": Completion.SUBSTANTIAL,
    "Complete": Completion.COMPLETE,
    "Withdrawn": Completion.WITHDRAWN,
    "Unclear": Completion.UNCLEAR,
}
OPENED_GOVERNMENT = {
    "Worsens": OpenedGovernment.WORSENED,
    "Worsened": OpenedGovernment.WORSENED,
    "Did Not Change": OpenedGovernment.DID_NOT_CHANGE,
    "Marginal": OpenedGovernment.MARGINAL,
    "Major": OpenedGovernment.MAJOR,
    "Outstanding": OpenedGovernment.OUTSTANDING,
    "No early results to report yet": OpenedGovernment.NO_RESULTS_YET,
}
VALUE_COLUMNS = {
    "value_access_to_information": "OGP Value Access To Information",
    "value_civic_participation": "OGP Value Civic Participation",
    "value_public_accountability": "OGP Value Public Accountability",
    "value_technology_innovation": "OGP Value Technology",
}
REQUIRED_COLUMNS = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Code",
    "Region",
    "National Or Local",
    "Action Plan Number",
    "Commitment Number",
    "Year Of Submission",
    "Action Plan End Year",
    "Commitment Title",
    "Lead Institution",
    "Supporting Institution(s)",
    "Specificity",
    "Potential Impact",
    "Completion (Progress Report)",
    "Completion (End Of Term)",
    "Did It Open Government (Overall)",
    "URL",
    "Action Plan ID",
    *VALUE_COLUMNS.values(),
]
IDENTIFIER = re.compile(r"^[A-Z]{2,4}\d{1,5}$")
# Text fields and the column each comes from, checked against the model's lengths:
# a too-long value is reported rather than cut short (or refused by PostgreSQL).
TEXT_COLUMNS = {
    "member_name": "Country/Locality",
    "jurisdiction": "Country/Locality",
    "ogp_region": "Region",
    "action_plan_id": "Action Plan ID",
    "commitment_number": "Commitment Number",
    "title": "Commitment Title",
    "lead_institution": "Lead Institution",
    "source_url": "URL",
}


@dataclass
class CommitmentRecord:
    line: int
    fields: dict
    theme_ids: list[int]


def default_path() -> Path:
    return Path(settings.DATA_DIR) / DEFAULT_FILE


def default_full_text_path() -> Path:
    return Path(settings.DATA_DIR) / DEFAULT_FULL_TEXT_FILE


class _RowParser:
    """Turns one CSV row into model fields, collecting every problem it finds."""

    def __init__(self, source, countries, themes_by_column):
        self.source = source
        self.countries_by_code = countries
        self.countries_by_name = {country.name.lower(): country for country in countries.values()}
        self.themes_by_column = themes_by_column

    def parse(self, line: int, row: dict, problems: list[Problem]) -> CommitmentRecord | None:
        errors = []

        def fail(reason):
            errors.append(Problem(self.source, line, reason))

        def rating(column, mapping):
            raw = (row.get(column) or "").strip()
            if raw in MISSING:
                return None
            if raw not in mapping:
                fail(f"{column}: unknown value {raw!r}")
                return None
            return mapping[raw]

        def year(column, required):
            raw = (row.get(column) or "").strip()
            if raw in MISSING:
                if required:
                    fail(f"{column}: missing year")
                return None
            if not DIGITS.fullmatch(raw) or not 2000 <= int(raw) <= 2100:
                fail(f"{column}: {raw!r} is not a year")
                return None
            return int(raw)

        def flag(column):
            raw = (row.get(column) or "").strip()
            if raw in MISSING:
                return None
            if raw not in {"0", "1"}:
                fail(f"{column}: expected 0 or 1, got {raw!r}")
                return None
            return raw == "1"

        identifier = (row.get("Commitment Unique Identifier") or "").strip()
        if not IDENTIFIER.match(identifier):
            fail(f"invalid commitment identifier {identifier!r}")
        title = (row.get("Commitment Title") or "").strip()
        if not title:
            fail("missing Commitment Title")
        country, jurisdiction = self.country_of(row, fail)
        plan_number = (row.get("Action Plan Number") or "").strip()
        plan_number_ok = bool(DIGITS.fullmatch(plan_number)) and int(plan_number) <= 999
        if not plan_number_ok:
            fail(f"Action Plan Number: {plan_number!r} is not a number from 0 to 999")
        start_year = year("Year Of Submission", required=True)
        end_year = year("Action Plan End Year", required=False)
        if start_year and end_year and end_year < start_year:
            fail(f"Action Plan End Year {end_year} is before Year Of Submission {start_year}")
        url = (row.get("URL") or "").strip()
        if url in MISSING:
            url = ""
        elif not url.startswith(("https://", "http://")):
            fail(f"URL: {url!r} is not a web address")

        theme_ids = []
        for column, theme in self.themes_by_column.items():
            if flag(column):
                theme_ids.append(theme.pk)

        fields = {
            "identifier": identifier,
            "country_id": country.pk if country else None,
            "member_name": (row.get("Country/Locality") or "").strip(),
            "jurisdiction": jurisdiction,
            "ogp_region": (row.get("Region") or "").strip(),
            "action_plan_id": (row.get("Action Plan ID") or "").strip(),
            "action_plan_number": int(plan_number) if plan_number_ok else 0,
            "plan_start_year": start_year,
            "plan_end_year": end_year,
            "commitment_number": (row.get("Commitment Number") or "").strip(),
            "title": title,
            "lead_institution": _text(row.get("Lead Institution")),
            "supporting_institutions": _text(row.get("Supporting Institution(s)")),
            "specificity": rating("Specificity", SPECIFICITY),
            "potential_impact": rating("Potential Impact", POTENTIAL_IMPACT),
            "completion_midterm": rating("Completion (Progress Report)", COMPLETION),
            "completion_end_of_term": rating("Completion (End Of Term)", COMPLETION),
            "opened_government": rating("Did It Open Government (Overall)", OPENED_GOVERNMENT),
            "source_url": url,
        }
        for field_name, column in VALUE_COLUMNS.items():
            fields[field_name] = flag(column)
        for field_name, column in TEXT_COLUMNS.items():
            limit = Commitment._meta.get_field(field_name).max_length
            if len(fields[field_name]) > limit:
                fail(f"{column} is longer than {limit} characters")
        if errors:
            problems.extend(errors)
            return None
        values = [fields[name] for name in VALUE_COLUMNS]
        fields["starred"] = is_starred(
            specificity=fields["specificity"],
            relevant=any(values),
            potential_impact=fields["potential_impact"],
            completion=fields["completion_end_of_term"] or fields["completion_midterm"],
        )
        return CommitmentRecord(line, fields, theme_ids)

    def country_of(self, row, fail):
        """National members by ISO3 code; local members ("Kaduna State, Nigeria") by name."""
        code = (row.get("Code") or "").strip()
        member = (row.get("Country/Locality") or "").strip()
        kind = (row.get("National Or Local") or "").strip()
        if code in self.countries_by_code and kind != "Legacy Local":
            return self.countries_by_code[code], ""
        if "," in member:
            jurisdiction, _, country_name = member.rpartition(",")
            country = self.countries_by_name.get(country_name.strip().lower())
            if country:
                return country, jurisdiction.strip()
        fail(f"unknown country: code {code!r}, member {member!r} (import countries first?)")
        return None, ""


def _text(value) -> str:
    value = (value or "").strip()
    return "" if value in MISSING else value


def parse(path: Path, full_text_path: Path | None = None) -> list[CommitmentRecord]:
    """Every commitment of `path`, with its text from `full_text_path` ("" if it has none).

    Raises ImportFailed with the problems of both files, so one run reports them all.
    """
    records, problems, identifiers = _parse_commitments(path)
    known = identifiers | set(Commitment.objects.values_list("identifier", flat=True))
    texts = parse_full_texts(full_text_path or default_full_text_path(), known, problems)
    if problems:
        raise ImportFailed(problems)
    if not records:
        raise ImportFailed([Problem(path.name, 1, "the file has no commitments")])
    for record in records:
        record.fields["full_text"] = texts.get(record.fields["identifier"], "")
    return records


def _parse_commitments(path: Path) -> tuple[list[CommitmentRecord], list[Problem], set[str]]:
    """The valid records, the problems, and every identifier the file names."""
    if not path.exists():
        raise ImportFailed([Problem(path.name, 0, f"file not found: {path}")])
    source = path.name
    countries = {country.iso3: country for country in Country.objects.all()}
    if not countries:
        raise ImportFailed([Problem(source, 0, "no countries loaded: run import_countries first")])
    themes = {theme.source_column: theme for theme in Theme.objects.exclude(source_column="")}
    if not themes:
        raise ImportFailed([Problem(source, 0, "no themes loaded: run import_themes first")])

    problems: list[Problem] = []
    records_in_file = csv_records(read_text(path), source, problems)
    header = next((values for _, values in records_in_file), [])
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        # An unreadable first record (reported by csv_records) is why columns are missing.
        raise ImportFailed(
            problems or [Problem(source, 1, f"missing column(s): {', '.join(missing)}")]
        )
    themes_by_column = {column: theme for column, theme in themes.items() if column in header}

    row_parser = _RowParser(source, countries, themes_by_column)
    records: list[CommitmentRecord] = []
    first_line_of: dict[str, int] = {}
    for line, row in complete_rows(header, records_in_file, source, problems):
        record = row_parser.parse(line, row, problems)
        # Duplicates are found even when the first copy has problems of its own,
        # so fixing that row does not reveal a new problem on the next run.
        identifier = (row.get("Commitment Unique Identifier") or "").strip()
        if identifier in first_line_of:
            problems.append(
                Problem(
                    source,
                    line,
                    f"duplicate identifier {identifier} "
                    f"(first on line {first_line_of[identifier]})",
                )
            )
            continue
        if identifier:
            first_line_of[identifier] = line
        if record is not None:
            records.append(record)
    return records, problems, set(first_line_of)


def parse_full_texts(path: Path, known: set[str], problems: list[Problem]) -> dict[str, str]:
    """{identifier: text} from the full-text CSV; its problems are added to `problems`.

    Each identifier must name a commitment (of the commitments file or already
    imported) and appear once. Texts keep their line breaks ("\r\n" becomes "\n")
    and tabs; any other control character is a problem.
    """
    source = path.name
    if not path.exists():
        problems.append(Problem(source, 0, f"file not found: {path}"))
        return {}
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                source,
                line,
                f"not UTF-8 (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
            )
        )
        return {}
    reported = len(problems)
    records_in_file = csv_records(text, source, problems)
    header = next((values for _, values in records_in_file), [])
    missing = [column for column in FULL_TEXT_COLUMNS if column not in header]
    if missing:
        if len(problems) == reported:  # else the header was unreadable, and that is reported
            problems.append(Problem(source, 1, f"missing column(s): {', '.join(missing)}"))
        return {}
    texts: dict[str, str] = {}
    first_line_of: dict[str, int] = {}
    for line, row in complete_rows(header, records_in_file, source, problems):
        identifier = row["Commitment Unique Identifier"].strip()
        if identifier in first_line_of:
            problems.append(
                Problem(
                    source,
                    line,
                    f"duplicate identifier {identifier} "
                    f"(first on line {first_line_of[identifier]})",
                )
            )
            continue
        first_line_of[identifier] = line
        if identifier not in known:
            problems.append(
                Problem(
                    source,
                    line,
                    f"unknown commitment identifier {identifier!r} "
                    "(not in the commitments file nor imported before)",
                )
            )
        full_text = LINE_ENDING.sub("\n", row["Full Text"])
        control = CONTROL_CHARACTER.search(full_text)
        if control:
            problems.append(
                Problem(
                    source,
                    line,
                    f"Full Text of {identifier}: control character "
                    f"U+{ord(control.group()):04X} (only line breaks and tabs are allowed)",
                )
            )
            continue
        texts[identifier] = _text(full_text)
    return texts


def import_commitments(
    path: Path | None = None, progress=None, full_text_path: Path | None = None
) -> ImportResult:
    """Create or update the commitments of `path` and their texts, all in one transaction."""
    records = parse(path or default_path(), full_text_path)
    result = ImportResult()
    through = Commitment.themes.through
    with transaction.atomic():
        existing = {c.identifier: c for c in Commitment.objects.all()}
        current_themes = {}
        for commitment_id, theme_id in through.objects.values_list("commitment_id", "theme_id"):
            current_themes.setdefault(commitment_id, set()).add(theme_id)
        to_create, to_update = [], []
        for record in progress(records) if progress else records:
            commitment = existing.get(record.fields["identifier"])
            if commitment is None:
                to_create.append((Commitment(**record.fields), record))
                continue
            changed = any(getattr(commitment, k) != v for k, v in record.fields.items())
            if changed:
                for key, value in record.fields.items():
                    setattr(commitment, key, value)
                to_update.append(commitment)
            themes_changed = current_themes.get(commitment.pk, set()) != set(record.theme_ids)
            if themes_changed:
                through.objects.filter(commitment_id=commitment.pk).delete()
                through.objects.bulk_create(
                    through(commitment_id=commitment.pk, theme_id=t) for t in record.theme_ids
                )
            if changed or themes_changed:
                result.updated += 1
            else:
                result.unchanged += 1
        created = Commitment.objects.bulk_create([commitment for commitment, _ in to_create])
        through.objects.bulk_create(
            through(commitment_id=commitment.pk, theme_id=theme_id)
            for commitment, (_, record) in zip(created, to_create, strict=True)
            for theme_id in record.theme_ids
        )
        update_fields = [f for f in records[0].fields if f != "identifier"]
        Commitment.objects.bulk_update(to_update, update_fields, batch_size=200)
        result.created = len(created)
        _update_irm_facts()
        if result.created or result.updated:
            transaction.on_commit(lambda: commitments_imported.send(sender=Commitment))
    return result


def _update_irm_facts():
    """Each country's OGP region and first action plan year as the IRM data records them.

    These are facts of the commitments file only: membership (who takes part in
    OGP, since when) comes from the members file (`import_ogp_members`), because
    a member without commitments in this export is still a member.
    """
    first_years = dict(
        Commitment.objects.values("country")
        .annotate(first=Min("plan_start_year"))
        .values_list("country", "first")
    )
    regions = dict(
        Commitment.objects.filter(jurisdiction="").values_list("country", "ogp_region").distinct()
    )
    Country.objects.exclude(pk__in=first_years).update(ogp_first_plan_year=None, ogp_region="")
    countries = list(Country.objects.filter(pk__in=first_years))
    for country in countries:
        country.ogp_first_plan_year = first_years[country.pk]
        country.ogp_region = regions.get(country.pk, country.ogp_region)
    Country.objects.bulk_update(countries, ["ogp_first_plan_year", "ogp_region"])

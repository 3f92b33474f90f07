"""Import countries and their context from the World Bank files.

Four files, all real World Bank data: the country classification (region and
income group), population, GDP per capita and the Worldwide Governance
Indicators. Aggregates (regions, income groups) have a blank region in the
classification file and are skipped. For each indicator the latest year with a
value is kept, with its year; the six governance estimates share one year, so a
country keeps only the estimates of its latest WGI year.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from casestudies.models import WGI_DIMENSIONS, Country
from casestudies.signals import countries_imported
from exchange.core.importing.base import (
    ImportFailed,
    ImportResult,
    Problem,
    as_dicts,
    csv_records,
    read_text,
)

INCOME_GROUPS = {"Low income", "Lower middle income", "Upper middle income", "High income"}
ISO3 = re.compile(r"^[A-Z]{3}$")
# Year columns: ASCII digits only ("²⁰²⁰".isdigit() is true, and int() refuses it).
YEAR = re.compile(r"[0-9]{4}")
# Checked before writing: a value the database cannot hold would fail mid-import.
NAME_MAX = Country._meta.get_field("name").max_length
REGION_MAX = Country._meta.get_field("region").max_length
POPULATION_MAX = 20_000_000_000
WGI_CODES = {f"{code}.EST": name for name, code, _ in WGI_DIMENSIONS}


@dataclass
class CountryFiles:
    metadata: Path
    population: Path
    gdp_per_capita: Path
    wgi: Path

    @classmethod
    def defaults(cls):
        data = Path(settings.DATA_DIR)
        return cls(
            metadata=data / "country" / "wb_country_metadata_FY2026.csv",
            population=data / "country" / "wb_population_1960-2024.csv",
            gdp_per_capita=data / "country" / "wb_gdp_per_capita_1960-2022.csv",
            wgi=data / "governance" / "wgi_1996-2022.csv",
        )

    def all(self) -> list[Path]:
        return [self.metadata, self.population, self.gdp_per_capita, self.wgi]


@dataclass
class CountryRecord:
    iso3: str
    name: str
    region: str
    income_group: str
    values: dict = field(default_factory=dict)
    wgi: dict = field(default_factory=dict)  # field name -> (latest year, estimate)


def _rows(path: Path, skip_to_header: str, world_bank: bool = False) -> Iterable[tuple[int, dict]]:
    """(line number, row) pairs, starting at the line that begins the header.

    The World Bank population file has metadata lines before its header; the
    header is found by its first column name rather than by a fixed offset. It is
    also the one file read as Latin-1 (`world_bank`, see `read_text`).
    """
    records = csv_records(read_text(path, world_bank=world_bank), path.name)
    for _, values in records:
        if values[0].strip().startswith(skip_to_header):
            yield from as_dicts(values, records)
            return
    raise ImportFailed([Problem(path.name, 1, f"no header row starting with {skip_to_header!r}")])


def _latest_value(row: dict, source: str, line: int, problems: list[Problem]):
    """The latest (year, value) with data in a wide World Bank row, or None."""
    years = sorted((key for key in row if key and YEAR.fullmatch(key)), reverse=True)
    for year in years:
        raw = (row.get(year) or "").strip()
        if not raw or raw == "..":
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # "nan", "inf" and "1e999" are floats, not figures
            problems.append(Problem(source, line, f"{year}: {raw!r} is not a number"))
            return None
        return int(year), value
    return None


def parse(files: CountryFiles) -> dict[str, CountryRecord]:
    for path in files.all():
        if not path.exists():
            raise ImportFailed([Problem(path.name, 0, f"file not found: {path}")])
    problems: list[Problem] = []
    records: dict[str, CountryRecord] = {}

    source = files.metadata.name
    for line, row in _rows(files.metadata, "Country Code"):
        code = (row.get("Country Code") or "").strip()
        region = (row.get("Region") or "").strip()
        if not region:
            continue  # an aggregate such as "Africa Eastern and Southern"
        income = (row.get("IncomeGroup") or "").strip()
        name = (row.get("TableName") or "").strip()
        if not ISO3.match(code):
            problems.append(Problem(source, line, f"country code {code!r} is not ISO alpha-3"))
        elif code in records:
            problems.append(Problem(source, line, f"duplicate country code {code}"))
        if not name:
            problems.append(Problem(source, line, "missing country name (TableName)"))
        elif len(name) > NAME_MAX:
            problems.append(Problem(source, line, f"name is longer than {NAME_MAX} characters"))
        if len(region) > REGION_MAX:
            problems.append(Problem(source, line, f"region is longer than {REGION_MAX} characters"))
        if income and income not in INCOME_GROUPS:
            problems.append(Problem(source, line, f"unknown income group {income!r}"))
        records[code] = CountryRecord(code, name, region, income)

    for path, header, field_name in (
        (files.population, "Country Name", "population"),
        (files.gdp_per_capita, "Country", "gdp_per_capita"),
    ):
        world_bank = path == files.population
        for line, row in _rows(path, header, world_bank=world_bank):
            record = records.get((row.get("Country Code") or "").strip())
            if record is None:
                continue
            latest = _latest_value(row, path.name, line, problems)
            if latest:
                year, value = latest
                if field_name == "population" and not 0 <= value <= POPULATION_MAX:
                    reason = f"{year}: a population of {value:g} is not plausible"
                    problems.append(Problem(path.name, line, reason))
                    continue
                record.values[field_name] = int(value) if field_name == "population" else value
                record.values[f"{field_name}_year"] = year

    for line, row in _rows(files.wgi, "Country Name"):
        field_name = WGI_CODES.get((row.get("Indicator Code") or "").strip())
        record = records.get((row.get("Country Code") or "").strip())
        if field_name is None or record is None:
            continue
        latest = _latest_value(row, files.wgi.name, line, problems)
        if latest:
            year, value = latest
            if value < -3 or value > 3:
                problems.append(Problem(files.wgi.name, line, f"estimate {value} out of range"))
            record.wgi[field_name] = (year, value)

    if problems:
        raise ImportFailed(problems)
    for record in records.values():
        _keep_latest_wgi(record)
    return records


def _keep_latest_wgi(record: CountryRecord):
    """One WGI year per country, so only the estimates of that year are kept.

    Pages label all six estimates with `wgi_year`; an older estimate (Bermuda's
    voice and accountability stops in 2013) would be shown as if it were recent,
    so it is left empty ("no data") instead.
    """
    if not record.wgi:
        return
    wgi_year = max(year for year, _ in record.wgi.values())
    record.values["wgi_year"] = wgi_year
    for field_name, (year, value) in record.wgi.items():
        if year == wgi_year:
            record.values[field_name] = value


def import_countries(files: CountryFiles | None = None, progress=None) -> ImportResult:
    """Validate all four files, then create or update every country in one transaction."""
    records = parse(files or CountryFiles.defaults())
    result = ImportResult()
    value_fields = [
        "population",
        "population_year",
        "gdp_per_capita",
        "gdp_per_capita_year",
        "wgi_year",
        *(name for name, _, _ in WGI_DIMENSIONS),
    ]
    with transaction.atomic():
        existing = {country.iso3: country for country in Country.objects.all()}
        to_create, to_update = [], []
        for record in progress(records.values()) if progress else records.values():
            fields = {
                "name": record.name,
                "region": record.region,
                "income_group": record.income_group,
            }
            fields.update({name: record.values.get(name) for name in value_fields})
            country = existing.get(record.iso3)
            if country is None:
                to_create.append(Country(iso3=record.iso3, **fields))
            elif any(getattr(country, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(country, key, value)
                to_update.append(country)
            else:
                result.unchanged += 1
        Country.objects.bulk_create(to_create)
        Country.objects.bulk_update(to_update, ["name", "region", "income_group", *value_fields])
        if to_create or to_update:  # bulk writes send no post_save: tell the caches
            transaction.on_commit(lambda: countries_imported.send(sender=Country))
    result.created, result.updated = len(to_create), len(to_update)
    return result

"""Reform records from the organisations that track one reform worldwide.

`IMPORTERS` is the registry. A third source (right-to-information laws, say) is a
module here with a `ReformImporter` subclass that reads its files into `Fact`s, one
line in `IMPORTERS` and a `ReformSource` choice: no new model, command or page.

Every source replaces its own records wholesale: after an import the records of
that source are exactly those in its files (updated in place where their kind and
key match, so links to them stay valid; deleted where the file no longer has them).
The run is all-or-nothing: every file of every source asked for is validated first,
each problem reported with its file and line, and nothing is written if there is
one. Countries the Country table does not have (it holds the World Bank's
economies) are skipped and counted, not refused.

Bulk writes do not send model signals, so a run that changed anything sends
`reform_records_imported` once it has committed, for the search index to follow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal

from casestudies.importers.reforms.base import Fact, ReformImporter, alpha3
from casestudies.importers.reforms.open_contracting import OpenContractingImporter
from casestudies.importers.reforms.open_ownership import OpenOwnershipImporter
from casestudies.models import Country, ReformRecord, Theme
from exchange.core.importing.base import ImportFailed, ImportResult, Problem

IMPORTERS: tuple[ReformImporter, ...] = (
    OpenContractingImporter(),
    OpenOwnershipImporter(),
)

# Sent on commit after an import changed records: `source` (a ReformSource value) and
# `deleted_ids`, the primary keys of the records the import removed.
reform_records_imported = Signal()

COMPARED_FIELDS = [
    "country_id",
    "theme_id",
    "title",
    "since",
    "as_of",
    "url",
    "source_url",
    "strength",
    "details",
]


@dataclass
class ReformImportResult(ImportResult):
    deleted: int = 0

    def __str__(self):
        text = super().__str__()
        return f"{text}, {self.deleted} deleted" if self.deleted else text


def importer_for(source: str) -> ReformImporter:
    for importer in IMPORTERS:
        if importer.source == source:
            return importer
    names = ", ".join(importer.source for importer in IMPORTERS)
    raise ValueError(f"unknown source {source!r}; one of: {names}")


def import_reform_records(
    source: str | None = None, path: Path | None = None, progress=None
) -> dict[str, ReformImportResult]:
    """Import one source (from `path`, or its default files) or all of them.

    Returns each source's result; raises ImportFailed, having written nothing, when
    any file has a problem.
    """
    if path is not None and source is None:
        raise ValueError("a path belongs to one source: name it")
    importers = [importer_for(source)] if source else list(IMPORTERS)
    countries = dict(Country.objects.values_list("iso3", "pk"))
    if not countries:
        raise ImportFailed([Problem("countries", 0, "no countries loaded: run import_countries")])

    problems: list[Problem] = []
    batches = []
    for importer in importers:
        try:
            parsed = importer.parse(Path(path) if path else importer.default_path())
        except ImportFailed as failure:
            problems += failure.problems
            continue
        theme = Theme.objects.filter(slug=importer.theme_slug).first()
        if theme is None:
            problems.append(
                Problem(importer.source, 0, f"no theme {importer.theme_slug!r}: run import_themes")
            )
            continue
        result = ReformImportResult(notes=list(parsed.notes))
        rows = _placed(parsed.facts, countries, theme, result, problems)
        batches.append((importer, rows, result))
    if problems:
        raise ImportFailed(problems)

    with transaction.atomic():
        return {
            importer.source: _replace(importer, rows, result, progress)
            for importer, rows, result in batches
        }


def _placed(facts: list[Fact], countries, theme, result, problems) -> list[dict]:
    """Model fields for each fact in a country we know; the others skipped and counted."""
    rows, first_line, skipped = [], {}, Counter()
    for fact in facts:
        identity = (fact.kind, fact.key)
        if identity in first_line:
            problems.append(
                Problem(
                    fact.file,
                    fact.line,
                    f"duplicate {fact.kind} {fact.key!r} (first on line {first_line[identity]})",
                )
            )
            continue
        first_line[identity] = fact.line
        iso3 = alpha3(fact.iso2)
        if iso3 is None:
            problems.append(
                Problem(fact.file, fact.line, f"{fact.iso2} is not an ISO 3166 country code")
            )
            continue
        if iso3 not in countries:
            skipped[fact.iso2] += 1
            continue
        rows.append(
            {
                "kind": fact.kind,
                "key": fact.key,
                "country_id": countries[iso3],
                "theme_id": theme.pk,
                "title": fact.title,
                "since": fact.since,
                "as_of": fact.as_of,
                "url": fact.url,
                "source_url": fact.source_url,
                "strength": fact.strength,
                "details": fact.details,
            }
        )
    if skipped:
        result.skipped = sum(skipped.values())
        result.notes.append(
            f"{result.skipped} record(s) skipped: {len(skipped)} countr"
            f"{'y' if len(skipped) == 1 else 'ies'} not among the World Bank economies in the "
            f"country table ({', '.join(sorted(skipped))})"
        )
    return rows


def _replace(importer, rows, result, progress) -> ReformImportResult:
    existing = {
        (record.kind, record.key): record
        for record in ReformRecord.objects.filter(source=importer.source)
    }
    to_create, to_update = [], []
    for fields in progress(rows) if progress else rows:
        record = existing.pop((fields["kind"], fields["key"]), None)
        if record is None:
            to_create.append(ReformRecord(source=importer.source, **fields))
        elif any(getattr(record, name) != fields[name] for name in COMPARED_FIELDS):
            for name in COMPARED_FIELDS:
                setattr(record, name, fields[name])
            to_update.append(record)
        else:
            result.unchanged += 1
    deleted_ids = [record.pk for record in existing.values()]
    ReformRecord.objects.filter(pk__in=deleted_ids).delete()
    ReformRecord.objects.bulk_create(to_create, batch_size=500)
    ReformRecord.objects.bulk_update(to_update, COMPARED_FIELDS, batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)
    result.deleted = len(deleted_ids)
    if to_create or to_update or deleted_ids:
        source = importer.source
        transaction.on_commit(
            lambda: reform_records_imported.send(
                sender=ReformRecord, source=source, deleted_ids=deleted_ids
            )
        )
    return result

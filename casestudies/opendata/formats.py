"""Rows written out as CSV or JSON, a chunk at a time, for a StreamingHttpResponse.

The licence travels with each file: in JSON as `meta` beside the rows; in CSV, which has
no place for it that every parser skips, as the response's `Link` header (rel="license")
to `/data/LICENSE.txt`, which the /data/ page and docs/open-data.md also document.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

LIST_SEPARATOR = "; "
# Rows per chunk handed to the server: large enough that a chunk is not a network write
# per row, small enough that the first bytes leave at once.
ROWS_PER_CHUNK = 100


class _Line:
    """A file-like object whose write() returns what it was given (csv.writer needs one)."""

    def write(self, value: str) -> str:
        return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _chunked(lines: Iterable[str]) -> Iterator[str]:
    buffer = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def csv_chunks(columns: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """A header line, then one line per row: plain RFC 4180 CSV, UTF-8, no comment lines."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    yield from _chunked(writer.writerow([_cell(value) for value in row]) for row in rows)


def json_chunks(meta: dict, columns: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """`{"meta": {...}, "data": [{column: value, ...}, ...]}`, written as it is read."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    head = encoder.encode({"meta": meta})
    yield head[:-1] + ', "data": ['
    records = (encoder.encode(dict(zip(columns, row, strict=True))) for row in rows)
    yield from _chunked(
        ("\n" if index == 0 else ",\n") + record for index, record in enumerate(records)
    )
    yield "\n]}\n"

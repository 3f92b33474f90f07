"""The embedded backend's facet counts, from each process's copy of the index's facet columns.

Counting a broad search's facets in SQL meant grouping thousands of matches by country,
region, income group and theme: 10 to 20 ms of a 50 ms search at 10,000 documents
(`make bench`). Each process keeps instead, for every facet value, the documents that have
it as a bitmask (a Python int, one bit per document). A search reads its matches' ids once
(the same SQL on SQLite and PostgreSQL), turns them into a mask, and each count is an AND
and a population count: about 2 ms for 7,000 matches (reading their ids adds 2 to 4).

One truth across processes: the copy is a `ProcessCopy`, whose shared token each of the
backend's writes (an index, a delete, a rebuild) retires (`index_changed`): at once, so the
writing process counts its own change, and again at commit, so that a process that rebuilt
its copy from the rows before the commit rebuilds it again. A match the copy does not know
(a document indexed after the copy was built, by a write that did not reach this process's
token yet) makes it rebuild, so a count never leaves out a document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from search.backends.base import DOCUMENT_TYPES, OUTCOMES, FacetValue
from search.models import SearchDocument
from search.process_copy import ProcessCopy

PLACES = ("country", "region", "income_group")
TOKEN_KEY = "search:facet-columns"
# Bounds how long a copy built from rows a failed index write then rolled back can last
# (nothing retires it otherwise); rebuilding costs about 90 ms at 10,000 documents.
TOKEN_SECONDS = 3600


@dataclass(frozen=True)
class FacetColumns:
    """The index's facet values, each as the mask of the documents that have it."""

    bits: dict[int, int]  # a document's id → its bit
    masks: dict[str, dict[str, int]]  # facet → value → mask ("outcome": outcome → mask)
    country_names: dict[str, str]

    def mask_of(self, ids: Iterable[int]) -> tuple[int, int]:
        """The mask of these documents, and how many of them this copy does not know."""
        bits = self.bits
        array = bytearray((len(bits) + 7) // 8)
        unknown = 0
        for pk in ids:
            bit = bits.get(pk)
            if bit is None:
                unknown += 1
            else:
                array[bit >> 3] |= 1 << (bit & 7)
        return int.from_bytes(array, "little"), unknown

    def count(self, facet: str, matched: int) -> dict[str, int]:
        """Each value of `facet` that some matched document has, with their number."""
        return {
            value: n
            for value, mask in self.masks[facet].items()
            if (n := (mask & matched).bit_count())
        }

    def facets(self, matched: int) -> dict[str, list[FacetValue]]:
        """Counts per value of the documents in `matched`, labelled and ordered as the
        Elasticsearch backend gives them."""

        def by_count(counts):
            return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

        types = self.count("type", matched)
        outcomes = self.count("outcome", matched)
        return {
            "type": [
                FacetValue(name, types[name], label)
                for name, label in DOCUMENT_TYPES.items()
                if name in types
            ],
            "theme": [FacetValue(v, c) for v, c in by_count(self.count("theme", matched))],
            "country": [
                FacetValue(value, count, self.country_names.get(value) or value)
                for value, count in by_count(self.count("country", matched))
            ],
            "region": [FacetValue(v, c, v) for v, c in by_count(self.count("region", matched))],
            "income_group": [
                FacetValue(v, c, v) for v, c in by_count(self.count("income_group", matched))
            ],
            "outcome": [
                FacetValue(name, outcomes[name], label)
                for name, label in OUTCOMES.items()
                if name in outcomes
            ],
        }


def read_facet_columns() -> FacetColumns:
    """The copy, from one query (one snapshot of the index on either database)."""
    columns = ("id", "type", *PLACES, "country_name", *OUTCOMES)
    rows = (
        SearchDocument.objects.order_by()
        .values_list(*columns, "themes__theme")
        .iterator(chunk_size=2000)
    )
    bits: dict[int, int] = {}
    members: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for pk, type_, country, region, income_group, name, *flags, theme in rows:
        bit = bits.get(pk)
        if bit is None:  # the document's first row (one per theme)
            bit = bits[pk] = len(bits)
            if type_ in DOCUMENT_TYPES:
                members["type"][type_].append(bit)
            for facet, value in zip(PLACES, (country, region, income_group), strict=True):
                if value:  # no empty country or region
                    members[facet][value].append(bit)
            for outcome, flag in zip(OUTCOMES, flags, strict=True):
                if flag:
                    members["outcome"][outcome].append(bit)
            if country and name > names.get(country, ""):
                names[country] = name
        if theme:
            members["theme"][theme].append(bit)
    size = (len(bits) + 7) // 8
    masks = {
        facet: {value: _mask(found, size) for value, found in members.get(facet, {}).items()}
        for facet in ("type", "theme", *PLACES, "outcome")
    }
    return FacetColumns(bits, masks, names)


def _mask(bits: list[int], size: int) -> int:
    array = bytearray(size)
    for bit in bits:
        array[bit >> 3] |= 1 << (bit & 7)
    return int.from_bytes(array, "little")


_columns = ProcessCopy(TOKEN_KEY, read_facet_columns, TOKEN_SECONDS)


def facets_of(ids: Iterable[int]) -> dict[str, list[FacetValue]]:
    """The facets of the documents with these ids."""
    ids = list(ids)
    columns = _columns.get()
    matched, unknown = columns.mask_of(ids)
    if unknown:
        # Indexed since this copy was built. Once rebuilt, an id still unknown is no
        # document any more (deleted since its match was read): it counts nowhere.
        _columns.invalidate()
        matched, _ = (columns := _columns.get()).mask_of(ids)
    return columns.facets(matched)


def index_changed() -> None:
    """Every process's copy is out of date: called by the embedded backend's writes."""
    _columns.invalidate()
    transaction.on_commit(_columns.invalidate)

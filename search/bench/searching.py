"""Search and matching timed through the site's own service functions, on either backend.

Searches are timed as the search page asks them (facets and snippets) and again without
facets; matches as the peers page and API ask them. The measuring process is pinned to
one CPU (DESIGN §6: "tens of milliseconds at 10,000 documents on one core").
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import override_settings

from search import service
from search.backends import reset_backends
from search.backends.embedded import EmbeddedBackend
from search.bench.data import BenchData
from search.bench.elastic import temporary_elasticsearch
from search.bench.measure import Timings, pinned_to_one_cpu, process_peak_mb
from search.peers import find_peers

SEARCH_P95_TARGET_MS, MATCH_P95_TARGET_MS = 20, 50


def run_workloads(
    data: BenchData, label: str, say: Callable[[str], None], budget: float | None = None
) -> dict:
    """Time each search (with facets, then without) and each peer match.

    With `budget` (seconds), each of the three stops when it has used a third of it
    (the osmem stand-in can be slow; `make bench` stays bounded).
    """
    searches, matches = data.searches, data.matches
    say(f"{label}: {len(searches)} searches (twice), {len(matches)} matches…")
    for text, filters in searches[:3]:  # warm-up: caches, the thesaurus
        service.search(text, **filters)
    for country, goal in matches[:2]:
        find_peers(country, goal)
    share = None if budget is None else budget / 3

    def deadline():
        return None if share is None else time.monotonic() + share

    def in_time(until):
        return until is None or time.monotonic() < until

    full, bare, match = Timings(), Timings(), Timings()
    hits, peers, slowest = 0, 0, []
    until = deadline()
    for text, filters in searches:
        if not in_time(until):
            break
        outcome = full.time(lambda t=text, f=filters: service.search(t, **f))
        hits += outcome.results.total
        full.errors += bool(outcome.results.notice)  # the fallback answered, not this backend
        slowest.append((full.samples[-1], text, filters, outcome.results.total))
    until = deadline()
    for text, filters in searches:
        if not in_time(until):
            break
        outcome = bare.time(lambda t=text, f=filters: service.search(t, facets=False, **f))
        bare.errors += bool(outcome.results.notice)
    until = deadline()
    for country, goal in matches:
        if not in_time(until):
            break
        result = match.time(lambda c=country, g=goal: find_peers(c, g))
        peers += len(result.peers)
        match.errors += bool(result.notice)
    slowest.sort(key=lambda item: -item[0])
    return {
        "search_p50_ms": round(full.ms(50), 2),
        "search_p95_ms": round(full.ms(95), 2),
        "search_max_ms": round(full.ms(100), 2),
        "searches": len(full.samples),
        "mean_hits": round(hits / max(1, len(full.samples)), 1),
        "search_no_facets_p50_ms": round(bare.ms(50), 2),
        "search_no_facets_p95_ms": round(bare.ms(95), 2),
        "searches_no_facets": len(bare.samples),
        "match_p50_ms": round(match.ms(50), 2),
        "match_p95_ms": round(match.ms(95), 2),
        "match_max_ms": round(match.ms(100), 2),
        "matches": len(match.samples),
        "mean_peers": round(peers / max(1, len(match.samples)), 1),
        "fallback_answers": full.errors + bare.errors + match.errors,
        "slowest_searches": [
            {"ms": round(seconds * 1000, 1), "q": text, "filters": filters, "total": total}
            for seconds, text, filters, total in slowest[:5]
        ],
    }


def rebuild(backend, data: BenchData) -> dict:
    start = time.perf_counter()
    written = backend.rebuild(iter(data.documents))
    seconds = time.perf_counter() - start
    return {
        "rebuild_seconds": round(seconds, 2),
        "documents_per_second": round(written / seconds),
        "indexed": written,
    }


def measure_embedded(data: BenchData, cpu: int | None, say: Callable[[str], None]) -> dict:
    with override_settings(ELASTICSEARCH_URL=""):
        reset_backends()
        try:
            with pinned_to_one_cpu(cpu) as pinned:
                say(f"Embedded ({connection.vendor}): rebuilding the index…")
                figures = rebuild(EmbeddedBackend(), data)
                figures.update(run_workloads(data, "Embedded", say))
        finally:
            reset_backends()
    figures["cpu"] = pinned
    figures["database"] = f"{connection.vendor} {database_version()}"
    return figures


def measure_elasticsearch(
    data: BenchData, cpu: int | None, budget: float, say: Callable[[str], None]
) -> dict:
    """Figures on osmem; raises RuntimeError or OSError when it cannot be started."""
    say("Elasticsearch via osmem: starting the server…")
    with temporary_elasticsearch() as (backend, server):
        # The server was started before pinning: it runs on the other CPUs, as a
        # search server would on its own machine.
        with pinned_to_one_cpu(cpu):
            say("Elasticsearch via osmem: rebuilding the index…")
            figures = rebuild(backend, data)
            figures.update(run_workloads(data, "Elasticsearch (osmem)", say, budget=budget))
        figures["server_peak_mb"] = process_peak_mb(server.pid)
        figures["server"] = f"osmem-server {server.version}".strip()
    return figures


def database_version() -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return ".".join(str(part) for part in getattr(connection, "pg_version", ()) or ())

"""`make bench`: search, matching and page throughput figures (DESIGN §6; search/benchmark.py)."""

import json
import os
import platform
import random
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from search import benchmark, service, thesaurus
from search.backends import reset_backends
from search.backends.embedded import EmbeddedBackend
from search.peers import PROFILES_CACHE_KEY, find_peers

SEARCH_P95_TARGET_MS, MATCH_P95_TARGET_MS = 20, 50
# DESIGN §6: bakerydemo serves a detail page at ~50 req/s (19 queries) and a bare view at
# ~2,700 req/s on this machine; we aim for twice the former uncached, half the latter cached.
PAGE_TARGET_UNCACHED, PAGE_TARGET_CACHED, PAGE_QUERY_LIMIT = 100, 1350, 10


class Command(BaseCommand):
    help = (
        "Benchmark search, peer matching and page throughput on synthetic data. Writes to the "
        "configured database, so it only runs on a throw-away one: "
        "DATABASE_URL=sqlite:////tmp/<dir>/bench.sqlite3 (see `make bench`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=10_000)
        parser.add_argument("--countries", type=int, default=200)
        parser.add_argument("--searches", type=int, default=200)
        parser.add_argument("--matches", type=int, default=100)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--cpu",
            type=int,
            default=0,
            help="CPU to pin this process to while it measures search and matching "
            "(-1: do not pin)",
        )
        parser.add_argument("--skip-elasticsearch", action="store_true")
        parser.add_argument(
            "--elasticsearch-seconds",
            type=int,
            default=60,
            help="time budget for the Elasticsearch (osmem) searches and matches together",
        )
        parser.add_argument("--skip-pages", action="store_true")
        parser.add_argument(
            "--page-seconds", type=int, default=8, help="length of each page load test"
        )
        parser.add_argument("--connections", type=int, default=8, help="concurrent requests")
        parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
        # Internal: run by the benchmark itself in the pages database.
        parser.add_argument("--count-queries", action="store_true", help=_suppress())

    def handle(self, *args, **options):
        problem = benchmark.throwaway_database_problem(connection.settings_dict)
        if problem:
            raise CommandError(f"Refusing to benchmark: {problem}.")
        if options["count_queries"]:
            self.stdout.write(json.dumps(benchmark.count_page_queries()))
            return
        if "exchange_search_searchdocument" not in connection.introspection.table_names():
            raise CommandError("The database has no tables: run `manage.py migrate` first.")
        if not 1 <= options["countries"] <= 300 or options["documents"] < 1:
            raise CommandError("--countries must be 1..300 and --documents at least 1.")

        self.options = options
        self.report = {
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "notes": [],
            "load_average": _load_average(),
            "cpus": os.cpu_count(),
        }
        started = time.monotonic()
        workdir = Path(tempfile.mkdtemp(prefix="reform-bench-"))
        try:
            pages_db = None if options["skip_pages"] else self.copy_empty_database(workdir)
            docs, searches, matches = self.prepare(options)
            cpu = None if options["cpu"] < 0 else options["cpu"]
            self.report["embedded"] = self.measure_embedded(docs, searches, matches, cpu)
            self.report["memory_mb"] = {"bench_process": round(benchmark.peak_rss_mb(), 1)}
            if not options["skip_elasticsearch"]:
                self.report["elasticsearch"] = self.measure_elasticsearch(
                    docs, searches, matches, cpu
                )
            if not options["skip_pages"]:
                self.report["pages"] = self.measure_pages(workdir, pages_db)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        self.report["memory_mb"]["bench_process"] = round(benchmark.peak_rss_mb(), 1)
        self.report["seconds"] = round(time.monotonic() - started, 1)
        self.report["load_average_after"] = _load_average()
        self.print_report()
        if options["json"]:
            self.stdout.write(benchmark.as_json(self.report))

    # Setup -------------------------------------------------------------------------

    def say(self, message):
        if self.options["verbosity"]:
            self.stderr.write(message)

    def copy_empty_database(self, workdir):
        """A copy of the migrated, still empty bench database saves the pages step a migrate."""
        from casestudies.models import Country

        name = str(connection.settings_dict["NAME"])
        if not Path(name).is_file() or Country.objects.exists():
            return None
        target = workdir / "pages.sqlite3"
        connection.close()
        with closing(sqlite3.connect(name)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target

    def prepare(self, options):
        from casestudies.models import Country

        rng = random.Random(options["seed"])
        self.say("Importing the real themes (their synonyms feed the thesaurus)…")
        call_command("import_themes", verbosity=0)
        cache.delete(thesaurus.CACHE_KEY)
        themes = benchmark.load_theme_words()
        # The goal reader learns from the real IRM-tagged commitments, as in production, so
        # matching is timed with the same model (the commitments are not indexed here).
        self.say("Importing the real countries and IRM commitments (the goal reader's data)…")
        call_command("import_countries", verbosity=0)
        call_command("import_commitments", verbosity=0)
        countries = benchmark.synthetic_countries(options["countries"], rng)
        Country.objects.filter(name__startswith="Synthetic country ").delete()
        Country.objects.bulk_create(Country(**fields) for fields in countries)
        cache.delete(PROFILES_CACHE_KEY)
        self.say(f"Generating {options['documents']:,} synthetic documents…")
        docs = list(benchmark.synthetic_documents(options["documents"], countries, themes, rng))
        searches = benchmark.search_workload(themes, countries, options["searches"], rng)
        matches = benchmark.match_workload(themes, countries, options["matches"], rng)
        self.report["data"] = {
            "documents": len(docs),
            "case_studies": sum(doc.type == "casestudy" for doc in docs),
            "commitments": sum(doc.type == "commitment" for doc in docs),
            "reform_records": sum(doc.type == "reform" for doc in docs),
            "words": sum(len(f"{d.title} {d.summary} {d.body}".split()) for d in docs),
            "countries": len(countries),
            "themes": len(themes),
        }
        return docs, searches, matches

    # Search and matching ------------------------------------------------------------------

    def run_workloads(self, searches, matches, label, budget=None):
        """Time each search (as the search page asks: facets and snippets), the same searches
        without facets, and each peer match, through the site's own service functions.

        With `budget` (seconds), each of the three stops when it has used a third of it
        (the osmem stand-in can be slow; `make bench` stays bounded).
        """
        self.say(f"{label}: {len(searches)} searches (twice), {len(matches)} matches…")
        for text, filters in searches[:3]:  # warm-up: caches, the thesaurus
            service.search(text, **filters)
        for country, goal in matches[:2]:
            find_peers(country, goal)
        share = None if budget is None else budget / 3
        full, bare, match = benchmark.Timings(), benchmark.Timings(), benchmark.Timings()
        hits, peers, slowest = 0, 0, []

        def until(deadline):
            return deadline is None or time.monotonic() < deadline

        deadline = None if share is None else time.monotonic() + share
        for text, filters in searches:
            if not until(deadline):
                break
            outcome = full.time(lambda t=text, f=filters: service.search(t, **f))
            hits += outcome.results.total
            full.errors += bool(outcome.results.notice)  # the fallback answered, not this backend
            slowest.append((full.samples[-1], text, filters, outcome.results.total))
        deadline = None if share is None else time.monotonic() + share
        for text, filters in searches:
            if not until(deadline):
                break
            outcome = bare.time(lambda t=text, f=filters: service.search(t, facets=False, **f))
            bare.errors += bool(outcome.results.notice)
        deadline = None if share is None else time.monotonic() + share
        for country, goal in matches:
            if not until(deadline):
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

    def rebuild(self, backend, docs):
        start = time.perf_counter()
        written = backend.rebuild(iter(docs))
        seconds = time.perf_counter() - start
        return {
            "rebuild_seconds": round(seconds, 2),
            "documents_per_second": round(written / seconds),
            "indexed": written,
        }

    def measure_embedded(self, docs, searches, matches, cpu):
        with override_settings(ELASTICSEARCH_URL=""):
            reset_backends()
            try:
                with benchmark.pinned_to_one_cpu(cpu) as pinned:
                    self.say(f"Embedded ({connection.vendor}): rebuilding the index…")
                    figures = self.rebuild(EmbeddedBackend(), docs)
                    figures.update(self.run_workloads(searches, matches, "Embedded"))
            finally:
                reset_backends()
        figures["cpu"] = pinned
        figures["database"] = f"{connection.vendor} {_database_version()}"
        return figures

    def measure_elasticsearch(self, docs, searches, matches, cpu):
        self.say("Elasticsearch via osmem: starting the server…")
        try:
            with benchmark.temporary_elasticsearch() as (backend, server):
                # The server was started before pinning: it runs on the other CPUs, as a
                # search server would on its own machine.
                with benchmark.pinned_to_one_cpu(cpu):
                    self.say("Elasticsearch via osmem: rebuilding the index…")
                    figures = self.rebuild(backend, docs)
                    figures.update(
                        self.run_workloads(
                            searches,
                            matches,
                            "Elasticsearch (osmem)",
                            budget=self.options["elasticsearch_seconds"],
                        )
                    )
                figures["server_peak_mb"] = benchmark.process_peak_mb(server.pid)
                figures["server"] = f"osmem-server {server.version}".strip()
        except (RuntimeError, OSError) as error:
            self.report["notes"].append(f"Elasticsearch via osmem skipped: {error}")
            return None
        if figures["server_peak_mb"] is not None:
            self.report["memory_mb"]["osmem_server"] = round(figures["server_peak_mb"], 1)
        return figures

    # Pages ----------------------------------------------------------------------------------

    def measure_pages(self, workdir, pages_db):
        target = workdir / "pages.sqlite3"
        env = benchmark.pages_environment(f"sqlite:///{target}", workdir / "var")
        self.say("Pages: loading the demo site into a throw-away database…")
        try:
            if pages_db is None:
                benchmark.manage("migrate", "--noinput", "-v0", env=env)
            benchmark.manage("load_demo", "-v0", env=env)
            counts = json.loads(benchmark.manage("bench", "--count-queries", env=env))
        except Exception as error:  # a subprocess failing must not lose the figures so far
            detail = getattr(error, "stderr", "") or error
            self.report["notes"].append(f"Pages skipped: {str(detail).strip()[-300:]}")
            return None
        seconds, connections = self.options["page_seconds"], self.options["connections"]
        port = benchmark.free_port()
        rows = []
        self.say(f"Pages: gunicorn with 2 workers, {seconds} s of load per page…")
        with benchmark.gunicorn(env, port, workdir / "gunicorn.log") as server:
            runs = []
            for label, info in counts.items():
                if label == "bare Django view":
                    runs.append((label, info, False, "bare"))
                else:  # as visitors get it (page cache on), then a fresh URL each time
                    runs.append((label, info, False, "cached"))
                    runs.append((f"{label}, cache bypassed", info, True, "uncached"))
            for label, info, unique, kind in runs:
                url = f"http://127.0.0.1:{port}{info['url']}"
                benchmark.load_test(url, 1, connections, unique, workdir)  # warm-up
                result = benchmark.load_test(url, seconds, connections, unique, workdir)
                rows.append(
                    {
                        "page": label,
                        "kind": kind,
                        "url": info["url"],
                        "status": info["status"],
                        # Rendering's queries, counted with the page cache bypassed.
                        "queries": info["queries"] if kind != "cached" else None,
                        "requests_per_second": round(result.requests_per_second, 1),
                        "requests": result.requests,
                        "errors": result.errors,
                    }
                )
            client = result.client
            alive = server.poll() is None
        if not alive:
            self.report["notes"].append("gunicorn exited during the load test")
        return {"client": client, "workers": 2, "seconds": seconds, "rows": rows}

    # Report ---------------------------------------------------------------------------------

    def print_report(self):
        report, write = self.report, self.stdout.write
        data = report["data"]
        embedded, elastic = report["embedded"], report.get("elasticsearch")
        write("")
        write(
            f"Reform Exchange benchmark — {data['documents']:,} synthetic documents "
            f"({data['commitments']:,} commitments, {data['case_studies']:,} case studies, "
            f"{data.get('reform_records', 0):,} reform records, "
            f"{data['words']:,} words), {data['countries']} synthetic countries, "
            f"{data['themes']} real themes"
        )
        pinned = f"pinned to CPU {embedded['cpu']}" if embedded["cpu"] is not None else "unpinned"
        write(
            f"Python {platform.python_version()}, {embedded['database']}; the measuring process "
            f"{pinned}; {report['started']}"
        )
        write("")
        columns = ["embedded"] + (["elasticsearch (osmem)*"] if elastic else [])
        write(f"{'':34}" + "".join(f"{c:>24}" for c in columns))
        rows = [
            ("full rebuild", lambda f: f"{f['rebuild_seconds']:.2f} s"),
            ("documents per second", lambda f: f"{f['documents_per_second']:,}"),
            ("search p50 / p95", lambda f: _pair(f, "search_p50_ms", "search_p95_ms", ".1f")),
            (
                "  without facets",
                lambda f: _pair(f, "search_no_facets_p50_ms", "search_no_facets_p95_ms", ".1f"),
            ),
            ("match p50 / p95", lambda f: _pair(f, "match_p50_ms", "match_p95_ms", ".1f")),
            (
                "searches / matches timed",
                lambda f: f"{f['searches']}+{f['searches_no_facets']} / {f['matches']}",
            ),
            ("search / match max", lambda f: _pair(f, "search_max_ms", "match_max_ms", ".0f")),
            ("mean hits / peers per answer", lambda f: f"{f['mean_hits']:,} / {f['mean_peers']}"),
        ]
        figures = [embedded] + ([elastic] if elastic else [])
        for label, cell in rows:
            write(f"{label:34}" + "".join(f"{cell(f):>24}" for f in figures))
        memory = report["memory_mb"]
        line = f"peak memory: bench process {memory['bench_process']:.0f} MB (ru_maxrss)"
        if "osmem_server" in memory:
            line += f", osmem server {memory['osmem_server']:.0f} MB (VmHWM)"
        write(line)
        write(
            "targets, embedded on one core: "
            + _verdict("search p95", embedded["search_p95_ms"], SEARCH_P95_TARGET_MS)
            + "; "
            + _verdict("match p95", embedded["match_p95_ms"], MATCH_P95_TARGET_MS)
        )
        for slow in embedded["slowest_searches"][:3]:
            filters = ", ".join(f"{k}={v}" for k, v in slow["filters"].items() if v) or "no filter"
            write(
                f"  slow embedded search: {slow['ms']:.0f} ms {slow['q']!r} "
                f"({filters}; {slow['total']:,} hits)"
            )
        if elastic:
            write(
                "* osmem is an in-memory stand-in for Elasticsearch, on the other CPU(s); "
                "its figures are indicative only, not a forecast of a real cluster."
            )
            if elastic["fallback_answers"]:
                write(f"  ! {elastic['fallback_answers']} answers came from the fallback")
        pages = report.get("pages")
        if pages:
            write("")
            write(
                f"Pages: gunicorn, {pages['workers']} sync workers, throw-away copy of the demo "
                f"site, DEBUG off; {pages['seconds']} s per page, client: {pages['client']}"
            )
            write(
                f"{'page (as served: anonymous page cache on)':42}{'req/s':>8}{'queries':>9}"
                f"{'errors':>8}  target (DESIGN §6)"
            )
            for row in pages["rows"]:
                target = _page_target(row)
                queries = "-" if row["queries"] is None else str(row["queries"])
                write(
                    f"{row['page']:42}{row['requests_per_second']:>8,.0f}{queries:>9}"
                    f"{row['errors']:>8}  {target}"
                )
            write(f"  case study URL: {pages['rows'][0]['url']}")
        for note in report["notes"]:
            write(f"note: {note}")
        load = report["load_average"], report["load_average_after"]
        write(
            f"load average (1 min) before / after: {load[0]} / {load[1]} on {report['cpus']} CPUs"
            + (
                " — the machine was busy: figures are pessimistic, rerun on a quiet machine"
                if max(value or 0 for value in load) > (report["cpus"] or 1) * 0.75
                else ""
            )
        )
        write(f"total time {report['seconds']:.0f} s")


def _pair(figures, first, second, spec):
    return f"{figures[first]:{spec}} / {figures[second]:{spec}} ms"


def _verdict(label, value, target):
    mark = "met" if value <= target else "MISSED"
    return f"{label} {value:.1f} ms ≤ {target} ms {mark}"


def _page_target(row):
    if row["kind"] == "bare":
        return "reference: bakerydemo's bare view ~2,700 req/s"
    rate = row["requests_per_second"]
    if row["kind"] == "cached":
        mark = "met" if rate >= PAGE_TARGET_CACHED else "MISSED"
        return f"≥ {PAGE_TARGET_CACHED:,} cached: {mark}"
    queries = "met" if (row["queries"] or 0) <= PAGE_QUERY_LIMIT else "MISSED"
    mark = "met" if rate >= PAGE_TARGET_UNCACHED else "MISSED"
    return f"≥ {PAGE_TARGET_UNCACHED} uncached: {mark}; ≤ {PAGE_QUERY_LIMIT} queries: {queries}"


def _load_average():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _database_version():
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return ".".join(str(part) for part in getattr(connection, "pg_version", ()) or ())


def _suppress():
    import argparse

    return argparse.SUPPRESS

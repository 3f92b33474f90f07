"""`make bench`: search, matching and page throughput figures (DESIGN §6; search/bench/)."""

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from casestudies.models import Country
from search.bench import data, pages, report, searching
from search.bench.measure import load_average, peak_rss_mb
from search.bench.safety import throwaway_database_problem


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
            "--page-seconds", type=float, default=4, help="length of each page load test"
        )
        parser.add_argument(
            "--page-rounds",
            type=int,
            default=3,
            help="times each page is measured, the pages in turn; the median ratio counts",
        )
        parser.add_argument("--connections", type=int, default=8, help="concurrent requests")
        parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
        # Internal: run by the benchmark itself in the pages database.
        parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        problem = throwaway_database_problem(connection.settings_dict)
        if problem:
            raise CommandError(f"Refusing to benchmark: {problem}.")
        if options["count_queries"]:
            self.stdout.write(report.as_json(pages.count_queries()))
            return
        if "exchange_search_searchdocument" not in connection.introspection.table_names():
            raise CommandError("The database has no tables: run `manage.py migrate` first.")
        if not 1 <= options["countries"] <= 300 or options["documents"] < 1:
            raise CommandError("--countries must be 1..300 and --documents at least 1.")
        self.options = options
        figures = {
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "notes": [],
            "load_average": load_average(),
            "cpus": os.cpu_count(),
        }
        started = time.monotonic()
        workdir = Path(tempfile.mkdtemp(prefix="reform-bench-"))
        try:
            pages_db = None if options["skip_pages"] else self.copy_empty_database(workdir)
            bench_data = data.prepare(
                documents=options["documents"],
                countries=options["countries"],
                searches=options["searches"],
                matches=options["matches"],
                seed=options["seed"],
                say=self.say,
            )
            figures["data"] = bench_data.summary()
            cpu = None if options["cpu"] < 0 else options["cpu"]
            figures["embedded"] = searching.measure_embedded(bench_data, cpu, self.say)
            figures["memory_mb"] = {"bench_process": round(peak_rss_mb(), 1)}
            if not options["skip_elasticsearch"]:
                figures["elasticsearch"] = self.elasticsearch(bench_data, cpu, figures)
            if not options["skip_pages"]:
                figures["pages"] = self.pages(workdir, pages_db, figures)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        figures["memory_mb"]["bench_process"] = round(peak_rss_mb(), 1)
        figures["seconds"] = round(time.monotonic() - started, 1)
        figures["load_average_after"] = load_average()
        report.print_report(figures, self.stdout.write)
        if options["json"]:
            self.stdout.write(report.as_json(figures))

    def say(self, message):
        if self.options["verbosity"]:
            self.stderr.write(message)

    def copy_empty_database(self, workdir):
        """A copy of the migrated, still empty bench database saves the pages step a migrate."""
        name = str(connection.settings_dict["NAME"])
        if not Path(name).is_file() or Country.objects.exists():
            return None
        target = workdir / "pages.sqlite3"
        connection.close()
        with closing(sqlite3.connect(name)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target

    def elasticsearch(self, bench_data, cpu, figures):
        try:
            elastic = searching.measure_elasticsearch(
                bench_data, cpu, self.options["elasticsearch_seconds"], self.say
            )
        except (RuntimeError, OSError) as error:
            figures["notes"].append(f"Elasticsearch via osmem skipped: {error}")
            return None
        if elastic["server_peak_mb"] is not None:
            figures["memory_mb"]["osmem_server"] = round(elastic["server_peak_mb"], 1)
        return elastic

    def pages(self, workdir, pages_db, figures):
        try:
            result = pages.measure_pages(
                workdir=workdir,
                pages_db=pages_db,
                seconds=self.options["page_seconds"],
                connections=self.options["connections"],
                rounds=max(1, self.options["page_rounds"]),
                say=self.say,
            )
        except Exception as error:  # a failing step must not lose the figures so far
            detail = getattr(error, "stderr", "") or error
            figures["notes"].append(f"Pages skipped: {str(detail).strip()[-500:]}")
            return None
        if not result["servers_alive"]:
            figures["notes"].append("a gunicorn server exited during the load test")
        return result

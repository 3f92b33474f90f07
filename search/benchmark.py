"""`make bench`: search, matching and page throughput on synthetic data (DESIGN §6).

The benchmark writes into the configured database, so it refuses anything but a
throw-away one (`throwaway_database_problem`): a SQLite file under the temporary
directory, or an in-memory / test database. It

1. imports the real themes (their slugs and synonyms feed the thesaurus), adds 200
   clearly synthetic countries ("X00"…, "Synthetic country 1"…) and generates 10,000
   clearly synthetic documents ("Synthetic commitment 123: …") from a word list and
   the theme phrases, with realistic lengths (a commitment is a title and a line of
   institutions, a case study some 700 words);
2. rebuilds the embedded index, then runs ~200 searches (varied text, filters, facets,
   pages) and ~100 peer matches through the same service functions the site uses;
3. does the same against Elasticsearch played by osmem, an in-memory stand-in started
   and stopped here: indicative figures only, osmem is not Elasticsearch;
4. serves a throw-away copy of the demo site with gunicorn (2 workers) and measures
   requests per second for a case study page, a country page and a bare Django view
   with a bounded load from this machine's loopback (wrk when installed, otherwise a
   small Python client), and counts the queries each page makes.

Search and matching are measured with this process pinned to one CPU (DESIGN §6:
"tens of milliseconds at 10,000 documents on one core").
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from search.backends.base import IndexDocument

# Nothing here imports models at import time: gunicorn imports this module for
# `application` before Django is set up.

PLAIN_JSON_NODE = "search.transport.PlainJsonHttpNode"
BARE_PATH = "/__bench__/bare/"
REGIONS = [
    "East Asia & Pacific",
    "Europe & Central Asia",
    "Latin America & Caribbean",
    "Middle East, North Africa, Afghanistan & Pakistan",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
]
INCOME_GROUPS = ["Low income", "Lower middle income", "Upper middle income", "High income"]
WGI_FIELDS = [
    "voice_accountability",
    "political_stability",
    "government_effectiveness",
    "regulatory_quality",
    "rule_of_law",
    "control_of_corruption",
]
# Words of action-plan prose, most common first, drawn with weights 1/(rank + ZIPF_OFFSET):
# the commonest word is then ~1.4% of all words, as "public" is 1.1% of the words of the
# real OGP commitments (and in a third of them); a steeper curve would put every common
# word in nearly every document and make broad queries unrealistically heavy.
WORDS = list(
    dict.fromkeys(
        """
public government data information citizens national ministry law open local access
transparency participation plan platform process council agency services system reform
office report budget policy development strengthen implementation civil society
monitoring online portal register publish parliament community committee commission
institutions accountability capacity framework standards training mechanism review
municipal regional provincial legislation regulation guidelines strategy consultation
oversight performance quality digital electronic network database website portal
officials employees authorities stakeholders organisations partners experts
women youth rural minorities disabilities communities farmers teachers students
health education water sanitation energy transport housing land environment climate
agriculture fisheries forestry mining oil gas infrastructure roads schools hospitals
police courts prisons justice judges prosecutors lawyers complaints feedback grievance
survey statistics indicators evaluation audit inspection assessment benchmark index
funds grants subsidies revenue expenditure taxes debt loans contracts tenders payments
procedures forms permits licences certificates registration inspection deadlines
awareness campaign workshops forum dialogue roundtable hearings sessions meetings
website app hotline sms radio newsletter bulletin gazette archive library repository
quarterly annual monthly regular timely complete accurate accessible machine readable
format standard interoperable secure reliable independent effective efficient
inclusive responsive sustainable innovative pilot scale national subnational
coordination cooperation partnership agreement memorandum protocol charter code
""".split()  # noqa: SIM905 (a word list reads best as prose)
    )
)


# Safety -----------------------------------------------------------------------------


def _temp_roots() -> list[Path]:
    roots = {Path(tempfile.gettempdir()).resolve(), Path("/tmp").resolve()}
    if Path("/dev/shm").is_dir():
        roots.add(Path("/dev/shm").resolve())
    return sorted(roots)


def throwaway_database_problem(database: dict) -> str | None:
    """Why this database may not be written by the benchmark, or None when it is throw-away.

    Accepted: SQLite in memory, or a SQLite file under the temporary directory
    (`DATABASE_URL=sqlite:////tmp/…`); a test database (settings' TEST name or
    a name starting with `test_`).
    """
    engine, name = database.get("ENGINE", ""), str(database.get("NAME") or "")
    if name.startswith("test_") or (database.get("TEST") or {}).get("NAME") == name:
        return None
    if not engine.endswith("sqlite3"):
        return (
            f"the database is {engine.rsplit('.', 1)[-1]} '{name}', not a throw-away SQLite "
            "file; set DATABASE_URL=sqlite:////tmp/<dir>/bench.sqlite3"
        )
    if name == ":memory:" or name.startswith("file:memorydb") or "mode=memory" in name:
        return None
    path = Path(name).resolve()
    if any(path.is_relative_to(root) for root in _temp_roots()):
        return None
    return (
        f"the database {path} is not under the temporary directory; the benchmark writes "
        "synthetic data, so point DATABASE_URL at a throw-away file, e.g. "
        "sqlite:////tmp/reform-bench/bench.sqlite3"
    )


# Measuring ---------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timings:
    samples: list[float] = field(default_factory=list)  # seconds
    errors: int = 0

    def time(self, call: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = call()
        self.samples.append(time.perf_counter() - start)
        return result

    def ms(self, q: float) -> float:
        return percentile(self.samples, q) * 1000 if self.samples else float("nan")


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    value = resource.getrusage(who).ru_maxrss
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def process_peak_mb(pid: int) -> float | None:
    """A running process's peak resident memory (Linux VmHWM), or None."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


@contextmanager
def pinned_to_one_cpu(cpu: int | None):
    """Run the block with this process on one CPU (Linux); yields the CPU used or None."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    if cpu not in before:
        cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


# Synthetic data ----------------------------------------------------------------------


def country_code(number: int) -> str:
    """ISO3-shaped codes no real country uses: X00…X99, then Y00…Y99, Z00…"""
    return f"{'XYZ'[number // 100]}{number % 100:02d}"


def synthetic_countries(count: int, rng: random.Random) -> list[dict]:
    if count > 300:
        raise ValueError("at most 300 synthetic countries (codes X00…Z99)")
    countries = []
    for number in range(count):
        base = rng.gauss(0, 0.9)
        countries.append(
            {
                "iso3": country_code(number),
                "name": f"Synthetic country {number + 1}",
                "region": rng.choice(REGIONS),
                # One in 50 without an income group, as the World Bank leaves some unclassified.
                "income_group": "" if number % 50 == 49 else rng.choice(INCOME_GROUPS),
                "population": int(10 ** rng.uniform(4.5, 9.0)),
                "gdp_per_capita": round(10 ** rng.uniform(2.5, 5.0), 1),
                **{
                    name: round(max(-2.5, min(2.5, base + rng.gauss(0, 0.3))), 3)
                    for name in WGI_FIELDS
                },
            }
        )
    return countries


@dataclass(frozen=True)
class ThemeWords:
    slug: str
    phrases: tuple[str, ...]  # name and synonyms, lower case


ZIPF_OFFSET = 30


def _zipf_weights(count: int) -> list[float]:
    return [1.0 / (rank + ZIPF_OFFSET) for rank in range(count)]


class TextMaker:
    def __init__(self, rng: random.Random, themes: list[ThemeWords]):
        self.rng = rng
        self.themes = themes
        self.weights = _zipf_weights(len(WORDS))

    def words(self, count: int) -> list[str]:
        return self.rng.choices(WORDS, weights=self.weights, k=count)

    def phrase(self, theme: ThemeWords) -> str:
        return self.rng.choice(theme.phrases)

    def prose(self, count: int, themes: list[ThemeWords], every: int = 60) -> str:
        """`count` words with one of the themes' phrases about every `every` words."""
        out: list[str] = []
        while len(out) < count:
            chunk = self.words(self.rng.randint(every // 2, every))
            out.extend(chunk)
            out.extend(self.phrase(self.rng.choice(themes)).split())
            out[-1] += "."
        return " ".join(out[:count])


COMPLETIONS = ["complete", "substantial", "limited", "not_started", None]
OPENED = ["outstanding", "major", "marginal", "did_not_change", None]
STATUSES = ["implemented", "in-progress", "planned", "stalled"]


def synthetic_documents(
    count: int, countries: list[dict], themes: list[ThemeWords], rng: random.Random
) -> Iterator[IndexDocument]:
    """`count` clearly synthetic documents: 75% commitments, 20% case studies, 5% reform
    records (as the trackers' importers write them: one area, a kind, a source)."""
    from search.backends.base import IndexDocument
    from search.documents import (
        COMPLETION_SCORE,
        OPENED_GOVERNMENT_SCORE,
        STATUS_SCORE,
        UNKNOWN_SCORE,
    )

    text = TextMaker(rng, themes)
    # Some countries publish much more than others.
    country_weights = [rng.paretovariate(1.2) for _ in countries]
    for number in range(1, count + 1):
        country = rng.choices(countries, weights=country_weights)[0]
        doc_themes = rng.sample(themes, k=rng.choice([1, 1, 2, 2, 3]))
        year = rng.randint(2011, 2025)
        common = {
            "country": country["iso3"],
            "country_name": country["name"],
            "region": country["region"],
            "income_group": country["income_group"],
            "themes": tuple(theme.slug for theme in doc_themes),
            "year": year,
        }
        if number % 20 == 1:
            yield IndexDocument(
                doc_id=f"synthetic-reform-{number}",
                type="reform",
                title=f"Synthetic reform record {number}: {text.phrase(doc_themes[0])}",
                url=f"/synthetic/countries/{country['iso3']}/#reform-{number}",
                summary=f"Synthetic tracker, {year}",
                outcome_strength=rng.choice([0.25, 0.4, 0.5]),
                details={"kind": "synthetic-record", "source": "Synthetic tracker"},
                **{**common, "themes": common["themes"][:1]},
            )
        elif number % 5:
            completion = rng.choices(COMPLETIONS, weights=[2, 3, 3, 1, 4])[0]
            opened = rng.choices(OPENED, weights=[1, 2, 4, 3, 6])[0]
            starred = completion in ("complete", "substantial") and rng.random() < 0.3
            strength = round(
                0.45 * COMPLETION_SCORE.get(completion, UNKNOWN_SCORE)
                + 0.30 * OPENED_GOVERNMENT_SCORE.get(opened, UNKNOWN_SCORE)
                + 0.10 * UNKNOWN_SCORE
                + 0.15 * starred,
                4,
            )
            title_words = " ".join(text.words(rng.randint(3, 9)))
            yield IndexDocument(
                doc_id=f"synthetic-commitment-{number}",
                type="commitment",
                title=f"Synthetic commitment {number}: {text.phrase(doc_themes[0])} {title_words}",
                url=f"/synthetic/commitments/{number}/",
                body=" ".join(text.words(rng.randint(8, 60))),
                summary=f"{country['name']}, action plan {year}",
                starred=starred,
                complete=completion == "complete",
                opened_government=opened in ("major", "outstanding"),
                outcome_strength=strength,
                details={
                    "identifier": f"SYN{number:05d}",
                    "action_plan": str(year),
                    "irm": {
                        "completion": completion,
                        "did_it_open_government": opened,
                        "starred": starred,
                    },
                },
                **common,
            )
        else:
            status = rng.choices(STATUSES, weights=[5, 3, 1, 1])[0]
            yield IndexDocument(
                doc_id=f"synthetic-casestudy-{number}",
                type="casestudy",
                title=f"Synthetic case study {number}: {text.phrase(doc_themes[0])} in "
                f"{country['name']}",
                url=f"/synthetic/case-studies/{number}/",
                body=text.prose(rng.randint(500, 900), doc_themes),
                summary=text.prose(rng.randint(25, 45), doc_themes, every=20),
                implemented=status == "implemented",
                outcome_strength=STATUS_SCORE[status],
                details={"status": status, "period": f"{year}-", "sample": True},
                **common,
            )


def search_workload(
    themes: list[ThemeWords], countries: list[dict], count: int, rng: random.Random
) -> list[tuple[str, dict]]:
    """(text, filters) pairs as the search page and API receive them."""
    text = TextMaker(rng, themes)
    workload = []
    for number in range(count):
        kind = number % 10
        theme = rng.choice(themes)
        filters: dict = {}
        if kind <= 3:  # a theme phrase, as typed
            query = text.phrase(theme)
        elif kind <= 5:  # a phrase within a sentence
            query = f"{text.phrase(theme)} for {' '.join(text.words(rng.randint(1, 3)))}"
        elif kind == 6:  # plain words
            query = " ".join(text.words(rng.randint(1, 3)))
        elif kind == 7:  # text and filters
            query = text.phrase(theme)
            filters = {
                "types": [rng.choice(["commitment", "casestudy"])],
                "regions": [rng.choice(REGIONS)],
                "outcomes": rng.choice([[], ["complete"], ["starred"]]),
            }
        elif kind == 8:  # text, theme and income filters, a later page
            query = " ".join(text.words(2))
            filters = {
                "themes": [theme.slug],
                "income_groups": [rng.choice(INCOME_GROUPS)],
                "page": rng.choice([1, 2, 3]),
            }
        else:  # browse a country or theme, no text
            query = ""
            filters = rng.choice(
                [{"countries": [rng.choice(countries)["iso3"]]}, {"themes": [theme.slug]}]
            )
        workload.append((query, filters))
    return workload


def match_workload(
    themes: list[ThemeWords], countries: list[dict], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """(reformer ISO3, goal) pairs."""
    text = TextMaker(rng, themes)
    workload = []
    for number in range(count):
        theme = rng.choice(themes)
        goal = text.phrase(theme)
        if number % 2:
            goal = f"{goal} with {' '.join(text.words(rng.randint(1, 3)))}"
        workload.append((rng.choice(countries)["iso3"], goal))
    return workload


def load_theme_words() -> list[ThemeWords]:
    from casestudies.models import Theme

    return [
        ThemeWords(
            theme.slug,
            tuple(dict.fromkeys(p.lower() for p in [theme.name, *theme.synonym_list] if p)),
        )
        for theme in Theme.objects.order_by("pk")
    ]


# Elasticsearch played by osmem ------------------------------------------------------------


@contextmanager
def temporary_elasticsearch(index_from_database: bool = False, prefix: str = "reform-bench"):
    """An osmem server as ELASTICSEARCH_URL for the block; yields (backend, server).

    `index_from_database` fills it from the database first (all_documents()).
    Settings are restored and the server stopped on the way out.
    """
    from django.test.utils import override_settings

    from search.backends import elasticsearch_backend, reset_backends

    try:
        from osmem_server import OsmemServer
    except ImportError as error:
        raise RuntimeError(
            "osmem-server is not installed (it is a dev dependency: pip install -e '.[dev]')"
        ) from error
    server = OsmemServer.start(japanese=False)
    try:
        with override_settings(
            ELASTICSEARCH_URL=server.url,
            ELASTICSEARCH_NODE_CLASS=PLAIN_JSON_NODE,
            ELASTICSEARCH_TIMEOUT=30.0,
            SEARCH_INDEX_PREFIX=prefix,
        ):
            reset_backends()
            try:
                backend = elasticsearch_backend()
                if index_from_database:
                    from search.documents import all_documents

                    backend.rebuild(all_documents())
                yield backend, server
            finally:
                reset_backends()
    finally:
        server.close()


# Pages --------------------------------------------------------------------------------------


def bare_view(request):
    """The reference point of DESIGN §6: a Django view doing nothing, behind all middleware."""
    from django.http import HttpResponse

    response = HttpResponse("ok", content_type="text/plain")
    response["Cache-Control"] = "private"  # not stored by the page cache: a view each time
    return response


def __getattr__(name):
    # `ROOT_URLCONF = "search.benchmark"` in the benchmark's server only: the site's URLs
    # plus the bare view. Built lazily so importing this module loads no URLconf.
    if name == "urlpatterns":
        from django.urls import path

        from exchange.urls import urlpatterns

        return [path(BARE_PATH.strip("/") + "/", bare_view), *urlpatterns]
    if name == "application":
        return _wsgi_application()
    raise AttributeError(name)


def _wsgi_application():
    """The site's WSGI application with the bare view added (for gunicorn)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings.dev")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    settings.ROOT_URLCONF = __name__
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    """Until `url` answers; a RuntimeError with the server's last words if it dies first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError as error:
            if process.poll() is not None:
                output = log.read_text(errors="replace")
                raise RuntimeError(f"the server exited: {output.strip()[-500:]}") from error
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer {url} in {timeout:.0f} s") from error
            time.sleep(0.2)


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    requests: int
    errors: int
    client: str


WRK_UNIQUE_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?nocache=" .. counter .. "-" .. math.random(1000000000))
end
"""


def run_wrk(url: str, seconds: int, connections: int, unique: bool, workdir: Path) -> LoadResult:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if unique:
        script = workdir / "unique.lua"
        script.write_text(WRK_UNIQUE_SCRIPT)
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*?(\d+) timeout", output)
    errors = int(bad.group(1)) if bad else 0
    errors += int(socket_errors.group(1)) if socket_errors else 0
    return LoadResult(rate, total, errors, f"wrk, 2 threads, {connections} connections")


def run_python_client(url: str, seconds: int, connections: int, unique: bool) -> LoadResult:
    """A small threaded client: bounded in time and in requests (at most 20,000)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    budget = [20_000]

    def worker(number):
        sent = 0
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            sent += 1
            path = parts.path + (f"?nocache={number}-{sent}" if unique else "")
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = 200 <= response.status < 400
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    total = counts["ok"] + counts["errors"]
    return LoadResult(
        counts["ok"] / elapsed, total, counts["errors"], f"Python threads, {connections} at once"
    )


def load_test(url, seconds, connections, unique, workdir) -> LoadResult:
    if shutil.which("wrk"):
        return run_wrk(url, seconds, connections, unique, workdir)
    return run_python_client(url, seconds, connections, unique)


def count_page_queries() -> dict:
    """In the pages database: the URLs to load and the queries rendering each makes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from casestudies.models import CaseStudyPage

    page = CaseStudyPage.objects.live().public().order_by("pk").first()
    urls = {
        "case study page": page.url if page else None,
        "country page": f"/countries/{page.country.iso3}/" if page else "/countries/",
        "bare Django view": BARE_PATH,
    }
    counts = {}
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"]):
        client = Client()
        for label, url in urls.items():
            if not url:
                continue
            # A query string of its own keeps each request out of the anonymous page cache,
            # so the count is that of rendering the page (after a warm-up, as in the load test).
            client.get(url, {"bench": "warm-up"})
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"bench": "count"})
            counts[label] = {"url": url, "status": response.status_code, "queries": len(queries)}
    return counts


def manage(*args, env: dict, timeout: float = 300) -> str:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout


@contextmanager
def gunicorn(env: dict, port: int, log: Path, workers: int = 2):
    """The benchmark's WSGI application under gunicorn, sync workers; stopped on exit."""
    binary = Path(sys.executable).with_name("gunicorn")
    command = [
        str(binary) if binary.exists() else "gunicorn",
        "search.benchmark:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=log_file, stderr=log_file
        )
        try:
            wait_for(f"http://127.0.0.1:{port}{BARE_PATH}", process, log)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def pages_environment(database_url: str, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ELASTICSEARCH_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="exchange.settings.dev",
        DEBUG="0",  # what visitors get: no debug toolbar, no query logging
        # The anonymous page cache as production has it (dev settings turn it off).
        PAGE_CACHE_SECONDS=os.environ.get("PAGE_CACHE_SECONDS") or "300",
        VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    return env


def as_json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)

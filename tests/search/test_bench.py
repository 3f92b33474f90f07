"""`make bench` (search/bench/): its safety, its data, its reference view and its verdicts."""

import http.server
import io
import random
import subprocess
import sys
import threading

import pytest
from django.urls import resolve

from search.bench import bare_settings, data, pages, report
from search.bench.load import load
from search.bench.measure import percentile
from search.bench.safety import throwaway_database_problem
from search.bench.urls import bare_view

# The shared cache is a database table: even the tests that need no rows need the database.
pytestmark = pytest.mark.django_db
SQLITE = "django.db.backends.sqlite3"
# Documents have up to three themes.
THEMES = [
    data.ThemeWords("open-contracting", ("open contracting", "public procurement")),
    data.ThemeWords("lobbying", ("lobbying", "lobby register")),
    data.ThemeWords("fiscal-openness", ("fiscal openness", "open budget")),
]


# --- Safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "database",
    [
        {"ENGINE": SQLITE, "NAME": "/tmp/reform-bench.x/bench.sqlite3"},
        {"ENGINE": SQLITE, "NAME": ":memory:"},
        {"ENGINE": "django.db.backends.postgresql", "NAME": "test_reform"},
    ],
)
def test_benchmark_accepts_only_throwaway_databases(database):
    assert throwaway_database_problem(database) is None


@pytest.mark.parametrize(
    ("database", "reason"),
    [
        ({"ENGINE": SQLITE, "NAME": "/work/main/var/db.sqlite3"}, "not under the temporary"),
        ({"ENGINE": "django.db.backends.postgresql", "NAME": "reform"}, "not a throw-away"),
    ],
)
def test_benchmark_refuses_a_database_that_may_hold_real_content(database, reason):
    assert reason in throwaway_database_problem(database)


# --- Measuring and synthetic data -------------------------------------------------------------


def test_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(1, 101)]

    assert percentile(samples, 50) == 50
    assert percentile(samples, 95) == 95
    assert percentile(samples, 100) == 100
    assert percentile([3.0], 95) == 3.0


def test_synthetic_documents_are_marked_synthetic_and_mixed_like_the_real_evidence():
    rng = random.Random(1)
    countries = data.synthetic_countries(20, rng)

    docs = list(data.synthetic_documents(1000, countries, THEMES, rng))

    kinds = {kind: sum(doc.type == kind for doc in docs) for kind in ("commitment", "casestudy")}
    assert kinds == {"commitment": 750, "casestudy": 200}
    assert sum(doc.type == "reform" for doc in docs) == 50
    assert all(doc.title.startswith("Synthetic ") for doc in docs)
    assert {doc.country for doc in docs} <= {country["iso3"] for country in countries}
    assert all(country["iso3"][0] in "XYZ" for country in countries)


def test_synthetic_data_is_the_same_for_the_same_seed():
    def titles(seed):
        rng = random.Random(seed)
        countries = data.synthetic_countries(5, rng)
        return [doc.title for doc in data.synthetic_documents(50, countries, THEMES, rng)]

    assert titles(7) == titles(7)
    assert titles(7) != titles(8)


# --- The reference: a bare Django view ----------------------------------------------------------


def test_reference_application_has_no_middleware_and_no_apps():
    assert bare_settings.MIDDLEWARE == []
    assert bare_settings.INSTALLED_APPS == []
    assert bare_settings.ROOT_URLCONF == "search.bench.urls"


def test_reference_view_answers_ok_on_its_own_settings():
    # A fresh interpreter with only the reference settings: what gunicorn runs.
    script = (
        "import os, io\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'search.bench.bare_settings'\n"
        "from django.core.wsgi import get_wsgi_application\n"
        "app = get_wsgi_application()\n"
        "seen = []\n"
        "body = b''.join(app({'REQUEST_METHOD': 'GET', 'PATH_INFO': '/', 'SERVER_NAME':"
        " '127.0.0.1', 'SERVER_PORT': '80', 'wsgi.input': io.BytesIO(),"
        " 'wsgi.url_scheme': 'http'}, lambda status, headers: seen.append(status)))\n"
        "print(seen[0], body.decode())\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout

    assert output.strip() == "200 OK ok"


def test_reference_urlconf_serves_the_bare_view_at_the_root():
    assert resolve("/", urlconf="search.bench.urls").func is bare_view


# --- Load client -----------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status = 500 if self.path == "/broken/" else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_load_client_counts_answers_and_stops_at_its_budget(http_server):
    result = load(f"{http_server}/", seconds=10, connections=2, max_requests=20)

    assert result.requests == 20
    assert result.errors == 0
    assert result.statuses == (200,)
    assert result.requests_per_second > 0


def test_load_client_counts_server_errors_as_failures(http_server):
    result = load(f"{http_server}/broken/", seconds=10, connections=2, max_requests=6)

    assert result.errors == 6
    assert result.statuses == (500,)


# --- Pages: what is measured, and the verdicts ---------------------------------------------------


def _row(page, uncached, cached, queries=5):
    return {
        "page": page,
        "status": 200,
        "queries": queries,
        "uncached": {"ratio": uncached},
        "cached": {"ratio": cached},
    }


def test_pages_meet_the_targets_as_ratios_to_the_bare_view():
    assert pages.verdicts(_row("home", 0.034, 0.80)) == {
        "uncached": True,
        "cached": True,
        "cached_design": True,
        "status": True,
    }
    assert pages.verdicts(_row("home", 0.033, 0.6)) == {
        "uncached": False,
        "cached": False,
        "cached_design": True,
        "status": True,
    }


def test_a_page_the_page_cache_never_keeps_has_no_cached_target():
    row = {**_row("search", 0.05, 0.0), "cached": None}

    assert pages.verdicts(row)["uncached"] is True
    assert pages.verdicts(row)["cached"] is None


def test_query_budget_applies_to_case_study_and_country_pages():
    assert pages.verdicts(_row("country page", 0.1, 0.9, queries=10))["queries"] is True
    assert pages.verdicts(_row("case study", 0.1, 0.9, queries=11))["queries"] is False
    assert "queries" not in pages.verdicts(_row("search", 0.1, 0.9, queries=30))


def test_a_page_measured_in_rounds_counts_its_round_of_median_ratio():
    def measured(uncached, cached, reference):
        return {
            "reference_requests_per_second": reference,
            "uncached": {"ratio": uncached, "requests_per_second": uncached * reference},
            "cached": {"ratio": cached, "requests_per_second": cached * reference},
        }

    # A burst of other load in the second round halves the page's rate, not the verdict.
    rounds = [measured(0.036, 0.7, 4000), measured(0.018, 0.82, 2000), measured(0.035, 0.9, 4100)]

    chosen = pages.median_run(rounds)

    assert chosen["uncached"]["ratio"] == 0.035
    assert chosen["uncached"]["ratios"] == [0.036, 0.018, 0.035]
    assert chosen["reference_requests_per_second"] == 4100
    assert chosen["cached"]["ratio"] == 0.82
    assert pages.verdicts({"page": "home", "status": 200, **chosen})["uncached"] is True


def test_a_page_never_cached_has_no_cached_figure_in_any_round():
    rounds = [
        {"reference_requests_per_second": 4000, "uncached": {"ratio": r}, "cached": None}
        for r in (0.03, 0.02)
    ]

    chosen = pages.median_run(rounds)

    assert chosen["cached"] is None
    assert chosen["uncached"]["ratio"] == 0.02  # the lower middle of an even number


def test_bench_measures_the_public_pages_of_the_demo_site(demo_site, client):
    found = pages.public_pages()

    assert {"home", "case study", "case study listing", "country list", "country page"} <= set(
        found
    )
    assert {"theme page", "search", "peers"} <= set(found)
    for path in found.values():
        assert client.get(path).status_code == 200, path


def test_report_prints_every_page_as_a_share_of_the_bare_view():
    run = {
        "requests_per_second": 2000.0,
        "client_cpu": 0.3,
        "errors": 0,
        "requests": 100,
        "statuses": [200],
        "p95_ms": 50.0,
        "server_cpu_ms": 10.0,
    }
    row = {
        "page": "home",
        "url": "/",
        "status": 200,
        "queries": 9,
        "queries_cold": 12,
        "kilobytes": 20.0,
        "uncached": {**run, "requests_per_second": 100.0, "ratio": 0.05, "ratios": [0.05, 0.04]},
        "cached": {**run, "requests_per_second": 1700.0, "ratio": 0.85, "server_cpu_ms": 0.61},
    }
    row["meets"] = pages.verdicts(row)
    figures = {
        "settings": "exchange.settings.production",
        "workers": 2,
        "seconds": 4,
        "rounds": 2,
        "connections": 8,
        "reference": {"requests_per_second": 2000.0, "runs": [run, run], "app": "bare"},
        "rows": [row],
        "workers_peak_mb": {"bare": 30.0},
    }
    out = io.StringIO()

    report._pages(figures, lambda line: out.write(line + "\n"))

    text = out.getvalue()
    assert "median 2,000 req/s" in text
    home = next(line for line in text.splitlines() if line.startswith("home "))
    assert "5.0%" in home and "85%" in home and "9/12" in home
    assert "0.61" in home  # what a cached page costs the server, beside the bare view's
    assert "uncached 1 of 1" in text
    assert "2 round(s) of every page" in text
    assert "uncached, each round: home 5.0% 4.0%" in text

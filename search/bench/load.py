"""gunicorn servers and a small load client, both on this machine's loopback.

The client opens a connection per request (gunicorn's sync workers close each one),
sends a prepared request and reads the answer to its end; it keeps no headers and
parses nothing but the status line, so that on a 2-CPU machine it takes as little
of the CPU the servers need as a Python client can. Its own CPU use is measured and
reported: when it is high, every rate in the run, the reference's included, is held
down by the client, and ratios err towards 1.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from search.bench.measure import children, cpu_seconds, percentile, process_peak_mb

GUNICORN_WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Until `url` answers; a RuntimeError with the server's last words if it dies first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError as error:
            if process.poll() is not None:
                output = log.read_text(errors="replace")
                raise RuntimeError(f"the server exited: {output.strip()[-500:]}") from error
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer {url} in {timeout:.0f} s") from error
            time.sleep(0.2)


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu_seconds(self) -> float:
        """CPU time the server (master and workers) has used so far."""
        return cpu_seconds([self.process.pid, *children(self.process.pid)])

    def workers_peak_mb(self) -> float | None:
        peaks = [process_peak_mb(pid) for pid in children(self.process.pid)]
        peaks = [peak for peak in peaks if peak is not None]
        return max(peaks) if peaks else None


@contextmanager
def gunicorn(
    name: str, app: str, env: dict, cwd: Path, log: Path, probe: str = "/"
) -> Iterator[Server]:
    """`gunicorn <app>` with 2 sync workers on a free loopback port; stopped on exit."""
    binary = Path(sys.executable).with_name("gunicorn")
    port = free_port()
    command = [
        str(binary) if binary.exists() else "gunicorn",
        app,
        f"--workers={GUNICORN_WORKERS}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log_file, stderr=log_file)
        try:
            wait_for(f"http://127.0.0.1:{port}{probe}", process, log)
            yield Server(name, port, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    client_cpu: float  # CPU seconds the client used per second of load
    statuses: tuple[int, ...]


def load(url: str, seconds: float, connections: int = 8, max_requests: int = 200_000) -> LoadResult:
    """`connections` requests at a time for `seconds` (or `max_requests` in all)."""
    host, _, rest = url.removeprefix("http://").partition("/")
    hostname, _, port = host.partition(":")
    request = (
        f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: reform-exchange-bench\r\n"
        "Accept: text/html\r\nConnection: close\r\n\r\n"
    ).encode()
    address = (hostname, int(port or 80))
    budget = itertools.count()
    deadline = time.monotonic() + seconds
    results: list[tuple[list[float], int, set[int]]] = []

    def worker():
        latencies, errors, statuses = [], 0, set()
        while time.monotonic() < deadline and next(budget) < max_requests:
            start = time.perf_counter()
            try:
                with socket.create_connection(address, timeout=10) as sock:
                    sock.sendall(request)
                    head = sock.recv(65536)
                    while sock.recv(65536):
                        pass
                status = int(head[9:12])
            except (OSError, ValueError):
                errors += 1
                continue
            statuses.add(status)
            if 200 <= status < 400:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1
        results.append((latencies, errors, statuses))

    cpu_before, started = time.process_time(), time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu = time.process_time() - cpu_before
    latencies = [value for done, _, _ in results for value in done]
    errors = sum(errors for _, errors, _ in results)
    statuses = set().union(*(seen for _, _, seen in results))
    return LoadResult(
        requests_per_second=len(latencies) / elapsed,
        requests=len(latencies) + errors,
        errors=errors,
        p50_ms=percentile(latencies, 50) * 1000 if latencies else float("nan"),
        p95_ms=percentile(latencies, 95) * 1000 if latencies else float("nan"),
        client_cpu=cpu / elapsed,
        statuses=tuple(sorted(statuses)),
    )


def environment(**values: str) -> dict:
    """This process's environment without the settings a server must not inherit."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ELASTICSEARCH_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(values)
    return env

"""Timings, percentiles, memory, the machine's load, and pinning to one CPU."""

from __future__ import annotations

import math
import os
import re
import resource
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


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


def children(pid: int) -> list[int]:
    """A process's children (Linux), e.g. gunicorn's workers; [] where unknown."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in text.split()]
    except (OSError, ValueError):
        return []


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (Linux; 0 where unknown)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            # The command name (field 2) may hold spaces: count fields after its ")".
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def load_average() -> float | None:
    """The 1-minute load average: the machine is shared, so the report shows how busy it was."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


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

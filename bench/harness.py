"""A tiny harness: time a piece of work and its baseline in the same run, report ratios.

Each bench module ``bench/bench_<area>.py`` defines ``run(quick: bool) -> list[Row]``.
Memory is measured by running work in a child process (``peak_rss_mib``), so one
benchmark's allocations never inflate another's figure.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    name: str
    ours_s: float
    baseline_s: float | None = None
    baseline: str = ""          # what the baseline is
    target_ratio: float | None = None
    target_s: float | None = None
    peak_mib: float | None = None
    target_mib: float | None = None
    note: str = ""
    # A size row (bench_packaging): what is measured is MiB on disk, shown instead of a time.
    size_mib: float | None = None
    target_size_mib: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_s is None or self.baseline_s <= 0:
            return None
        return self.ours_s / self.baseline_s

    @property
    def ok(self) -> bool:
        checks = []
        if self.target_ratio is not None and self.ratio is not None:
            checks.append(self.ratio <= self.target_ratio)
        if self.target_s is not None:
            checks.append(self.ours_s <= self.target_s)
        if self.target_mib is not None and self.peak_mib is not None:
            checks.append(self.peak_mib <= self.target_mib)
        if self.target_size_mib is not None and self.size_mib is not None:
            checks.append(self.size_mib <= self.target_size_mib)
        return all(checks)


def best_of(fn: Callable[[], object], repeat: int = 3, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of ``repeat`` runs (setup not timed)."""
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


_PEAK_MARK = "__bench_peak_kib__="
# VmHWM, not ru_maxrss: Linux carries the parent's high-water mark into a child started
# with vfork+exec (as subprocess does), so ru_maxrss would report the parent's peak.
_REPORT_PEAK = (
    "\nimport resource as _r, sys as _s\n"
    "try:\n"
    "    _k = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
    "except (OSError, StopIteration, ValueError):\n"
    "    _k = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss\n"
    f"print('{_PEAK_MARK}' + str(_k), file=_s.stderr)\n"
)


def run_child(code: str, *, env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float, str]:
    """Run Python ``code`` in a fresh interpreter; returns (seconds, its peak RSS in MiB, stdout)."""
    import os

    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code + _REPORT_PEAK], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {proc.stderr.strip()[-2000:]}")
    peak_kib = next(int(line[len(_PEAK_MARK):]) for line in proc.stderr.splitlines()
                    if line.startswith(_PEAK_MARK))
    return elapsed, peak_kib / 1024, proc.stdout


def run_cmd(argv: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, **kw)
    return time.perf_counter() - t0

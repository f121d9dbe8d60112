"""Run every benchmark and write bench/results.md.

    .venv/bin/python -m bench.run_all            # full sizes
    .venv/bin/python -m bench.run_all --quick    # small sizes, a smoke run
    .venv/bin/python -m bench.run_all --only bundle
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import traceback
from pathlib import Path

from .harness import Row

HERE = Path(__file__).resolve().parent


def modules(only: str | None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if only is None or only in n]


def fmt(v: float | None, unit: str = "") -> str:
    return "—" if v is None else f"{v:.3f}{unit}" if unit == " s" else f"{v:.2f}{unit}"


def render(rows: list[Row], quick: bool, failures: list[tuple[str, str]] | None = None) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run {dt.datetime.now().isoformat(timespec='seconds')} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
        + (" — **quick sizes**" if quick else ""),
        "",
        "| benchmark | ours | baseline | baseline is | ratio | target | peak MiB | ok |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        target = []
        if r.target_ratio is not None:
            target.append(f"≤ {r.target_ratio:g}×")
        if r.target_s is not None:
            target.append(f"≤ {r.target_s:g} s")
        if r.target_mib is not None:
            target.append(f"≤ {r.target_mib:g} MiB")
        if r.target_size_mib is not None:
            target.append(f"≤ {r.target_size_mib:g} MiB on disk")
        ours = f"{r.size_mib:.1f} MiB" if r.size_mib is not None else fmt(r.ours_s, " s")
        lines.append(
            f"| {r.name} | {ours} | {fmt(r.baseline_s, ' s')} | {r.baseline} | "
            f"{fmt(r.ratio, '×')} | {', '.join(target) or '—'} | {fmt(r.peak_mib)} | "
            f"{'yes' if r.ok else '**no**'} |"
        )
    notes = [f"- {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", *notes]
    if failures:
        lines += ["", "## Benchmarks that failed to run", ""]
        lines += [f"- `{name}`: {why}" for name, why in failures]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run_all")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    args = ap.parse_args(argv)
    rows: list[Row] = []
    failures: list[tuple[str, str]] = []
    for name in modules(args.only):
        print(f"== {name}", file=sys.stderr)
        # One module failing (a missing tool, a bug) must not lose the others' figures:
        # its failure is reported in results.md instead.
        try:
            mod = importlib.import_module(f"bench.{name}")
            module_rows = list(mod.run(args.quick))
        except Exception as exc:
            failures.append((name, f"{type(exc).__name__}: {exc}".splitlines()[0][:300]))
            traceback.print_exc()
            continue
        for row in module_rows:
            print(f"   {row.name}: ours {row.ours_s:.3f}s"
                  + (f", ratio {row.ratio:.2f}" if row.ratio is not None else "")
                  + (f", peak {row.peak_mib:.0f} MiB" if row.peak_mib is not None else ""),
                  file=sys.stderr)
            rows.append(row)
    text = render(rows, args.quick, failures)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(r.ok for r in rows) and not failures else 1


if __name__ == "__main__":
    sys.exit(main())

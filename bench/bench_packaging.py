"""The installable forms: the self-contained app against the venv install, and their sizes.

    .venv/bin/python -m bench.run_all --only packaging
    CCUS_ATTEST_APP_DIR=dist/ccus-attest .venv/bin/python -m bench.run_all --only packaging   (no rebuild)

* Start-up to the first window of the self-contained app (``ccus-attest-gui`` of a
  PyInstaller one-folder build) against the same launcher installed in the venv
  (``.venv/bin/ccus-attest-gui``). Both print the moment their first window is exposed
  (``CCUS_ATTEST_SMOKE_TEST=1``, desktop/launch.py: a frozen app cannot be probed from
  outside, so both use the app's own probe); the clock starts just before the process.
  Target: at most 1.5x. Offscreen, and xcb on Xvfb when it is installed. Medians of
  alternating runs after one unmeasured warm-up of each.
* The app folder's size on disk (goal: at most 250 MiB), the wheel's and the sdist's, and
  how long the clean builds take (``scripts/build-app.sh``, ``python -m build``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_startup import _Xvfb
from .harness import ROOT, Row

TIMEOUT = 120
OUT = ROOT / "bench" / "out" / "packaging"


def _mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def _build_app() -> tuple[Path, float | None]:
    given = os.environ.get("CCUS_ATTEST_APP_DIR")
    if given:
        return Path(given).resolve(), None
    t0 = time.monotonic()
    subprocess.run([str(ROOT / "scripts" / "build-app.sh"), str(OUT / "app")], check=True,
                   capture_output=True)
    return OUT / "app" / "ccus-attest", time.monotonic() - t0


def _build_dist() -> tuple[Path, float]:
    dist = OUT / "dist"
    for old in dist.glob("ccus_attest-*"):
        old.unlink()
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], check=True,
                   capture_output=True)
    return dist, time.monotonic() - t0


def _once(program: Path, env: dict[str, str]) -> float:
    t0 = time.monotonic()
    proc = subprocess.run([str(program)], env=env, cwd=env["HOME"], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("first-window ")), None)
    if line is None:
        raise RuntimeError(f"{program} showed no window (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return float(line.split()[1]) - t0


def _startup(frozen: Path, venv: Path, env: dict[str, str], repeat: int) -> tuple[list[float], list[float]]:
    _once(frozen, env)  # warm-up: the page cache, Qt's font cache
    _once(venv, env)
    ours, base = [], []
    for i in range(repeat):
        order = [(frozen, ours), (venv, base)] if i % 2 == 0 else [(venv, base), (frozen, ours)]
        for program, bucket in order:
            bucket.append(_once(program, env))
    return ours, base


def run(quick: bool) -> list[Row]:
    repeat = 3 if quick else 9
    OUT.mkdir(parents=True, exist_ok=True)
    app, build_s = _build_app()
    frozen = app / "ccus-attest-gui"
    venv = Path(sys.executable).parent / "ccus-attest-gui"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ccus-bench-packaging-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        # As a new user starts it: no settings, no recent workspaces; nothing else inherited
        # (the frozen app must not need this process's environment).
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "ja_JP.UTF-8",
               "CCUS_ATTEST_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
               "CCUS_ATTEST_SMOKE_TEST": "1"}
        platforms = [("offscreen", {**env, "QT_QPA_PLATFORM": "offscreen"})]
        with _Xvfb() as display:
            if display is not None:
                xcb = {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
                platforms.append((f"xcb on Xvfb {display}", xcb))
            for label, penv in platforms:
                ours, base = _startup(frozen, venv, penv, repeat)
                rows.append(Row(
                    f"self-contained app: start-up to first window ({label})",
                    statistics.median(ours), statistics.median(base),
                    "the venv's ccus-attest-gui, same probe", target_ratio=1.5,
                    note=(f"median of {repeat} (frozen min {min(ours):.3f} s / max {max(ours):.3f} s; venv "
                          f"min {min(base):.3f} s / max {max(base):.3f} s); the app's own first-Expose "
                          "probe"),
                ))
    rows.append(Row("self-contained app folder (PyInstaller one-folder)", build_s or 0.0,
                    size_mib=_mib(app), target_size_mib=250,
                    note=(f"{app}; " + (f"clean build (scripts/build-app.sh) took {build_s:.0f} s"
                                        if build_s is not None else "built before (CCUS_ATTEST_APP_DIR)"))))
    dist, dist_s = _build_dist()
    wheel = next(dist.glob("*.whl"))
    sdist = next(dist.glob("*.tar.gz"))
    rows.append(Row("wheel", dist_s, size_mib=_mib(wheel),
                    note=f"{wheel.name}; wheel + sdist built by python -m build in {dist_s:.0f} s "
                         "(PEP 517, isolated)"))
    rows.append(Row("sdist", dist_s, size_mib=_mib(sdist), note=f"{sdist.name}: the source with tests and "
                    "packaging/"))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        size = f" {r.size_mib:.1f} MiB" if r.size_mib is not None else ""
        ratio = f" = {r.ratio:.2f}x" if r.ratio is not None else ""
        print(f"{r.name}: {r.ours_s:.3f} s{ratio}{size} ({r.note})")

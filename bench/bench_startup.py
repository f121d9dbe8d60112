"""App start-up to the first shown window, against a bare PySide6 window started the same way.

    .venv/bin/python -m bench.run_all --only startup

Each run starts a fresh interpreter, as ``python main.py`` does, and stops the clock at the
first Expose event of a top-level window — the moment the window system is told the
window is visible (the welcome window for the app). The bare baseline is a script that
creates a QApplication and shows one empty QWidget. Both are started by the same
launcher, so interpreter start, imports and Qt's platform plugin count for both:

    python -c PROBE   (then runs main.py, or the bare script, as __main__)

PROBE replaces ``QApplication`` by a subclass that installs an application-wide event
filter; at the first Expose of a window it prints ``time.monotonic()`` (system-wide on
Linux, so comparable with the parent's clock taken just before starting the process)
and ends the process at once. Nothing in the app is changed for the measurement.

Platforms: Qt's ``offscreen`` plugin (what the tests use), and ``xcb`` on a virtual X
server (Xvfb, started once for the whole run) when Xvfb is installed. Repetitions
alternate app and bare runs; the figures are medians (after one unmeasured warm-up of
each, so both read their files from the page cache). The target: at most 2x the bare
window.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .harness import ROOT, Row

PROBE = r"""
import os, sys, time
from PySide6 import QtCore, QtGui, QtWidgets

class _FirstExpose(QtCore.QObject):
    def eventFilter(self, obj, event):
        if event.type() == QtCore.QEvent.Type.Expose and isinstance(obj, QtGui.QWindow):
            heavy = [m for m in ("sqlalchemy", "cryptography", "openpyxl", "reportlab", "pyrage", "minisign")
                     if m in sys.modules]
            sys.stdout.write(f"__exposed__ {time.monotonic():.6f} modules={len(sys.modules)} "
                             f"heavy={','.join(heavy) or '-'} title={obj.title()!r}\n")
            sys.stdout.flush()
            os._exit(0)
        return False

class _Probed(QtWidgets.QApplication):
    def __init__(self, *args):
        super().__init__(*args)
        self.__probe = _FirstExpose()
        self.installEventFilter(self.__probe)

QtWidgets.QApplication = _Probed
import runpy
target = sys.argv[1]
sys.argv = [target]
runpy.run_path(target, run_name="__main__")
"""

BARE = """\
import sys
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(sys.argv[:1])
window = QWidget()
window.setWindowTitle("bare PySide6 window")
window.resize(640, 480)
window.show()
sys.exit(app.exec())
"""

TIMEOUT = 60


def _once(script: Path, env: dict[str, str]) -> tuple[float, str]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("__exposed__ ")), None)
    if line is None:
        raise RuntimeError(f"{script.name} showed no window (exit {proc.returncode}): {proc.stderr[-1500:]}")
    _, stamp, *info = line.split(" ", 2)
    return float(stamp) - t0, info[0] if info else ""


def _measure(env: dict[str, str], bare: Path, repeat: int) -> tuple[list[float], list[float], str]:
    app = ROOT / "main.py"
    _once(app, env)  # warm-up: the page cache, Qt's font cache
    _once(bare, env)
    ours, base = [], []
    info = ""
    for i in range(repeat):
        order = [(app, ours), (bare, base)] if i % 2 == 0 else [(bare, base), (app, ours)]
        for script, bucket in order:
            seconds, what = _once(script, env)
            bucket.append(seconds)
            if script == app:
                info = what
    return ours, base, info


class _Xvfb:
    """A virtual X server for the whole run (starting one per measurement would be timed)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.display = ""

    def __enter__(self) -> str | None:
        if shutil.which("Xvfb") is None:
            return None
        r, w = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(w,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(w)
        with os.fdopen(r) as fh:
            number = fh.readline().strip()
        if not number:
            self.proc.kill()
            return None
        self.display = f":{number}"
        return self.display

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def run(quick: bool) -> list[Row]:
    repeat = 3 if quick else 9
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ccus-bench-startup-") as tmp:
        tmp = Path(tmp)
        bare = tmp / "bare_window.py"
        bare.write_text(BARE, encoding="utf-8")
        # A first start, as a new user sees it: no settings, no recent workspaces.
        env = {
            **os.environ,
            "CCUS_ATTEST_HOME": str(tmp / "home"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "HOME": str(tmp / "home"),
            "LANG": "ja_JP.UTF-8",
        }
        env.pop("DISPLAY", None)
        platforms = [("offscreen", {**env, "QT_QPA_PLATFORM": "offscreen"})]
        with _Xvfb() as display:
            if display is not None:
                platforms.append(
                    (f"xcb on Xvfb {display}", {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display})
                )
            for label, penv in platforms:
                ours, base, info = _measure(penv, bare, repeat)
                rows.append(
                    Row(
                        f"start-up to first window ({label})",
                        statistics.median(ours),
                        statistics.median(base),
                        "bare PySide6 QWidget, same launcher",
                        target_ratio=2.0,
                        note=(
                            f"median of {repeat} (app min {min(ours):.3f} s / max {max(ours):.3f} s; bare "
                            f"min {min(base):.3f} s / max {max(base):.3f} s); at the first Expose: {info}"
                        ),
                    )
                )
        if len(platforms) == 1:
            rows[-1].note += "; Xvfb is not installed, so only the offscreen platform was measured"
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r.name}: {r.ours_s:.3f} s vs {r.baseline_s:.3f} s = {r.ratio:.2f}x  ({r.note})")

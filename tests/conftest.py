"""Shared fixtures: real crypto (with light KDF parameters), real SQLite files, real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from questionnaire import Template, load_template_file
from storage import KdfParams, Workspace

# The Qt tests need no display, whether run by ./run-tests.sh (which sets this too) or by a
# bare `pytest`; an explicit QT_QPA_PLATFORM (e.g. xcb under xvfb-run) is kept.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSPHRASE = "correct horse battery"
# Real Argon2id, at the floor the app accepts: keeps hundreds of unlocks cheap.
FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
FAST_KDF_ARGS = ["--kdf-memory", "8", "--kdf-iterations", "1", "--kdf-lanes", "1"]


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_home(tmp_path_factory):
    """Module- and session-scoped fixtures run before the per-test isolation below: they get
    a data folder of the run's own, never the real user's (pins, seen submissions, settings)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CCUS_ATTEST_HOME", str(tmp_path_factory.mktemp("session-home")))
        yield


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CCUS_ATTEST_HOME", str(home))
    monkeypatch.delenv("CCUS_ATTEST_PASSPHRASE", raising=False)
    monkeypatch.delenv("CCUS_ATTEST_NEW_PASSPHRASE", raising=False)
    return home


@pytest.fixture(scope="session")
def mini_template() -> Template:
    return load_template_file(FIXTURES / "templates" / "mini.yaml")


@pytest.fixture
def mini_ws(tmp_path, mini_template):
    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設システム株式会社",
                          template=mini_template, kdf=FAST_KDF)
    yield ws
    ws.close()


@pytest.fixture
def default_ws(tmp_path):
    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設システム株式会社", kdf=FAST_KDF)
    yield ws
    ws.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, passphrase: str | None = PASSPHRASE, env: dict | None = None,
            stdin: str | None = None, cwd: Path | None = None) -> Result:
    """Run `python main.py ARGS` in a child process, as a user would."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    if passphrase is not None:
        full_env["CCUS_ATTEST_PASSPHRASE"] = passphrase
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
        env=full_env, input=stdin, cwd=cwd or ROOT, timeout=300, check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def tree_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    """Every file under a folder with its raw bytes (to search for plaintext leaks)."""
    return [(p, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


# --- desktop -------------------------------------------------------------------------

def qtbot_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


@pytest.fixture(autouse=True)
def _no_leftover_widgets():
    """Delete every top-level widget a test left behind.

    Windows that are closed but never deleted piled up across the run (12,000 widgets after
    two test files): every later QApplication.setStyleSheet repolished all of them, and the
    suite slowed quadratically until CI ran 88 of its 90 minutes.
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def controller(qtbot, tmp_path):
    """The real app controller on a temporary settings file, with test-light Argon2id."""
    from desktop.controller import AppController
    from desktop.ui import style

    from .desktop_helpers import close_all_errors, make_settings

    style.apply(qtbot_app())
    ctl = AppController(make_settings(tmp_path / "settings.ini"), kdf=FAST_KDF)
    ctl.start()
    yield ctl
    close_all_errors()
    if ctl.main is not None:
        ctl.main.close()
    if ctl.session is not None:
        ctl.session.close()
    if ctl.welcome is not None:
        ctl.welcome.close()
    from desktop import i18n

    i18n.install("ja")


def pytest_terminal_summary(terminalreporter):
    """The crash harness's kill points and outcomes (tests/test_crash_safety.py), and which
    file system the machine-fault tests filled (tests/test_faults_disk.py)."""
    faults_disk = sys.modules.get("tests.test_faults_disk")
    if faults_disk is not None and faults_disk.FAULTKIT_MODES:
        terminalreporter.write_sep("-", "machine faults")
        terminalreporter.write_line(
            "full-disk tests ran on: " + ", ".join(sorted(faults_disk.FAULTKIT_MODES)).replace(
                "tmpfs", "a 6 MiB tmpfs (ENOSPC)").replace("rlimit", "RLIMIT_FSIZE in the child (EFBIG)"))
    from .crashkit import RESULTS, format_summary

    results = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    if results:
        terminalreporter.write_sep("-", "crash safety")
        terminalreporter.write_line(format_summary(results, RESULTS.get("_seed", 0)))
        out = os.environ.get("CCUS_ATTEST_CRASH_REPORT")
        if out:
            import json

            Path(out).write_text(json.dumps({k: v.as_dict() for k, v in results.items()}, indent=2,
                                            ensure_ascii=False), encoding="utf-8")


# Fixtures of the bundle tests: signing and recipient keys, a complete workspace, a bundle;
# of the register tests: a throw-away PostgreSQL cluster, a register on each engine, bundles.
pytest_plugins = ["tests.bundle_support", "tests.register_support"]


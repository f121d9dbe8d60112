"""The core, storage, exports and the CLI work where PySide6 cannot be imported."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

BLOCK_QT = "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"


def run_without_qt(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCK_QT + code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_packages_import_without_pyside6():
    proc = run_without_qt(
        "import questionnaire, storage, exports, register, cli.main, pkgutil, importlib\n"
        "for pkg in (questionnaire, storage, exports, register):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "questionnaire.default_template()\n"
        "try:\n    import PySide6\nexcept ImportError:\n    print('qt blocked')\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert "qt blocked" in proc.stdout


def test_cli_runs_without_pyside6(tmp_path):
    proc = run_without_qt(
        "import os, sys\n"
        "os.environ['CCUS_ATTEST_PASSPHRASE'] = 'correct horse battery'\n"
        "from cli.main import main\n"
        f"ws = {str(tmp_path / 'ws')!r}\n"
        "assert main(['init', ws, '--kdf-memory', '8', '--kdf-iterations', '1', '--kdf-lanes', '1']) == 0\n"
        "assert main(['answer', ws, 'AGR-01', 'はい']) == 0\n"
        "assert main(['status', ws, '--json']) == 0\n"
    )
    assert proc.returncode == 0, proc.stderr


HEAVY = ("storage", "exports", "questionnaire", "sqlalchemy", "cryptography", "pyrage", "minisign",
         "openpyxl", "reportlab", "cli.workspace_cmds")


def test_starting_the_desktop_app_loads_no_command_modules():
    """`python main.py` imports cli.main first: that must not load storage, crypto or the
    bundle code, which the first window does not need (bench/bench_startup.py times it)."""
    code = (f"import sys, cli.main\nprint([m for m in {HEAVY!r} if m in sys.modules])\n"
            "assert len(cli.main.COMMAND_MODULES) == len(cli.main.COMMAND_MODULE_NAMES)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"

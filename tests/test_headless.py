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
        "import questionnaire, storage, exports, cli.main, pkgutil, importlib\n"
        "for pkg in (questionnaire, storage, exports):\n"
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

"""The CLI imports only what the command needs (issue 10): `--help` and `template` load no
storage, crypto or SQLAlchemy, and `template` is printed from a cache keyed by SHA-256."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

from cli import main as cli_main
from cli import template_cmds

from .conftest import ROOT, run_cli

HEAVY = ("storage", "sqlalchemy", "cryptography", "pyrage", "minisign", "exports", "openpyxl", "reportlab",
         "alembic")


def _modules_after(argv: list[str], tmp_path) -> tuple[int, list[str], str]:
    code = (
        "import contextlib, io, json, sys\n"
        "from cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        code = main({argv!r})\n"
        "    except SystemExit as exc:\n"
        "        code = exc.code\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps([code, heavy, out.getvalue()[:200]]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False, env={"PATH": "/usr/bin:/bin", "CCUS_ATTEST_HOME": str(tmp_path),
                                            "HOME": str(tmp_path), "LANG": "ja_JP.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    code, heavy, out = json.loads(proc.stdout.strip().splitlines()[-1])
    return code, heavy, out


def test_help_and_template_import_no_storage_or_crypto(tmp_path):
    for argv in (["--help"], ["template"], ["template", "--json"], ["--lang", "en", "template"],
                 ["template", "--help"]):
        code, heavy, _out = _modules_after(argv, tmp_path)
        assert code == 0, argv
        assert heavy == [], f"{argv}: {heavy}"
    # a cache hit does not even load the questionnaire core
    code, _heavy, out = _modules_after(["template"], tmp_path)
    assert "AGR-01" in out
    proc = subprocess.run([sys.executable, "-c", "import sys, contextlib, io\nfrom cli.main import main\n"
                           "with contextlib.redirect_stdout(io.StringIO()): main(['template'])\n"
                           "print('questionnaire.template' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "CCUS_ATTEST_HOME": str(tmp_path),
                               "HOME": str(tmp_path)})
    assert proc.stdout.strip() == "False", proc.stderr


def test_a_workspace_command_loads_only_its_own_module(tmp_path):
    code, heavy, _out = _modules_after(["status", "--help"], tmp_path)
    assert code == 0 and "storage" in heavy and "exports" not in heavy


def test_the_help_table_matches_what_the_modules_register():
    registered: dict[str, tuple[str, str]] = {}
    for name in cli_main.COMMAND_MODULE_NAMES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"cli.{name}").register(sub)
        for action in sub._choices_actions:
            registered[action.dest] = (name, action.help)
    assert registered == cli_main.COMMANDS


def test_the_cached_template_prints_exactly_what_the_template_says(tmp_path, monkeypatch):
    from questionnaire import default_template
    from questionnaire import template as core_template

    assert template_cmds.DEFAULT_TEMPLATE_FILE == core_template.DEFAULT_TEMPLATE_FILE
    monkeypatch.setenv("CCUS_ATTEST_HOME", str(tmp_path))
    first = template_cmds.shipped_template_forms()          # computed, then stored
    assert list((tmp_path / "cache").glob("template-*.json"))
    second = template_cmds.shipped_template_forms()         # read back
    assert first == second
    t = default_template()
    assert second["en"] == template_cmds.render_text(t, "en")
    assert json.loads(second["json"]) == template_cmds.template_as_dict(t)
    # a damaged cache file is ignored and rewritten
    for f in (tmp_path / "cache").glob("template-*.json"):
        f.write_text("{not json", encoding="utf-8")
    assert template_cmds.shipped_template_forms() == first


def test_template_file_errors_still_one_line(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("schema: ccus-attest/template/v1\nid: x\n", encoding="utf-8")
    r = run_cli("template", "--file", str(bad), passphrase=None)
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "t.yaml" in r.err
    r = run_cli("template", "--file", str(tmp_path / "missing.yaml"), passphrase=None)
    assert r.code != 0 and len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err

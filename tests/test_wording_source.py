"""English plurals are worded with ``counted()`` (questionnaire/text.py), never as "(s)":
every string literal a user can read, in every package that prints or renders, is scanned."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cli", "desktop", "exports", "questionnaire", "storage")
PLURAL = re.compile(r"[A-Za-z]\((?:s|es)\)")


def _user_strings(tree: ast.AST):
    """String constants, f-string parts included; docstrings are not user-facing."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_no_plural_written_as_s_in_brackets():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.strip()[:80]!r}"
                      for node in _user_strings(tree) if PLURAL.search(node.value)]
    assert not found, "use questionnaire.text.counted():\n" + "\n".join(found)


def test_the_scan_sees_f_string_parts():
    """The scan itself can fail: an f-string part with "(s)" is found."""
    tree = ast.parse('def f(n):\n    """doc (s) ok"""\n    return f"{n} problem(s)"\n')
    assert [n.value for n in _user_strings(tree) if PLURAL.search(n.value)] == [" problem(s)"]

"""Shared pieces of the hostile-input tests (tests/test_hostile*.py): hypothesis settings,
JSON strategies, structural mutations, a watchdog against hangs and a sandbox that
checks nothing was written outside the target folder."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import faulthandler
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cli.main import main as cli_main

PWNED = Path("/tmp/ccus-attest-pwned")

# Generous deadlines: they catch blow-ups (seconds per example), not a busy machine.
# CCUS_ATTEST_FUZZ_EXAMPLES raises the number of examples for a longer hunt.
FAST = settings(max_examples=int(os.environ.get("CCUS_ATTEST_FUZZ_EXAMPLES", "150")),
                deadline=dt.timedelta(seconds=20), database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=max(40, FAST.max_examples // 4))

json_scalars = (st.none() | st.booleans() | st.integers(-(10**20), 10**20)
                | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


@pytest.fixture(autouse=True)
def watchdog():
    """A hang ends the run with every thread's traceback instead of blocking CI forever."""
    faulthandler.dump_traceback_later(900, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def sandbox(tmp_path, monkeypatch, _isolated_home):
    """Run from an empty folder; afterwards nothing may have appeared outside ``target``."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    monkeypatch.chdir(cwd)
    before = listing(tmp_path, exclude=target)
    yield target
    assert listing(tmp_path, exclude=target) == before, "files written outside the target folder"
    assert list(cwd.iterdir()) == []
    assert not (_isolated_home / "logs").exists(), "an internal error was logged"
    assert not PWNED.exists()


def listing(root: Path, exclude: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*")
                  if p.is_file() and exclude not in p.parents)


@st.composite
def mutations_of(draw, base):
    """``base`` (nested dicts/lists) with a few nodes replaced, deleted or duplicated."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        parent, key, node = None, None, data
        for _ in range(draw(st.integers(1, 7))):
            if isinstance(node, dict) and node:
                parent, key = node, draw(st.sampled_from(sorted(node, key=str)))
            elif isinstance(node, list) and node:
                parent, key = node, draw(st.integers(0, len(node) - 1))
            else:
                break
            node = parent[key]
        if parent is None:
            continue
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(node))
        else:
            parent[draw(st.text(max_size=8))] = copy.deepcopy(node)
    return data



BYTE_EDITS = ("flip", "set", "insert", "delete", "truncate")


def byte_edits(hot: st.SearchStrategy[int], *, max_bytes: int = 8, max_edits: int = 4, append: bool = False):
    """A few edits of a byte string — (how, offset, bytes) — at offsets drawn from ``hot``."""
    how = st.sampled_from([*BYTE_EDITS, "append"] if append else list(BYTE_EDITS))
    return st.lists(st.tuples(how, hot, st.binary(min_size=1, max_size=max_bytes)),
                    min_size=1, max_size=max_edits)


def apply_edits(data: bytes, edits) -> bytes:
    raw = bytearray(data)
    for how, at, blob in edits:
        at = min(at, max(0, len(raw) - 1))
        if how == "flip" and raw:
            raw[at] ^= blob[0] or 1
        elif how == "set":
            raw[at : at + len(blob)] = blob
        elif how == "insert":
            raw[at:at] = blob
        elif how == "delete":
            del raw[at : at + len(blob)]
        elif how == "truncate":
            del raw[at:]
        elif how == "append":
            raw += blob
    return bytes(raw)


def run_main(*argv: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


def one_line_error(code: int, err: str) -> bool:
    """The CLI's contract for bad input: exit 1 and one line on stderr, no traceback."""
    return code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err

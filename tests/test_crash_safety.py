"""Crash safety, tested by really crashing: SIGKILL a child process at random moments.

Short version (part of every run): SHORT_KILLS kill points per operation.
Long version: ``./run-tests.sh -m crash_long`` (LONG_KILLS per operation), or set
``CCUS_ATTEST_CRASH_LONG=1``. ``CCUS_ATTEST_CRASH_KILLS`` overrides the short count and
``CCUS_ATTEST_CRASH_SEED`` the seed (printed in the summary, so a failure can be replayed).
See tests/crashkit.py for what is checked after each kill.
"""

from __future__ import annotations

import os

import pytest

from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .crashkit import RESULTS, SCENARIOS, CrashRun, Model

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

SHORT_KILLS = int(os.environ.get("CCUS_ATTEST_CRASH_KILLS", "12"))
LONG_KILLS = 50
SEED = int(os.environ.get("CCUS_ATTEST_CRASH_SEED", "20261125"))
# How long after the child starts opening the workspace the kill may come (seconds):
# long enough to reach several open/operate/close cycles.
WINDOWS = {"answer": 0.8, "batch": 0.8, "attach-small": 1.0, "attach-large": 2.5, "remove": 1.0,
           "passphrase": 0.8, "restore": 1.5}


def _crash(tmp_path, mini_template, scenario: str, kills: int, label: str):
    area = tmp_path / "area"
    area.mkdir()
    Workspace.create(area / "ws", PASSPHRASE, vendor="クラッシュ試験株式会社", template=mini_template,
                     kdf=FAST_KDF).close()
    (area / "scratch").mkdir()
    seed = SEED + SCENARIOS.index(scenario) + (1000 if label == "long" else 0)
    run = CrashRun(area / "ws", area / "scratch", scenario, Model(PASSPHRASE), seed, WINDOWS[scenario])
    stats = run.run(kills)
    RESULTS[f"{label}: {scenario}"] = stats
    RESULTS["_seed"] = SEED  # type: ignore[assignment]
    assert not stats.failures, stats.failures[0]
    assert stats.kills == kills
    assert stats.reported_ok > 0, "no operation completed before the kills: the windows are too short"
    return stats


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_crash_short(tmp_path, mini_template, scenario):
    _crash(tmp_path, mini_template, scenario, SHORT_KILLS, "short")


@pytest.mark.crash_long
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_crash_long(tmp_path, mini_template, scenario, request):
    if "crash_long" not in (request.config.getoption("markexpr") or "") and \
            not os.environ.get("CCUS_ATTEST_CRASH_LONG"):
        pytest.skip("long crash run: ./run-tests.sh -m crash_long")
    stats = _crash(tmp_path, mini_template, scenario, LONG_KILLS, "long")
    # with 50 kills, some must land in the middle of an operation, or the test proved little
    assert stats.phases["during an operation"] >= 5, stats.phases

"""Crash safety, tested by really crashing: SIGKILL a child process at random moments.

Operations: answers (single, batch), attaching small and large evidence, removing it,
changing the passphrase, restoring a backup, exporting bundles and opening them (see
tests/crashkit.py for what is checked after each kill; tests/test_crash_points.py kills
export and open at exact points).

Short version (part of every run): SHORT_KILLS kill points per operation.
Long version: ``./run-tests.sh -m crash_long`` (LONG_KILLS per operation), or set
``CCUS_ATTEST_CRASH_LONG=1``. ``CCUS_ATTEST_CRASH_KILLS`` overrides the short count and
``CCUS_ATTEST_CRASH_SEED`` the seed (printed in the summary, so a failure can be replayed).
See tests/crashkit.py for what is checked after each kill.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exports import keys
from exports.bundle import export_bundle, open_bundle
from storage import EvidenceMeta, Workspace

from .bundle_support import FAST_SCRYPT, MINI, SIGNING_PASSPHRASE, fill_complete
from .conftest import FAST_KDF, PASSPHRASE
from .crashkit import RESULTS, SCENARIOS, CrashRun, Model, OpenCrashRun, _sha256

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

SHORT_KILLS = int(os.environ.get("CCUS_ATTEST_CRASH_KILLS", "12"))
LONG_KILLS = 50
SEED = int(os.environ.get("CCUS_ATTEST_CRASH_SEED", "20261125"))
# How long after the child starts opening the workspace the kill may come (seconds):
# long enough to reach several open/operate/close cycles.
WINDOWS = {"answer": 0.8, "batch": 0.8, "attach-small": 1.0, "attach-large": 2.5, "remove": 1.0,
           "passphrase": 0.8, "restore": 1.5, "export": 2.0, "open": 1.2}
# Evidence in the exported / opened workspace: large enough that kills land while the
# bundle streams, not only while the checklist and report are rendered.
EVIDENCE_BYTES = 8 << 20


def _keys(folder: Path) -> tuple[Path, Path, Path, str]:
    """(signing key, its public key, auditor identity, auditor recipient) in ``folder``."""
    folder.mkdir()
    signing = keys.generate_signing_key(folder / "vendor", SIGNING_PASSPHRASE, **FAST_SCRYPT)
    auditor = keys.generate_recipient_key(folder / "auditor")
    return signing.secret_path, signing.public_path, auditor.identity_path, auditor.recipient


def _exporting_workspace(path: Path, scratch: Path, template) -> None:
    ws = Workspace.create(path, PASSPHRASE, vendor="クラッシュ試験株式会社", template=template, kdf=FAST_KDF)
    with ws:
        fill_complete(ws, scratch / "sources")
        big = scratch / "sources" / "scan.pdf"
        big.write_bytes(os.urandom(EVIDENCE_BYTES))
        ws.add_evidence("TEC-04", big, EvidenceMeta("policy", title="スキャン"))
    for f in (scratch / "sources").iterdir():
        f.unlink()
    (scratch / "sources").rmdir()


def _window(scenario: str) -> float:
    """The kill window, stretched on a loaded machine: an export that needs 2 s alone needs
    8 s with four processes per core, and a window shorter than one operation proves nothing
    (the kill points are drawn from it, so a longer window keeps them spread the same way)."""
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return WINDOWS[scenario] * min(5.0, max(1.0, load))


def _crash(tmp_path, mini_template, scenario: str, kills: int, label: str):
    if scenario == "open":
        return _crash_open(tmp_path, mini_template, kills, label)
    area = tmp_path / "area"
    area.mkdir()
    (area / "scratch").mkdir()
    seed = SEED + SCENARIOS.index(scenario) + (1000 if label == "long" else 0)
    extra: dict = {}
    if scenario == "export":
        secret, public, identity, recipient = _keys(area / "keys")
        _exporting_workspace(area / "ws", area / "scratch", mini_template)
        (area / "out").mkdir()
        extra = {"out": area / "out", "pinned": (public, identity), "siblings": {"keys", "out"},
                 "env": {"CRASH_SIGNING_KEY": str(secret), "CRASH_SIGNING_PASS": SIGNING_PASSPHRASE,
                         "CRASH_RECIPIENT": recipient, "CRASH_OUT": str(area / "out")}}
    else:
        Workspace.create(area / "ws", PASSPHRASE, vendor="クラッシュ試験株式会社", template=mini_template,
                         kdf=FAST_KDF).close()
    model = Model(PASSPHRASE)
    if scenario == "export":
        with Workspace.open(area / "ws", PASSPHRASE) as ws:
            model.answers = {k: (a.value, a.note) for k, a in ws.answers().items()}
            model.evidence = {e.id: (e.item_id, e.filename, e.sha256, e.size) for e in ws.evidence()}
    run = CrashRun(area / "ws", area / "scratch", scenario, model, seed, _window(scenario), **extra)
    stats = run.run(kills)
    RESULTS[f"{label}: {scenario}"] = stats
    RESULTS["_seed"] = SEED  # type: ignore[assignment]
    assert not stats.failures, stats.failures[0]
    assert stats.kills == kills
    assert stats.reported_ok > 0, "no operation completed before the kills: the windows are too short"
    if scenario == "export":
        assert run.model.exports, "no export completed before the kills"
    return stats


def _crash_open(tmp_path, mini_template, kills: int, label: str):
    secret, public, identity, recipient = _keys(tmp_path / "keys")
    _exporting_workspace(tmp_path / "ws", tmp_path, mini_template)
    bundle = tmp_path / "submission.zip"
    with Workspace.open(tmp_path / "ws", PASSPHRASE) as ws:
        export_bundle(ws, bundle, signing_key=keys.load_signing_key(secret, SIGNING_PASSPHRASE),
                      recipients=[recipient])
    reference = tmp_path / "reference"
    open_bundle(bundle, reference, signer=public, identity=identity, templates=MINI)
    expected = {str(p.relative_to(reference)): _sha256(p) for p in reference.rglob("*") if p.is_file()}
    area = tmp_path / "area"
    area.mkdir()
    seed = SEED + SCENARIOS.index("open") + (1000 if label == "long" else 0)
    run = OpenCrashRun(bundle, area, expected, seed, _window("open"),
                       {"CRASH_SIGNER": str(public), "CRASH_IDENTITY": str(identity)})
    stats = run.run(kills)
    RESULTS[f"{label}: open"] = stats
    RESULTS["_seed"] = SEED  # type: ignore[assignment]
    assert not stats.failures, stats.failures[0]
    assert stats.kills == kills
    assert stats.reported_ok > 0, "no open completed before the kills: the window is too short"
    assert not run.interrupted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["area", "keys", "reference", "submission.zip", "ws"]
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

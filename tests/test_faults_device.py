"""A drive that goes away in the middle of an operation: the folder vanishes (a lazily
unmounted bind mount, root only), or every I/O on it fails with EIO (an LD_PRELOAD shim,
tests/fault_shim.c, built when a C compiler is present). Either way the command says the
drive stopped responding (exit 74, never a traceback or "not a workspace"), and when the
drive is back the last committed state is intact: ``check`` finds nothing damaged and the
workspace holds exactly what was acknowledged.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from storage import EvidenceMeta, Workspace, faults
from storage.faults import FaultKind, MachineFault
from storage.integrity import check_workspace

from . import faultkit
from .bundle_support import SIGNING_PASSPHRASE
from .conftest import FAST_KDF, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="mounts and LD_PRELOAD are POSIX")

NOTE = "是正計画: 2027年3月"


def seed(path: Path, template) -> None:
    with Workspace.create(path, PASSPHRASE, vendor="テスト建設", template=template, kdf=FAST_KDF) as ws:
        ws.set_answers({"AGR-01": "yes", "CERT-01": "isms"})
        src = path.parent.parent / "seed.pdf"
        src.write_bytes(b"%PDF-1.4 " + os.urandom(1_500_000))
        ws.add_evidence("CERT-02", src, EvidenceMeta("certificate"))


def snapshot(path: Path) -> dict:
    with Workspace.open(path, PASSPHRASE) as ws:
        return {"answers": {k: (a.value, a.note) for k, a in ws.answers().items()},
                "evidence": sorted((e.item_id, e.filename, e.sha256) for e in ws.evidence())}


def assert_drive_gone(run: faultkit.Run, folder: Path, action: faults.Action) -> None:
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert "not a CCUS Attest workspace" not in run.err, run.err
    want = MachineFault(FaultKind.DEVICE, folder, action)
    assert run.code == 74, run.err
    assert run.err == f"ccus-attest: error: {want.message('en')}\n", run.err


def after_return(path: Path, before: dict, ok: bool, change: dict | None) -> None:
    report = check_workspace(path, PASSPHRASE)
    assert not report.damage, [str(f) for f in report.damage]
    now = snapshot(path)
    if ok and change:
        before = {**before, "answers": {**before["answers"], **change}}
    assert now["answers"] == before["answers"]
    if not ok:
        assert now["evidence"] == before["evidence"]
    with Workspace.open(path, PASSPHRASE) as ws:  # the next write clears what was interrupted
        ws.set_answer("TEC-05", "the drive is back")
    assert not [p for p in (path / "blobs" / "tmp").iterdir()]
    report = check_workspace(path, PASSPHRASE)
    assert not report.damage and not report.leftovers, [str(f) for f in report.findings]


# --- the folder vanishes ------------------------------------------------------------------------------


@pytest.mark.skipif(not faultkit.is_root(), reason="a bind mount to pull away needs root")
@pytest.mark.parametrize("step", ["attach-half", "answer-commit", "export-half"])
def test_the_folder_vanishes_mid_operation(step, tmp_path, mini_template, signer, auditor):
    medium = tmp_path / "medium"
    medium.mkdir()
    seed(medium / "ws", mini_template)
    before = snapshot(medium / "ws")
    usb = tmp_path / "usb"
    usb.mkdir()
    faultkit.mount("--bind", str(medium), str(usb))
    ws = usb / "ws"
    try:
        env = {"CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
        if step == "attach-half":
            src = tmp_path / "large.pdf"
            src.write_bytes(os.urandom(3_000_000))
            args = ["attach", str(ws), "TEC-04", str(src), "--kind", "policy"]
            spec = {"hook": "storage.progress:Meter.add", "when": "half", "min_total": 1_000_000}
            action = faults.attach_action("large.pdf", "TEC-04")
        elif step == "answer-commit":
            args = ["answer", str(ws), "AGR-01", "no", "--note", NOTE]
            spec = {"hook": "storage.workspace:Workspace.transaction"}
            action = faults.answer_action("AGR-01")
        else:
            (medium / "out").mkdir()
            args = ["export", str(ws), "--out", str(usb / "out" / "b.zip"), "--sign-key",
                    str(signer.secret_path), "--to", auditor.recipient, "--allow-incomplete"]
            spec = {"hook": "storage.progress:Meter.add", "when": "half", "min_total": 1_000_000}
            action = faults.export_action("b.zip")
        run = faultkit.run_cli(["--lang", "en", *args], {**spec, "how": "vanish", "mount": str(usb)}, env=env,
                               passphrase=PASSPHRASE)
    finally:
        faultkit.umount(usb)
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    if step == "answer-commit":
        # SQLite still held the database open, so the commit itself went through; the backup on
        # close could not be made, and says why.
        assert run.code == 0, run.err
        warn = MachineFault(FaultKind.DEVICE, ws, faults.backup_action())
        assert run.err == f"ccus-attest: warning: {warn.message('en')}\n"
    else:
        folder = usb / "out" if step == "export-half" else ws
        assert_drive_gone(run, folder, action)
    # the medium is back
    faultkit.mount("--bind", str(medium), str(usb))
    try:
        after_return(ws, before, run.code == 0, {"AGR-01": ("no", NOTE)})
        if step == "export-half":
            # The export could not remove its temporary file from a drive that was gone; the
            # next file saved into that folder does (storage/fsutil.py), and no bundle is there.
            from storage.fsutil import atomic_write

            with atomic_write(usb / "out" / "next.txt") as fh:
                fh.write(b"next write")
            assert [p.name for p in (usb / "out").iterdir()] == ["next.txt"]
    finally:
        faultkit.umount(usb)


# --- every I/O fails with EIO -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    built = faultkit.build_shim(tmp_path_factory.mktemp("shim"))
    if built is None:
        pytest.skip("no C compiler to build the EIO shim (tests/fault_shim.c)")
    return built


@pytest.mark.parametrize("step", ["open", "answer-commit", "attach-half", "export-reading", "check"])
def test_the_drive_fails_with_eio(step, shim, tmp_path, mini_template, signer, auditor):
    ws = (tmp_path / "drive" / "ws").resolve()
    ws.parent.mkdir()
    seed(ws, mini_template)
    before = snapshot(ws)
    trigger = tmp_path / "the-drive-fails"
    env = {"LD_PRELOAD": str(shim), "FAULT_PREFIX": str(ws), "FAULT_TRIGGER": str(trigger),
           "CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
    spec = {"how": "eio", "trigger": str(trigger)}
    out = tmp_path / "out"
    out.mkdir()
    if step == "open":
        args, spec["hook"] = ["status", str(ws)], "now"
        action = faults.open_action()
    elif step == "check":
        args, spec["hook"] = ["check", str(ws)], "now"
        action = faults.check_action()
    elif step == "answer-commit":
        args, spec["hook"] = ["answer", str(ws), "AGR-01", "no", "--note", NOTE], \
            "storage.workspace:Workspace.transaction"
        action = faults.answer_action("AGR-01")
    elif step == "attach-half":
        src = tmp_path / "large.pdf"
        src.write_bytes(os.urandom(3_000_000))
        args = ["attach", str(ws), "TEC-04", str(src), "--kind", "policy"]
        spec.update(hook="storage.progress:Meter.add", when="half", min_total=1_000_000)
        action = faults.attach_action("large.pdf", "TEC-04")
    else:  # the evidence is read from the failing drive while the bundle is written elsewhere
        args = ["export", str(ws), "--out", str(out / "b.zip"), "--sign-key", str(signer.secret_path),
                "--to", auditor.recipient, "--allow-incomplete"]
        spec["hook"] = "exports.bundle_export:write_container"
        action = faults.export_action("b.zip")
    run = faultkit.run_cli(["--lang", "en", *args], spec, env=env, passphrase=PASSPHRASE)
    assert trigger.exists(), "the fault never happened"
    assert_drive_gone(run, ws, action)
    trigger.unlink()  # the drive is back
    after_return(ws, before, False, None)
    assert not list(out.iterdir())  # no bundle and no temporary file where the export was going


def test_the_shim_really_fails_sqlite(shim, tmp_path):
    """The shim is what the device tests rely on: it must make SQLite itself fail."""
    db = tmp_path / "d" / "x.db"
    db.parent.mkdir()
    trigger = tmp_path / "t"
    code = "\n".join([
        "import sqlite3, pathlib, sys",
        "c = sqlite3.connect(sys.argv[1]); c.execute('CREATE TABLE t(x)'); c.commit()",
        "pathlib.Path(sys.argv[2]).write_text('on')",
        "try:",
        "    c.execute('INSERT INTO t VALUES (1)'); c.commit()",
        "except sqlite3.Error as e:",
        "    print(e.sqlite_errorname)",
    ])
    env = {**os.environ, "LD_PRELOAD": str(shim), "FAULT_PREFIX": str(db.parent),
           "FAULT_TRIGGER": str(trigger)}
    done = subprocess.run(["python3", "-c", code, str(db), str(trigger)], capture_output=True, text=True,
                          check=True, env=env)
    # (SQLite reports EIO on a read as SQLITE_CORRUPT, on a write as SQLITE_IOERR_WRITE)
    assert done.stdout.startswith(("SQLITE_IOERR", "SQLITE_CORRUPT")), done

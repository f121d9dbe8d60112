"""A full disk at every step of every long operation, on a real size-limited file system.

Each case builds a workspace on a 6 MiB tmpfs (tests/faultkit.py; the test mounts it when it
runs as root, as CI does), then runs a real CLI command in a child process that fills the file
system to the last byte at one chosen step: before the command (the disk already full), at the
space check (just too little left), at the start of a function deep inside (the blob being
written, the commit, the backup, the export's container, its read-back, the restore's build
and swap, the key-slot update of the backups), or half-way through the bytes. Then:

* the command gives the mapped message (storage/faults.py) in Japanese and in English — the
  folder, what was not saved, what to do, with the numbers when it checked beforehand — and
  its exit code; no traceback, never "internal error", never "not a CCUS Attest workspace";
* after the space is freed, ``check`` finds nothing damaged, and the workspace holds exactly
  what was acknowledged: everything before, plus the change only when the command said it
  succeeded;
* after the next write nothing temporary is left (and the export folder never holds one).

Without root (or with CCUS_ATTEST_FAULT_MODE=rlimit) the same steps run in a plain folder with
RLIMIT_FSIZE set to nothing at the step: writes fail with EFBIG, mapped to "file too large";
the space-check cases, which need a small file system, are skipped. The mode that ran is
printed in the test summary (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage import Workspace, faults
from storage import backups as bk
from storage.faults import FaultKind, MachineFault
from storage.fsutil import is_temp_name
from storage.integrity import check_workspace

from . import faultkit
from .bundle_support import SIGNING_PASSPHRASE
from .conftest import FAST_KDF, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="mounts and RLIMIT_FSIZE are POSIX")

NEW_PASSPHRASE = "a new passphrase for the test"
NOTE = "是正計画: 2027年3月までに導入"
MODE = faultkit.mode()
FAULTKIT_MODES: set[str] = set()  # printed by conftest's terminal summary


@dataclass(frozen=True)
class Case:
    op: str  # answer | attach-small | attach-large | export | open-bundle | restore | passwd | status
    step: str  # "full" (before the command), "space-check", or a hook "module:qualname"
    expect: str = "fail"  # fail: a mapped error; warn: done, with a warning; either: done or a mapped error
    half: bool = False    # the hook fires when half of the bytes are done

    @property
    def id(self) -> str:
        return f"{self.op}-{self.step.rsplit(':', 1)[-1]}" + ("-half" if self.half else "")


TX = "storage.workspace:Workspace.transaction"
SNAPSHOT = "storage.backups:snapshot"
METER = "storage.progress:Meter.add"
CASES = [
    Case("status", "full"),  # opening a workspace on a full disk
    Case("answer", "full"),
    Case("answer", TX),
    Case("answer", SNAPSHOT, "warn"),  # the backup on close: the answer is saved
    Case("attach-small", "full"),
    Case("attach-small", "space-check"),
    Case("attach-small", "storage.blobstore:BlobStore.put"),
    Case("attach-small", TX),
    Case("attach-small", SNAPSHOT, "warn"),
    Case("attach-large", "space-check"),
    Case("attach-large", "storage.blobstore:BlobStore.put"),
    Case("attach-large", METER, half=True),
    Case("attach-large", TX),
    Case("export", "full"),
    Case("export", "space-check"),
    Case("export", "exports.bundle_export:write_container"),
    Case("export", METER, half=True),
    Case("export", "exports.bundle_export:_check_written", "either"),
    Case("export", TX),  # the activity-log entry: the bundle is removed again
    Case("open-bundle", "full"),
    Case("open-bundle", "space-check"),
    Case("open-bundle", METER, half=True),
    Case("open-bundle", "exports.safe_extract:Staging.commit"),
    Case("restore", "full"),
    Case("restore", "space-check"),
    Case("restore", SNAPSHOT),  # the pre-restore backup of the replaced state
    Case("restore", "storage.restore:_build"),
    Case("restore", "storage.restore:_swap_in", "either"),
    Case("passwd", "full"),
    Case("passwd", TX),
    Case("passwd", "storage.backups:rekey", "warn"),  # changed; the backups follow on the next open
]
SIZES = {"attach-small": 200_000, "attach-large": 2_500_000}


@pytest.fixture(scope="module")
def disk(tmp_path_factory):
    FAULTKIT_MODES.add(MODE)
    with faultkit.small_disk(tmp_path_factory.mktemp("fault-disk") / "disk") as d:
        yield d


@pytest.fixture(scope="module")
def sources(tmp_path_factory, signer, auditor, mini_template):
    """Files to attach and a bundle to open, outside the small disk."""
    folder = tmp_path_factory.mktemp("fault-sources")
    files = {}
    for op, size in SIZES.items():
        files[op] = folder / f"{op}.pdf"
        files[op].write_bytes(os.urandom(size))
    from exports.bundle import export_bundle

    ws = Workspace.create(folder / "ws", PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    with ws:
        ws.set_answer("AGR-01", "yes")
        big = folder / "big-evidence.pdf"
        big.write_bytes(os.urandom(1_500_000))
        from storage import EvidenceMeta

        ws.add_evidence("CERT-02", big, EvidenceMeta("certificate"))
        bundle = folder / "submission.zip"
        export_bundle(ws, bundle, signing_key=signer.key, recipients=[auditor.recipient],
                      allow_incomplete=True)
    return {"files": files, "bundle": bundle}


# --- the workspace before the command -----------------------------------------------------------


def make_workspace(disk: faultkit.Disk, template) -> Path:
    """A workspace with answers, evidence and two kept backups, on the small disk."""
    disk.clear()
    path = disk.root / "ws"
    src = disk.root.parent / "seed-evidence.pdf"
    src.write_bytes(b"%PDF-1.4 seed " + os.urandom(1_200_000))
    from storage import EvidenceMeta

    with Workspace.create(path, PASSPHRASE, vendor="テスト建設", template=template, kdf=FAST_KDF) as ws:
        ws.set_answers({"AGR-01": "yes", "CERT-01": "isms", "CERT-02": "IS 123456"})
        ws.add_evidence("CERT-02", src, EvidenceMeta("certificate", title="登録証"))
    with Workspace.open(path, PASSPHRASE) as ws:
        ws.set_answer("TEC-05", "多要素認証を導入済み")
    src.unlink()
    return path


def state(path: Path, passphrase: str = PASSPHRASE) -> dict:
    with Workspace.open(path, passphrase) as ws:
        return {
            "answers": {k: (a.value, a.note) for k, a in ws.answers().items()},
            "evidence": sorted((e.item_id, e.filename, e.sha256) for e in ws.evidence()),
            "log": [(e.action, e.item) for e in ws.activity()],
        }


def command(case: Case, ws: Path, disk: faultkit.Disk, sources: dict, signer, auditor,
            lang: str) -> tuple[list[str], dict]:
    env = {"CCUS_ATTEST_NEW_PASSPHRASE": NEW_PASSPHRASE, "CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
    base = ["--lang", lang]
    op = case.op
    if op == "status":
        return [*base, "status", str(ws)], env
    if op == "answer":
        return [*base, "answer", str(ws), "AGR-01", "no", "--note", NOTE], env
    if op.startswith("attach"):
        return [*base, "attach", str(ws), "TEC-04", str(sources["files"][op]), "--kind", "policy"], env
    if op == "export":
        (disk.root / "out").mkdir(exist_ok=True)
        return [*base, "export", str(ws), "--out", str(disk.root / "out" / "b.zip"), "--sign-key",
                str(signer.secret_path), "--to", auditor.recipient, "--allow-incomplete", "--force"], env
    if op == "open-bundle":
        return [*base, "open", str(sources["bundle"]), "--signer", str(signer.public_path), "--identity",
                str(auditor.identity_path), "--out", str(disk.root / "opened")], env
    if op == "restore":
        oldest = bk.list_backups(ws)[-1]
        return [*base, "restore", str(ws), oldest.name], env
    if op == "passwd":
        return [*base, "passwd", str(ws)], env
    raise AssertionError(op)


def needs(case: Case, ws: Path, sources: dict) -> tuple[int, int]:
    """(bytes the workspace needs to open, bytes the operation needs), as the app estimates them."""
    db_size = faults.file_size(ws / "attest.db") + faults.file_size(ws / "attest.db-wal")
    opening = db_size + faults.margin(db_size)
    if case.op.startswith("attach"):
        need = faults.age_size(SIZES[case.op]) + db_size
    elif case.op == "export":
        need = 1_200_000 + 64 * 1024  # the evidence, and the documents (a few KB here)
        opening = db_size + faults.margin(db_size)
    elif case.op == "open-bundle":
        need, opening = faults.file_size(sources["bundle"]), 0
    elif case.op == "restore":
        need = db_size + 2 * faults.file_size(bk.list_backups(ws)[-1].path)
        opening = 0
    else:
        raise AssertionError(case.op)
    return opening, need + faults.margin(need)


def spec(case: Case, disk: faultkit.Disk, ws: Path, sources: dict) -> dict:
    how = "fill" if disk.limited else "rlimit"
    if case.step == "full":
        if disk.limited:
            disk.fill()
            return {}
        return {"hook": "now", "how": how}
    if case.step == "space-check":
        opening, need = needs(case, ws, sources)
        # More than opening needs, less than the operation: the check refuses, nothing is written.
        leave = max(opening + 64 * 1024, need - 512 * 1024) if opening else need - 512 * 1024
        assert leave < need
        disk.fill(leave=leave)
        return {}
    return {"hook": case.step, "how": how, "disk": str(disk.root),
            **({"when": "half", "min_total": 1_000_000} if case.half else {})}


# --- what is said ----------------------------------------------------------------------------------


def expected_fault(case: Case, ws: Path, disk: faultkit.Disk, sources: dict) -> MachineFault:
    kind = FaultKind.NO_SPACE if disk.limited else FaultKind.TOO_LARGE
    op = case.op
    if op == "export" and case.step in ("full", TX, "exports.bundle_export:_check_written"):
        # The workspace is what refused: opening it, or recording the export in its log.
        return MachineFault(kind, ws, faults.export_action("b.zip"))
    if op == "status":
        return MachineFault(kind, ws, faults.open_action())
    if op == "answer":
        return MachineFault(kind, ws, faults.answer_action("AGR-01"))
    if op.startswith("attach"):
        return MachineFault(kind, ws, faults.attach_action(sources["files"][op].name, "TEC-04"))
    if op == "export":
        return MachineFault(kind, disk.root / "out", faults.export_action("b.zip"))
    if op == "open-bundle":
        return MachineFault(kind, disk.root / "opened", faults.open_bundle_action(disk.root / "opened"))
    if op == "restore":
        return MachineFault(kind, ws, faults.restore_action(bk.list_backups(ws)[-1].name))
    if op == "passwd":
        return MachineFault(kind, ws, faults.passphrase_action())
    raise AssertionError(op)


_NUMBERS = {
    "en": re.compile(r"It needs \d+(\.\d)? (KB|MB) and \d+(\.\d)? (KB|MB) is free: free at least "
                     r"\d+(\.\d)? (KB|MB) on that drive"),
    "ja": re.compile(r"必要な空きは \d+(\.\d)? (KB|MB)、現在の空きは \d+(\.\d)? (KB|MB) です。"
                     r"このドライブに \d+(\.\d)? (KB|MB) 以上の空きを作る"),
}


def assert_said(run: faultkit.Run, want: MachineFault, lang: str, case: Case, *,
                warning: bool = False) -> None:
    err = run.err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "not a CCUS Attest workspace" not in err, err
    lines = err.splitlines()
    prefix = faultkit.stderr_prefix(lang, warning=warning)
    assert lines and all(line.startswith(prefix) for line in lines), err
    if warning:  # a passphrase change may warn twice: the backups' key slots, the backup on close
        lines = [line for line in lines if want.action.text(lang) in line] or lines
    assert len(lines) == 1, err
    text = lines[0][len(prefix):]
    assert want.problem(lang) in text, (want.problem(lang), text)
    assert want.action.text(lang) in text, (want.action.text(lang), text)
    if case.step == "space-check" or (want.kind is FaultKind.NO_SPACE and case.step == "full"):
        assert _NUMBERS[lang].search(text), text
    elif want.kind is FaultKind.NO_SPACE:
        assert ("Free at least" in text or "It needs" in text) if lang == "en" else ("以上の空きを作" in text)
    else:
        assert want.next_step(lang) in text, text
    if not warning:
        assert run.code == want.exit_code, (run.code, err)


# --- after the space is back -------------------------------------------------------------------------


def temp_files(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    found = []
    for p in folder.rglob("*"):
        if is_temp_name(p.name) or ".creating-" in p.name or p.name.startswith(".ccus-attest-open-"):
            found.append(p)
        if p.parent.name == "tmp" and p.parent.parent.name in ("blobs", "backups"):
            found.append(p)
    return found


def expected_after(case: Case, before: dict, ok: bool, sources: dict) -> dict:
    want = {k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in before.items()}
    if not ok:
        return want
    if case.op == "answer":
        want["answers"]["AGR-01"] = ("no", NOTE)
    elif case.op.startswith("attach"):
        data = sources["files"][case.op].read_bytes()
        want["evidence"] = sorted([*want["evidence"], ("TEC-04", sources["files"][case.op].name,
                                                       hashlib.sha256(data).hexdigest())])
    return want


def verify(case: Case, ws: Path, disk: faultkit.Disk, before: dict, ok: bool, sources: dict, signer,
           auditor) -> None:
    disk.unfill()  # the user freed space
    passphrase = NEW_PASSPHRASE if case.op == "passwd" and ok else PASSPHRASE
    report = check_workspace(ws, passphrase)
    assert not report.damage, [str(f) for f in report.damage]
    after = state(ws, passphrase)
    if case.op == "restore" and ok:
        assert after["log"][-1][0] == "workspace.restored"
    elif case.op == "export" and ok:
        assert after["log"][-1][0] == "bundle.exported"
        assert {k: after[k] for k in ("answers", "evidence")} == \
            {k: before[k] for k in ("answers", "evidence")}
    else:
        want = expected_after(case, before, ok, sources)
        assert {k: after[k] for k in ("answers", "evidence")} == {k: want[k] for k in ("answers", "evidence")}
        if not ok:
            assert after["log"] == before["log"]  # nothing half-done was logged
    if case.op == "passwd" and not ok:
        with pytest.raises(Exception, match="wrong passphrase"):
            Workspace.open(ws, NEW_PASSPHRASE)
    out = disk.root / "out"
    assert not temp_files(out), temp_files(out)  # an export never leaves one behind, even failed
    if case.op == "export":
        bundle = out / "b.zip"
        assert bundle.exists() == ok
        if ok:
            from exports.bundle import verify_bundle

            assert verify_bundle(bundle, signer=signer.public_path, identity=auditor.identity_path).ok
    if case.op == "open-bundle":
        opened = disk.root / "opened"
        if ok:
            assert (opened / "manifest.json").is_file()
        else:
            assert not opened.exists() or not any(opened.iterdir()), list(opened.rglob("*"))
    # The next write: what an interrupted write left is gone, and nothing is left over.
    with Workspace.open(ws, passphrase) as opened_ws:
        opened_ws.set_answer("TEC-05", f"next write after {case.id}")
    assert not temp_files(ws), temp_files(ws)
    report = check_workspace(ws, passphrase)
    assert not report.damage and not report.leftovers, [str(f) for f in report.findings]


# --- the test --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_full_disk_at_every_step(case, disk, sources, signer, auditor, mini_template):
    if not disk.limited and case.step == "space-check":
        pytest.skip("the space check needs a small file system (run as root for a tmpfs)")
    ws = make_workspace(disk, mini_template)
    before = state(ws)
    first, second = ("ja", "en") if CASES.index(case) % 2 else ("en", "ja")
    want = expected_fault(case, ws, disk, sources)

    args, env = command(case, ws, disk, sources, signer, auditor, first)
    run = faultkit.run_cli(args, spec(case, disk, ws, sources), env=env, passphrase=PASSPHRASE)
    ok = run.code == 0
    if case.expect == "fail":
        assert not ok, (run.code, run.out, run.err)
    if case.expect == "warn":
        assert ok, (run.code, run.err)
        warned = _warning_for(case, want)
        assert_said(run, warned, first, case, warning=True)
    elif not ok:
        assert_said(run, want, first, case)
        # The same step again in the other language: nothing changed, so the same happens.
        disk.unfill()
        args, env = command(case, ws, disk, sources, signer, auditor, second)
        again = faultkit.run_cli(args, spec(case, disk, ws, sources), env=env, passphrase=PASSPHRASE)
        assert again.code == run.code, again.err
        assert_said(again, want, second, case)
    verify(case, ws, disk, before, ok, sources, signer, auditor)


def _warning_for(case: Case, want: MachineFault) -> MachineFault:
    action = faults.backup_rekey_action() if case.op == "passwd" else faults.backup_action()
    return MachineFault(want.kind, want.folder, action)


def test_a_new_workspace_on_a_full_disk(disk):
    if not disk.limited:
        pytest.skip("needs a small file system (run as root for a tmpfs)")
    disk.clear()
    disk.fill()
    target = disk.root / "new-ws"
    from .conftest import FAST_KDF_ARGS

    for lang in ("ja", "en"):
        run = faultkit.run_cli(["--lang", lang, "init", str(target), *FAST_KDF_ARGS], passphrase=PASSPHRASE)
        want = MachineFault(FaultKind.NO_SPACE, disk.root, faults.create_action(target))
        assert run.code == want.exit_code, run.err
        assert run.err.startswith(f"{faultkit.stderr_prefix(lang)}{want.problem(lang)}"), run.err
        assert want.action.text(lang) in run.err and len(run.err.splitlines()) == 1
        # nothing is left: no workspace, no hidden staging folder
        assert sorted(p.name for p in disk.root.iterdir()) == [faultkit.FILLER]
    disk.unfill()


def test_the_space_check_names_the_numbers(disk, mini_template):
    """In-process, exactly: what the check asks for is what the drive lacks."""
    if not disk.limited:
        pytest.skip("needs a small file system (run as root for a tmpfs)")
    ws = make_workspace(disk, mini_template)
    disk.fill(leave=300_000)
    try:
        with pytest.raises(MachineFault) as caught:
            Workspace.open(ws, PASSPHRASE)
    finally:
        disk.unfill()
    fault = caught.value
    assert fault.kind is FaultKind.NO_SPACE and fault.action == faults.open_action()
    db_size = faults.file_size(ws / "attest.db") + faults.file_size(ws / "attest.db-wal")
    assert fault.need == db_size + faults.margin(db_size)
    assert 300_000 <= fault.free < 300_000 + 4096  # the filler writes whole pages
    need, free, short = faults.size_numbers(fault.need, fault.free)
    assert f"It needs {need} and {free} is free: free at least {short}" in fault.message("en")
    assert f"必要な空きは {need}、現在の空きは {free} です。このドライブに {short} 以上の空きを作る" in \
        fault.message("ja")
    assert shutil.disk_usage(disk.root).free > fault.need  # and with the space back, it opens
    Workspace.open(ws, PASSPHRASE).close()

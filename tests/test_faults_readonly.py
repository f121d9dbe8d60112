"""A workspace on read-only media opens read-only, in the CLI and in the desktop app.

The medium is a read-only bind mount of a real workspace folder (root only: chmod does not
stop root, a read-only mount does). Reading, checking and exporting the checklist and the
report elsewhere work; every command that would write says the workspace is read-only and
how to change it (exit 77), in Japanese and English; not one byte of the folder changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from storage import EvidenceMeta, Workspace, faults
from storage.faults import FaultKind, MachineFault

from . import faultkit
from .bundle_support import SIGNING_PASSPHRASE
from .conftest import FAST_KDF, FAST_KDF_ARGS, PASSPHRASE

pytestmark = pytest.mark.skipif(not faultkit.is_root(), reason="a read-only bind mount needs root "
                                "(chmod does not stop root, and without root there is no mount)")


@pytest.fixture
def medium(tmp_path, mini_template):
    """(the workspace seen through a read-only mount, the writable original)."""
    original = tmp_path / "disk" / "ws"
    src = tmp_path / "isms.pdf"
    src.write_bytes(b"%PDF-1.4 certificate " + os.urandom(50_000))
    with Workspace.create(original, PASSPHRASE, vendor="テスト建設", template=mini_template,
                          kdf=FAST_KDF) as ws:
        ws.set_answers({"AGR-01": "yes", "CERT-01": "isms", "CERT-02": "IS 123456"})
        ws.add_evidence("CERT-02", src, EvidenceMeta("certificate", title="登録証"))
    with faultkit.read_only_view(original.parent, tmp_path / "cdrom") as view:
        yield view / "ws", original


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_it_opens_read_only_and_refuses_changes_in_process(medium):
    ws_path, original = medium
    before = fingerprint(original)
    assert not faults.writable(ws_path)
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        assert ws.read_only
        assert ws.answer("AGR-01").value == "yes" and len(ws.evidence()) == 1
        assert ws.evidence_bytes(ws.evidence()[0].id).startswith(b"%PDF-1.4")
        assert ws.verify_activity() == []
        with pytest.raises(MachineFault) as caught:
            ws.set_answer("AGR-01", "no", "x")
        fault = caught.value
        assert fault.kind is FaultKind.READ_ONLY and fault.read_only_workspace
        assert fault.action == faults.answer_action("AGR-01") and fault.exit_code == 77
        assert ws.answer("AGR-01").value == "yes"
    assert fingerprint(original) == before  # not even a lock file or a backup


WRITES = [
    (["answer", "{ws}", "AGR-01", "no", "--note", "是正中"], faults.answer_action("AGR-01")),
    (["import-answers", "{ws}", "{answers}"], faults.answers_action(2)),
    (["attach", "{ws}", "CERT-02", "{src}"], faults.attach_action("new.pdf", "CERT-02")),
    (["detach", "{ws}", "{evidence}"], faults.evidence_change_action()),
    (["vendor", "{ws}", "新しい名前"], faults.vendor_action()),
    (["passwd", "{ws}"], faults.passphrase_action()),
    (["export", "{ws}", "--out", "{out}/b.zip", "--sign-key", "{key}", "--to", "{to}", "--allow-incomplete"],
     faults.export_log_action("b.zip")),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_cli_says_so_for_commands_that_would_write(medium, tmp_path, lang, signer, auditor):
    ws_path, original = medium
    before = fingerprint(original)
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        evidence_id = ws.evidence()[0].id
    (tmp_path / "new.pdf").write_bytes(b"new evidence")
    (tmp_path / "answers.json").write_text('{"TEC-04": "yes", "TEC-05": "多要素認証"}', encoding="utf-8")
    (tmp_path / "out").mkdir()
    values = {"ws": ws_path, "answers": tmp_path / "answers.json", "src": tmp_path / "new.pdf",
              "evidence": evidence_id, "out": tmp_path / "out", "key": signer.secret_path,
              "to": auditor.recipient}
    env = {"CCUS_ATTEST_NEW_PASSPHRASE": "another long passphrase",
           "CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
    for template, action in WRITES:
        args = [part.format(**{k: str(v) for k, v in values.items()}) for part in template]
        run = faultkit.run_cli(["--lang", lang, *args], env=env, passphrase=PASSPHRASE)
        want = MachineFault(FaultKind.READ_ONLY, ws_path, action, read_only_workspace=True)
        assert run.code == 77, (args, run.err)
        assert run.err == f"{faultkit.stderr_prefix(lang)}{want.message(lang)}\n", (args, run.err)
    # a new workspace on the read-only drive
    new = ws_path.parent / "new-ws"
    run = faultkit.run_cli(["--lang", lang, "init", str(new), *FAST_KDF_ARGS], passphrase=PASSPHRASE)
    want = MachineFault(FaultKind.READ_ONLY, ws_path.parent, faults.create_action(new))
    assert (run.code, run.err) == (77, f"{faultkit.stderr_prefix(lang)}{want.message(lang)}\n")
    # restore and repair: the folder itself refuses (no lock file can be made)
    for args, action in ((["restore", str(ws_path), "x.db"], faults.restore_action("x.db")),
                         (["check", str(ws_path), "--repair"], faults.repair_action())):
        run = faultkit.run_cli(["--lang", lang, *args], passphrase=PASSPHRASE)
        want = MachineFault(FaultKind.READ_ONLY, ws_path, action)
        assert (run.code, run.err) == (77, f"{faultkit.stderr_prefix(lang)}{want.message(lang)}\n")
    assert not (tmp_path / "out" / "b.zip").exists()
    assert fingerprint(original) == before


def test_the_cli_reads_checks_and_exports_documents_elsewhere(medium, tmp_path):
    ws_path, original = medium
    before = fingerprint(original)
    for args in (["status", str(ws_path)], ["evidence", str(ws_path)], ["log", str(ws_path)],
                 ["check", str(ws_path)], ["backups", str(ws_path)]):
        run = faultkit.run_cli(args, passphrase=PASSPHRASE)
        assert run.code == 0 and run.err == "", (args, run.err)
    run = faultkit.run_cli(["check", str(ws_path)], passphrase=PASSPHRASE)
    assert "result: OK" in run.out
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        evidence_id = ws.evidence()[0].id
    run = faultkit.run_cli(["extract", str(ws_path), evidence_id, "--out", str(tmp_path / "copy.pdf")],
                           passphrase=PASSPHRASE)
    assert run.code == 0 and (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF-1.4")
    for cmd, name in (("checklist", "c.xlsx"), ("report", "r.pdf")):
        for lang, note in (("en", "not recorded in its activity log"),
                           ("ja", "操作履歴に記録されていません")):
            out = tmp_path / f"{lang}-{name}"
            run = faultkit.run_cli(["--lang", lang, cmd, str(ws_path), "--out", str(out)],
                                   passphrase=PASSPHRASE)
            assert run.code == 0, run.err
            assert out.stat().st_size > 1000
            assert run.err.startswith("ccus-attest: note: ") and note in run.err
            assert len(run.err.splitlines()) == 1
    assert fingerprint(original) == before


def test_a_workspace_left_unclosed_on_read_only_media_shows_its_last_changes(tmp_path, mini_template):
    """A WAL with changes not yet folded in (the workspace was not closed cleanly before the
    medium became read-only) is read too: the last saved answers are there."""
    original = tmp_path / "disk" / "ws"
    ws = Workspace.create(original, PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    ws.set_answer("AGR-01", "partial", "手順書を整備中")
    # copy the folder as it is while open (the WAL holds the answer), like a dying laptop would
    import shutil

    copy = tmp_path / "copy" / "ws"
    shutil.copytree(original, copy)
    ws.close()
    assert (copy / "attest.db-wal").stat().st_size > 0
    with faultkit.read_only_view(copy.parent, tmp_path / "cdrom") as view, \
            Workspace.open(view / "ws", PASSPHRASE) as opened:
        assert opened.read_only
        assert opened.answer("AGR-01").note == "手順書を整備中"

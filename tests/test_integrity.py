"""The integrity check (`check`), on real workspaces damaged the way disks and attackers do."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from storage import Cancelled, CorruptData, EvidenceMeta, Workspace, WorkspaceLocked, WrongPassphrase
from storage.integrity import Severity, check_open, check_workspace, codes

from .conftest import PASSPHRASE, run_cli
from .tamper import flip_byte, raw_db
from .test_workspace import SECRET_FILE_NAME, cert_file, fill


@pytest.fixture
def filled(mini_ws, tmp_path):
    """A closed workspace with answers, two evidence files and a few sessions' backups."""
    info = fill(mini_ws, tmp_path)
    other = mini_ws.add_evidence("TEC-04", cert_file(tmp_path, "診断報告書.pdf", b"REPORT" * 3000),
                                 EvidenceMeta("policy", title="診断"))
    path = mini_ws.path
    mini_ws.close()
    return path, info, other


def by_code(report, code):
    return [f for f in report.findings if f.code == code]


def test_a_sound_workspace_passes(filled):
    path, _info, _other = filled
    report = check_workspace(path, PASSPHRASE)
    assert report.ok and report.clean, report.findings
    assert report.counts["answers"] == 4 and report.counts["evidence"] == 2
    assert report.counts["blobs"] == 2 and report.counts["log_entries"] >= 7
    assert report.counts["backups"] >= 1
    r = run_cli("check", str(path))
    assert r.code == 0, r.err
    assert "result: OK" in r.out and r.err == ""
    data = json.loads(run_cli("check", str(path), "--json").out)
    assert data["ok"] is True and data["findings"] == []


def test_wrong_passphrase_and_open_workspace_are_refused(filled):
    path, _info, _other = filled
    with pytest.raises(WrongPassphrase):
        check_workspace(path, "not the passphrase")
    with Workspace.open(path, PASSPHRASE), pytest.raises(WorkspaceLocked):
        check_workspace(path, PASSPHRASE)


def test_damaged_records_are_named(filled):
    path, info, _other = filled
    with raw_db(path) as con:
        sealed = con.execute("SELECT sealed FROM answer WHERE item_id='CERT-02'").fetchone()[0]
        con.execute("UPDATE answer SET sealed=? WHERE item_id='CERT-02'", (flip_byte(sealed, 20),))
        sealed = con.execute("SELECT sealed FROM evidence WHERE id=?", (info.id,)).fetchone()[0]
        con.execute("UPDATE evidence SET sealed=? WHERE id=?", (flip_byte(sealed, 30), info.id))
        sealed = con.execute("SELECT sealed FROM activity WHERE seq=3").fetchone()[0]
        con.execute("UPDATE activity SET sealed=? WHERE seq=3", (flip_byte(sealed, 25),))
    report = check_workspace(path, PASSPHRASE)
    assert not report.ok
    subjects = {f.subject for f in by_code(report, "record")}
    assert "answer CERT-02" in subjects
    assert f"evidence record {info.id[:12]} (CERT-02)" in subjects
    assert "activity log entry 3" in subjects
    r = run_cli("check", str(path))
    assert r.code == 1
    (line,) = r.err.strip().splitlines()
    assert "integrity check found" in line and "backups" in line
    assert "answer CERT-02" in r.out and "activity log entry 3" in r.out


def test_evidence_files_missing_damaged_or_swapped_are_named_by_file_name(filled):
    path, info, other = filled
    blobs = sorted((path / "blobs").glob("*/*.age"))
    with Workspace.open(path, PASSPHRASE) as ws:
        mine, theirs = ws._blobs.path_of(ws.blob_id_of(info.id)), ws._blobs.path_of(ws.blob_id_of(other.id))
    assert sorted([mine, theirs]) == blobs
    data = mine.read_bytes()
    mine.write_bytes(flip_byte(data, len(data) // 2))
    report = check_workspace(path, PASSPHRASE)
    (f,) = by_code(report, "evidence-damaged")
    assert f.subject == f"evidence {SECRET_FILE_NAME!r} (CERT-02)"
    mine.write_bytes(theirs.read_bytes())  # a valid blob of the same workspace, swapped in
    (f,) = check_workspace(path, PASSPHRASE).damage
    assert f.code == "evidence-damaged" and "does not match its name" in f.detail
    mine.unlink()
    report = check_workspace(path, PASSPHRASE)
    (f,) = by_code(report, "evidence-missing")
    assert f.subject == f"evidence {SECRET_FILE_NAME!r} (CERT-02)"
    r = run_cli("--lang", "ja", "check", str(path))
    assert r.code == 1 and SECRET_FILE_NAME in r.out and "証跡ファイルの暗号化データがありません" in r.out


def test_evidence_moved_to_another_item_or_file_is_detected(filled):
    path, info, other = filled
    with raw_db(path) as con:
        con.execute("UPDATE evidence SET item_id='TEC-04' WHERE id=?", (info.id,))
    with pytest.raises(CorruptData, match="item or file reference was altered"):
        Workspace.open(path, PASSPHRASE)
    assert by_code(check_workspace(path, PASSPHRASE), "record")
    with raw_db(path) as con:
        con.execute("UPDATE evidence SET item_id='CERT-02' WHERE id=?", (info.id,))
        a, b = (con.execute("SELECT blob_id FROM evidence WHERE id=?", (i,)).fetchone()[0]
                for i in (info.id, other.id))
        con.execute("UPDATE evidence SET blob_id=? WHERE id=?", (b, info.id))
        con.execute("UPDATE evidence SET blob_id=? WHERE id=?", (a, other.id))
    with pytest.raises(CorruptData):
        Workspace.open(path, PASSPHRASE)
    assert len(by_code(check_workspace(path, PASSPHRASE), "record")) == 2


def test_a_deleted_or_rolled_back_row_is_caught_by_replaying_the_log(filled, tmp_path):
    """Sealing binds a record to its row, but cannot notice a row deleted or an older
    sealed value put back; the activity log replay does."""
    path, _info, _other = filled
    old_copy = tmp_path / "old.db"
    shutil.copy(path / "attest.db", old_copy)
    with Workspace.open(path, PASSPHRASE) as ws:
        ws.set_answer("CERT-01", "pmark")
    with sqlite3.connect(old_copy) as old:
        stale = old.execute("SELECT sealed FROM answer WHERE item_id='CERT-01'").fetchone()[0]
    with raw_db(path) as con:
        con.execute("DELETE FROM answer WHERE item_id='AGR-01'")
        con.execute("UPDATE answer SET sealed=? WHERE item_id='CERT-01'", (stale,))
    with Workspace.open(path, PASSPHRASE) as ws:  # opening alone cannot tell
        assert ws.answer("AGR-01") is None and ws.answer("CERT-01").value == "isms"
    report = check_workspace(path, PASSPHRASE)
    found = {f.subject: f.detail for f in by_code(report, "log-mismatch")}
    assert "missing, but activity log entry 2 set it" in found["answer AGR-01"]
    assert "differs from what activity log entry" in found["answer CERT-01"]


def test_deleted_evidence_row_is_caught_by_the_log(filled):
    path, info, _other = filled
    with raw_db(path) as con:
        con.execute("DELETE FROM evidence WHERE id=?", (info.id,))
    (f,) = by_code(check_workspace(path, PASSPHRASE), "log-mismatch")
    assert f.subject == f"evidence {SECRET_FILE_NAME!r} (CERT-02)" and "added it" in f.detail


def test_altered_questionnaire_text_is_detected(filled):
    path, _info, _other = filled
    with raw_db(path) as con:
        con.execute("UPDATE workspace SET template_text = replace(template_text, "
                    "'利用規約に同意していますか。', '利用規約に同意していませんか。')")
    with pytest.raises(CorruptData, match="workspace template"):
        Workspace.open(path, PASSPHRASE)
    (f,) = by_code(check_workspace(path, PASSPHRASE), "template")
    assert "altered" in f.detail


def test_sqlite_structure_damage_is_reported(filled):
    path, _info, _other = filled
    with raw_db(path) as con:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name=?",
                              ("ix_evidence_blob_id",)).fetchone()
    with open(path / "attest.db", "r+b") as fh:
        fh.seek(page_size * (root - 1))
        page = bytearray(fh.read(page_size))
        for i in range(page_size - 60, page_size - 20):
            page[i] ^= 0x55
        fh.seek(page_size * (root - 1))
        fh.write(page)
    report = check_workspace(path, PASSPHRASE)
    assert any("ix_evidence_blob_id" in f.detail for f in by_code(report, "database")), report.findings


def test_leftovers_pass_and_repair_removes_them(filled):
    path, _info, _other = filled
    (path / "blobs" / "tmp").mkdir(exist_ok=True)
    (path / "blobs" / "tmp" / "deadbeef.part").write_bytes(b"partial")
    (path / "backups" / "tmp").mkdir(exist_ok=True)
    (path / "backups" / "tmp" / "0123.part").write_bytes(b"partial")
    orphan = path / "blobs" / "ab" / ("ab" + "0" * 62 + ".age")
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(os.urandom(300))
    stray = path / "blobs" / "notes.txt"
    stray.write_text("mine")
    report = check_workspace(path, PASSPHRASE)
    assert report.ok and not report.clean
    assert codes(report.leftovers) == {"temporary-file", "orphaned-blob"} and len(report.leftovers) == 3
    assert [f.subject for f in by_code(report, "unexpected-file")] == ["blobs/notes.txt"]
    r = run_cli("check", str(path))
    assert r.code == 0 and "3 harmless leftovers" in r.out
    report = check_workspace(path, PASSPHRASE, repair=True)
    assert len(report.repaired) == 3 and report.clean
    assert not orphan.exists() and stray.read_text() == "mine"
    assert list((path / "blobs" / "tmp").iterdir()) == [] and list((path / "backups" / "tmp").iterdir()) == []
    assert check_workspace(path, PASSPHRASE).clean
    with Workspace.open(path, PASSPHRASE) as ws:
        assert len(ws.evidence()) == 2


def test_orphans_are_kept_while_something_is_damaged(filled):
    path, _info, _other = filled
    orphan = path / "blobs" / "ab" / ("ab" + "1" * 62 + ".age")
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"x" * 100)
    with raw_db(path) as con:
        sealed = con.execute("SELECT sealed FROM answer WHERE item_id='AGR-01'").fetchone()[0]
        con.execute("UPDATE answer SET sealed=? WHERE item_id='AGR-01'", (flip_byte(sealed, 15),))
    report = check_workspace(path, PASSPHRASE, repair=True)
    assert not report.ok and orphan.exists()
    assert any(f.subject == "orphaned blobs" for f in by_code(report, "not-checked"))


def test_check_of_an_open_workspace_for_the_desktop(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    seen: list[tuple[int, int]] = []
    report = check_open(mini_ws, progress=lambda d, t: seen.append((d, t)))
    assert report.ok and seen and seen[-1][0] == seen[-1][1] > 0
    with pytest.raises(Cancelled):
        check_open(mini_ws, cancel=lambda: True)
    assert mini_ws.answer("AGR-01").value == "yes"  # still open and usable


def test_every_finding_code_has_both_languages():
    from storage.integrity import CODES

    for code, (severity, title) in CODES.items():
        assert isinstance(severity, Severity) and title.ja and title.en, code


def test_imported_reviews_are_checked(mini_ws):
    from storage.reviews import save_review

    from .test_reviews_storage import _review

    kept = save_review(mini_ws, _review(mini_ws.id))
    gone = save_review(mini_ws, _review(mini_ws.id, "二回目"))
    path = mini_ws.path
    mini_ws.close()
    report = check_workspace(path, PASSPHRASE)
    assert report.clean and report.counts["reviews"] == 2
    with raw_db(path) as con:
        con.execute("DELETE FROM review WHERE id=?", (gone,))
        sealed = con.execute("SELECT sealed FROM review WHERE id=?", (kept,)).fetchone()[0]
        con.execute("UPDATE review SET sealed=? WHERE id=?", (flip_byte(sealed, 30), kept))
    found = {(f.code, f.subject) for f in check_workspace(path, PASSPHRASE).damage}
    assert ("record", f"imported review {kept[:12]}") in found
    assert ("log-mismatch", f"imported review {gone[:12]}") in found

"""The encrypted workspace, with real Argon2id, AES-GCM, age and SQLite files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sqlite3
from pathlib import Path

import pytest

from questionnaire import InvalidAnswer, UnknownItem
from storage import (
    CorruptData,
    DuplicateEvidence,
    EvidenceMeta,
    InvalidEvidence,
    KdfParams,
    NotAWorkspace,
    UnsupportedWorkspace,
    WeakPassphrase,
    Workspace,
    WorkspaceExists,
    WorkspaceLocked,
    WrongPassphrase,
)

from .conftest import FAST_KDF, PASSPHRASE, tree_bytes

SECRET_ANSWER = "登録番号 IS-SECRET-778899"
SECRET_NOTE = "是正計画：二〇二七年三月までに多要素認証を導入"
SECRET_FILE_NAME = "ISMS登録証_極秘_2026.pdf"
SECRET_CONTENT = b"%PDF-1.7\nCONFIDENTIAL-CERTIFICATE-BODY-0123456789\n" * 200


def cert_file(tmp_path: Path, name: str = SECRET_FILE_NAME, content: bytes = SECRET_CONTENT) -> Path:
    p = tmp_path / name
    p.write_bytes(content)
    return p


def fill(ws: Workspace, tmp_path: Path):
    ws.set_answer("AGR-01", "はい")
    ws.set_answer("CERT-01", "isms")
    ws.set_answer("CERT-02", SECRET_ANSWER)
    ws.set_answer("TEC-04", "一部", note=SECRET_NOTE)
    return ws.add_evidence("CERT-02", cert_file(tmp_path), EvidenceMeta(
        "certificate", title="ISMS 登録証", issuer="テスト審査機関", number="IS 778899",
        issued=dt.date(2024, 4, 1), expires=dt.date(2027, 3, 31)))


def test_answers_and_evidence_survive_reopen(mini_ws, tmp_path):
    info = fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.vendor == "テスト建設システム株式会社"
        assert ws.answer("CERT-02").value == SECRET_ANSWER
        assert ws.answer("TEC-04").value == "partial"
        assert ws.answer("TEC-04").note == SECRET_NOTE
        (again,) = ws.evidence("CERT-02")
        assert again == info
        assert (again.filename, again.issuer, again.expires) == (SECRET_FILE_NAME, "テスト審査機関",
                                                                 dt.date(2027, 3, 31))
        assert again.sha256 == hashlib.sha256(SECRET_CONTENT).hexdigest()
        assert ws.evidence_bytes(info.id) == SECRET_CONTENT
        assert ws.verify_activity() == []
        actions = [e.action for e in ws.activity()]
        assert actions[0] == "workspace.created" and "evidence.added" in actions


def test_nothing_typed_or_attached_is_readable_on_disk(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)  # the source file lives outside the workspace folder
    mini_ws.set_vendor("極秘ベンダー株式会社")
    path = mini_ws.path
    mini_ws.close()
    needles = {
        "answer": SECRET_ANSWER, "note": SECRET_NOTE, "file name": SECRET_FILE_NAME,
        "file stem": "極秘_2026", "vendor": "極秘ベンダー", "issuer": "テスト審査機関",
        "number": "IS 778899", "content": SECRET_CONTENT[:40],
        "content hash": hashlib.sha256(SECRET_CONTENT).hexdigest(),
    }
    files = tree_bytes(path)
    assert any(p.suffix == ".age" for p, _ in files)
    for what, needle in needles.items():
        forms = [needle] if isinstance(needle, bytes) else [
            needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]
        for p, data in files:
            for form in forms:
                assert form not in data, f"{what} readable in {p.relative_to(path)}"


def test_wrong_passphrase_refused_and_nothing_changes(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    before = {p: d for p, d in tree_bytes(path) if p.name != "workspace.lock"}
    with pytest.raises(WrongPassphrase, match="^wrong passphrase$"):
        Workspace.open(path, "correct horse batterY")
    after = {p: d for p, d in tree_bytes(path) if p.name != "workspace.lock"}
    assert before == after
    Workspace.open(path, PASSPHRASE).close()  # and the lock was released


def test_second_open_is_refused_while_open(mini_ws):
    with pytest.raises(WorkspaceLocked, match="open in another"):
        Workspace.open(mini_ws.path, PASSPHRASE)


def test_not_a_workspace(tmp_path):
    with pytest.raises(NotAWorkspace, match="no such folder"):
        Workspace.open(tmp_path / "nope", PASSPHRASE)
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotAWorkspace, match="no attest.db"):
        Workspace.open(tmp_path / "empty", PASSPHRASE)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "attest.db").write_text("hello")
    with pytest.raises(NotAWorkspace, match="not a database"):
        Workspace.open(tmp_path / "junk", PASSPHRASE)


def test_create_refuses_non_empty_and_weak(tmp_path, mini_template):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(WorkspaceExists):
        Workspace.create(tmp_path / "full", PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    with pytest.raises(WeakPassphrase):
        Workspace.create(tmp_path / "weak", "short", template=mini_template, kdf=FAST_KDF)
    assert not (tmp_path / "weak").exists()
    (tmp_path / "empty").mkdir()
    Workspace.create(tmp_path / "empty", PASSPHRASE, template=mini_template, kdf=FAST_KDF).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "full"]  # no staging left


def test_flipped_byte_in_evidence_blob_is_reported_by_name(mini_ws, tmp_path):
    info = fill(mini_ws, tmp_path)
    (blob,) = (mini_ws.path / "blobs").glob("*/*.age")
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    with pytest.raises(CorruptData, match=SECRET_FILE_NAME):
        mini_ws.evidence_bytes(info.id)
    with pytest.raises(CorruptData, match=SECRET_FILE_NAME):
        mini_ws.read_evidence(info.id, None)


def test_swapped_blob_is_detected(mini_ws, tmp_path):
    a = mini_ws.add_evidence("CERT-02", cert_file(tmp_path, "a.pdf", b"A" * 5000),
                             EvidenceMeta("certificate"))
    b = mini_ws.add_evidence("TEC-04", cert_file(tmp_path, "b.pdf", b"B" * 5000),
                             EvidenceMeta("policy"))
    pa = mini_ws._blobs.path_of(mini_ws.blob_id_of(a.id))
    pb = mini_ws._blobs.path_of(mini_ws.blob_id_of(b.id))
    pa_bytes = pa.read_bytes()
    pa.write_bytes(pb.read_bytes())
    pb.write_bytes(pa_bytes)
    with pytest.raises(CorruptData, match="does not match its name"):
        mini_ws.evidence_bytes(a.id)


def test_read_evidence_checks_the_sealed_sha256(mini_ws, tmp_path):
    a = mini_ws.add_evidence("CERT-02", cert_file(tmp_path, "a.pdf", b"A" * 5000),
                             EvidenceMeta("certificate"))
    b = mini_ws.add_evidence("TEC-04", cert_file(tmp_path, "b.pdf", b"B" * 5000),
                             EvidenceMeta("policy"))
    out = io.BytesIO()
    assert mini_ws.read_evidence(a.id, out) == 5000 and out.getvalue() == b"A" * 5000
    pa = mini_ws._blobs.path_of(mini_ws.blob_id_of(a.id))
    pa.write_bytes(mini_ws._blobs.path_of(mini_ws.blob_id_of(b.id)).read_bytes())
    with pytest.raises(CorruptData, match="does not match the SHA-256 recorded when it was attached"):
        mini_ws.read_evidence(a.id, io.BytesIO())
    with pytest.raises(CorruptData, match="a.pdf"):
        mini_ws.read_evidence(a.id, None)


def test_tampered_database_record_is_reported(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    con = sqlite3.connect(path / "attest.db")
    sealed = con.execute("SELECT sealed FROM answer WHERE item_id='CERT-02'").fetchone()[0]
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    con.execute("UPDATE answer SET sealed=? WHERE item_id='CERT-02'", (flipped,))
    # moving a valid sealed record to another row must fail too
    good = con.execute("SELECT sealed FROM answer WHERE item_id='AGR-01'").fetchone()[0]
    con.execute("UPDATE answer SET sealed=? WHERE item_id='CERT-01'", (good,))
    con.commit()
    con.close()
    with pytest.raises(CorruptData, match="answer:C"):
        Workspace.open(path, PASSPHRASE)
    with pytest.raises(CorruptData):  # the failed open released its lock
        Workspace.open(path, PASSPHRASE)


def test_change_passphrase_rewraps_without_reencrypting(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    path = mini_ws.path
    blobs_before = {p: d for p, d in tree_bytes(path / "blobs")}
    con = sqlite3.connect(path / "attest.db")
    rows_before = con.execute("SELECT item_id, sealed FROM answer ORDER BY item_id").fetchall()
    con.close()
    with pytest.raises(WrongPassphrase):
        mini_ws.change_passphrase("not the passphrase", "new passphrase 2026")
    with pytest.raises(WeakPassphrase):
        mini_ws.change_passphrase(PASSPHRASE, "short")
    mini_ws.change_passphrase(PASSPHRASE, "新しいパスフレーズ 2026")
    mini_ws.close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE)
    with Workspace.open(path, "新しいパスフレーズ 2026") as ws:
        assert ws.answer("CERT-02").value == SECRET_ANSWER
        assert ws.kdf_params() == FAST_KDF
        assert ws.activity()[-1].action == "passphrase.changed"
    assert {p: d for p, d in tree_bytes(path / "blobs")} == blobs_before
    con = sqlite3.connect(path / "attest.db")
    assert con.execute("SELECT item_id, sealed FROM answer ORDER BY item_id").fetchall() == rows_before
    con.close()


def test_same_file_is_stored_once(mini_ws, tmp_path):
    src = cert_file(tmp_path)
    a = mini_ws.add_evidence("CERT-02", src, EvidenceMeta("certificate"))
    copy = cert_file(tmp_path, "copy-with-other-name.pdf")
    b = mini_ws.add_evidence("TEC-04", copy, EvidenceMeta("policy"))
    assert len(list((mini_ws.path / "blobs").glob("*/*.age"))) == 1
    assert mini_ws.blob_id_of(a.id) == mini_ws.blob_id_of(b.id)
    with pytest.raises(DuplicateEvidence):
        mini_ws.add_evidence("CERT-02", copy, EvidenceMeta("certificate"))
    mini_ws.remove_evidence(a.id)
    assert len(list((mini_ws.path / "blobs").glob("*/*.age"))) == 1  # still used by b
    assert mini_ws.evidence_bytes(b.id) == SECRET_CONTENT
    mini_ws.remove_evidence(b.id)
    assert list((mini_ws.path / "blobs").glob("*/*.age")) == []


def test_bad_answers_change_nothing(mini_ws):
    mini_ws.set_answer("TEC-03", 30)
    for item_id, value, err in [
        ("NOPE-01", "はい", UnknownItem), ("CERT-03", "2026-02-30", InvalidAnswer),
        ("TEC-03", "lots", InvalidAnswer), ("AGR-01", "perhaps", InvalidAnswer),
    ]:
        with pytest.raises(err):
            mini_ws.set_answer(item_id, value)
    with pytest.raises(InvalidAnswer, match="CERT-03"):
        mini_ws.set_answers({"AGR-01": "はい", "CERT-03": "not a date"})
    assert set(mini_ws.answers()) == {"TEC-03"}
    assert [e.action for e in mini_ws.activity()] == ["workspace.created", "answer.set"]


def test_set_answers_is_one_transaction_and_idempotent(mini_ws):
    n = mini_ws.set_answers({"AGR-01": "はい", "TEC-04": {"value": "いいえ", "note": "来期対応"}})
    assert n == 2
    assert mini_ws.set_answers({"AGR-01": "yes"}) == 0  # unchanged: no log entry
    assert mini_ws.answer("TEC-04").note == "来期対応"
    mini_ws.set_answer("TEC-04", "一部")  # note kept when not given
    assert mini_ws.answer("TEC-04").note == "来期対応"
    mini_ws.set_answer("TEC-04", None, note=None)
    assert mini_ws.answer("TEC-04") is None


def test_bad_evidence_is_refused(mini_ws, tmp_path):
    src = cert_file(tmp_path)
    with pytest.raises(InvalidEvidence, match="cannot read"):
        mini_ws.add_evidence("CERT-02", tmp_path / "missing.pdf", EvidenceMeta("certificate"))
    with pytest.raises(InvalidEvidence, match="not a regular file"):
        mini_ws.add_evidence("CERT-02", tmp_path, EvidenceMeta("certificate"))
    with pytest.raises(InvalidEvidence, match="unknown evidence kind"):
        mini_ws.add_evidence("CERT-02", src, EvidenceMeta("selfie"))
    with pytest.raises(InvalidEvidence, match="before issue date"):
        mini_ws.add_evidence("CERT-02", src, EvidenceMeta("certificate", issued=dt.date(2026, 1, 2),
                                                          expires=dt.date(2026, 1, 1)))
    with pytest.raises(UnknownItem):
        mini_ws.add_evidence("CERT-99", src, EvidenceMeta("certificate"))
    assert mini_ws.evidence() == []
    assert list((mini_ws.path / "blobs").glob("*/*.age")) == []


def test_evidence_metadata_update_and_copy(mini_ws, tmp_path):
    info = fill(mini_ws, tmp_path)
    new = mini_ws.update_evidence(info.id, EvidenceMeta("certificate", title="更新後", expires="2028-03-31"))
    assert new.expires == dt.date(2028, 3, 31) and new.title == "更新後" and new.sha256 == info.sha256
    out = tmp_path / "out" / "copy.pdf"
    out.parent.mkdir()
    mini_ws.save_evidence_copy(info.id, out)
    assert out.read_bytes() == SECRET_CONTENT
    with pytest.raises(Exception, match="already exists"):
        mini_ws.save_evidence_copy(info.id, out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["copy.pdf"]


def test_streaming_attach_reports_progress_and_cancels_cleanly(mini_ws, tmp_path):
    from storage import Cancelled

    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for i in range(24):
            fh.write(os.urandom(1 << 20) if i % 8 == 0 else bytes([i]) * (1 << 20))
    ticks: list[tuple[int, int]] = []
    info = mini_ws.add_evidence("TEC-04", big, EvidenceMeta("policy"),
                                progress=lambda done, total: ticks.append((done, total)))
    assert len(ticks) >= 20 and ticks[-1] == (24 << 20, 24 << 20)
    assert mini_ws.evidence_info(info.id).sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    seen = []
    with pytest.raises(Cancelled):
        mini_ws.add_evidence("CERT-02", big.rename(tmp_path / "big2.bin"), EvidenceMeta("certificate"),
                             progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) > 3)
    assert [e.id for e in mini_ws.evidence()] == [info.id]
    assert list((mini_ws.path / "blobs" / "tmp").iterdir()) == []


def test_kdf_parameters_are_capped(mini_ws):
    for bad in [dict(memory_kib=64), dict(memory_kib=8 << 20), dict(iterations=0),
                dict(iterations=1000), dict(lanes=0), dict(algorithm="pbkdf2")]:
        with pytest.raises(UnsupportedWorkspace):
            KdfParams(**bad)
    path = mini_ws.path
    mini_ws.close()
    con = sqlite3.connect(path / "attest.db")
    con.execute("""UPDATE keyslot SET kdf_params='{"memory_kib": 67108864, "iterations": 3,
                   "lanes": 4, "algorithm": "argon2id"}'""")
    con.commit()
    con.close()
    with pytest.raises(UnsupportedWorkspace, match="memory"):
        Workspace.open(path, PASSPHRASE)


def test_files_are_private(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    assert mini_ws.path.stat().st_mode & 0o077 == 0
    assert (mini_ws.path / "attest.db").stat().st_mode & 0o077 == 0
    for blob in (mini_ws.path / "blobs").glob("*/*.age"):
        assert blob.stat().st_mode & 0o077 == 0

"""Automatic backups and restore, with real SQLite snapshots, real keys and real blobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil

import pytest

from storage import EvidenceMeta, Workspace, WorkspaceLocked, WrongPassphrase
from storage import backups as bk
from storage.integrity import check_workspace
from storage.restore import RestoreRefused, restore_backup
from storage.unlock import Header, unlock

from .conftest import FAST_KDF, PASSPHRASE, run_cli, tree_bytes
from .tamper import flip_byte
from .test_workspace import (
    SECRET_ANSWER,
    SECRET_CONTENT,
    SECRET_FILE_NAME,
    SECRET_NOTE,
    cert_file,
    fill,
)

NEW_PASSPHRASE = "新しいパスフレーズ 2026"


def names(path):
    return [b.name for b in bk.list_backups(path)]


def reasons(path):
    return [b.reason for b in bk.list_backups(path)]


def session(path, fn, passphrase=PASSPHRASE):
    with Workspace.open(path, passphrase) as ws:
        return fn(ws)


def test_a_backup_is_taken_when_a_session_changed_something(mini_ws):
    path = mini_ws.path
    assert names(path) == []  # creating is not worth a backup by itself
    mini_ws.set_answer("AGR-01", "はい")
    mini_ws.close()
    assert reasons(path) == ["close"]
    session(path, lambda ws: ws.answers())  # reading only: nothing new
    assert reasons(path) == ["close"]
    session(path, lambda ws: ws.set_answer("CERT-01", "isms"))
    (newest, older) = bk.list_backups(path)
    assert (newest.reason, newest.seq, older.seq) == ("close", 3, 2)
    # a session that ended without closing (a crash): the next open keeps the state first
    newest.path.unlink()
    session(path, lambda ws: None)
    assert [(b.reason, b.seq) for b in bk.list_backups(path)] == [("open", 3), ("close", 2)]


def test_backups_during_a_long_session(mini_ws, monkeypatch):
    monkeypatch.setattr(bk, "AUTO_EVERY", 5)
    for i in range(12):
        mini_ws.set_answer("TEC-03", i + 1)
    assert reasons(mini_ws.path) == ["auto", "auto"]
    assert [b.seq for b in bk.list_backups(mini_ws.path)] == [11, 6]


def test_rotation_keeps_the_newest_and_one_per_recent_day(monkeypatch):
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)

    def info(hours_ago, n):
        t = now - dt.timedelta(hours=hours_ago)
        return bk.BackupInfo(f"b{n}", None, t, "close", n, 0)

    # 12 backups today (hourly), then one every day for 10 days
    backups = [info(h, h) for h in range(12)] + [info(24 * d, 100 + d) for d in range(1, 11)]
    pruned = {b.name for b in bk.to_prune(backups)}
    kept = [b.name for b in backups if b.name not in pruned]
    assert kept == [f"b{h}" for h in range(10)] + [f"b{100 + d}" for d in range(1, 7)]


def test_rotation_in_practice(mini_ws, monkeypatch):
    monkeypatch.setattr(bk, "KEEP_RECENT", 3)
    path = mini_ws.path
    mini_ws.close()
    for i in range(6):
        session(path, lambda ws, i=i: ws.set_answer("TEC-03", i))
    assert [b.seq for b in bk.list_backups(path)] == [7, 6, 5]


def test_backups_hold_no_plaintext_and_are_private(mini_ws, tmp_path, monkeypatch):
    monkeypatch.setattr(bk, "AUTO_EVERY", 1)  # a snapshot after every change
    fill(mini_ws, tmp_path)
    mini_ws.set_vendor("極秘ベンダー株式会社")
    path = mini_ws.path
    mini_ws.close()
    files = tree_bytes(path / "backups")
    assert len(files) >= 6
    needles = [SECRET_ANSWER, SECRET_NOTE, SECRET_FILE_NAME, "極秘ベンダー", "テスト審査機関", "IS 778899"]
    for p, data in files:
        for needle in needles:
            for form in (needle.encode(), needle.encode("utf-16-le"), needle.encode("utf-16-be")):
                assert form not in data, f"{needle} readable in {p.name}"
        assert SECRET_CONTENT[:40] not in data
        assert hashlib.sha256(SECRET_CONTENT).hexdigest().encode() not in data
    if os.name == "posix":
        assert (path / "backups").stat().st_mode & 0o077 == 0
        for p, _ in files:
            assert p.stat().st_mode & 0o077 == 0, p


def test_restore_brings_back_an_earlier_state_and_can_be_undone(mini_ws, tmp_path):
    info = fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    (before,) = bk.list_backups(path)
    session(path, lambda ws: (ws.set_answer("CERT-02", "書き換えた値"), ws.remove_evidence(info.id)))
    result = restore_backup(path, before.name, PASSPHRASE)
    assert result.backup == before.name and result.saved_as and "pre-restore" in result.saved_as
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.answer("CERT-02").value == SECRET_ANSWER
        (again,) = ws.evidence()
        assert again == info
        assert ws.evidence_bytes(info.id) == SECRET_CONTENT  # its blob was kept for the backup
        last = ws.activity()[-1]
        assert last.action == "workspace.restored" and last.detail["backup"] == before.name
        assert last.detail["saved_as"] == result.saved_as
        assert ws.verify_activity() == []
    assert check_workspace(path, PASSPHRASE).clean
    restore_backup(path, result.saved_as, PASSPHRASE)  # undo
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.answer("CERT-02").value == "書き換えた値" and ws.evidence() == []


def test_restore_never_lacks_evidence_while_the_backup_is_kept(mini_ws, tmp_path, monkeypatch):
    monkeypatch.setattr(bk, "KEEP_RECENT", 2)
    monkeypatch.setattr(bk, "KEEP_DAILY", 1)
    info = mini_ws.add_evidence("TEC-04", cert_file(tmp_path), EvidenceMeta("policy"))
    path = mini_ws.path
    blob = mini_ws._blobs.path_of(mini_ws.blob_id_of(info.id))
    mini_ws.close()
    session(path, lambda ws: ws.remove_evidence(info.id))
    assert blob.exists()  # the backup taken at the last close still needs it
    assert check_workspace(path, PASSPHRASE).clean  # kept, not an orphan
    for i in range(2):  # rotate every backup that referred to it out
        session(path, lambda ws, i=i: ws.set_answer("TEC-03", i))
    assert not blob.exists()
    assert check_workspace(path, PASSPHRASE).clean


def test_restore_refuses_a_backup_whose_evidence_is_gone(mini_ws, tmp_path):
    info = mini_ws.add_evidence("TEC-04", cert_file(tmp_path), EvidenceMeta("policy"))
    path = mini_ws.path
    blob = mini_ws._blobs.path_of(mini_ws.blob_id_of(info.id))
    mini_ws.close()
    (b,) = bk.list_backups(path)
    session(path, lambda ws: ws.remove_evidence(info.id))
    blob.unlink()  # e.g. deleted by hand
    report = check_workspace(path, PASSPHRASE)
    assert [f.code for f in report.damage] == ["backup-missing-file"]
    assert SECRET_FILE_NAME in report.damage[0].detail
    before = tree_bytes(path)
    with pytest.raises(RestoreRefused, match=SECRET_FILE_NAME):
        restore_backup(path, b.name, PASSPHRASE)
    assert tree_bytes(path) == before


def test_passphrase_change_applies_to_backups(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    session(path, lambda ws: ws.set_answer("AGR-01", "いいえ", note="理由"))
    session(path, lambda ws: ws.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, FAST_KDF))
    kept = bk.list_backups(path)
    assert len(kept) >= 3
    for b in kept:  # the old passphrase opens no kept backup
        con = bk.connect_ro(b.path)
        ws_id = con.execute("SELECT id FROM workspace").fetchone()[0]
        slot = bk.read_slot(con)
        con.close()
        header = Header(ws_id, slot.kdf_params, slot.salt, slot.wrapped_key)
        with pytest.raises(WrongPassphrase):
            unlock(header, PASSPHRASE)
        unlock(header, NEW_PASSPHRASE)
    oldest = kept[-1]
    with pytest.raises(WrongPassphrase):
        restore_backup(path, oldest.name, PASSPHRASE)
    restore_backup(path, oldest.name, NEW_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE)
    with Workspace.open(path, NEW_PASSPHRASE) as ws:  # restored, with today's passphrase
        assert ws.answer("AGR-01").value == "yes"
    assert check_workspace(path, NEW_PASSPHRASE).clean


def test_interrupted_rekey_is_finished_by_repair(mini_ws):
    mini_ws.set_answer("AGR-01", "はい")
    path = mini_ws.path
    mini_ws.close()
    (b,) = bk.list_backups(path)
    old_slot = bk.backup_slot(b.path)
    session(path, lambda ws: ws.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, FAST_KDF))
    stale = next(x for x in bk.list_backups(path) if x.name == b.name)
    bk.rekey(stale.path, path, old_slot)  # as if killed before this backup got the new slot
    report = check_workspace(path, NEW_PASSPHRASE)
    assert report.ok and [f.code for f in report.leftovers] == ["backup-old-key"]
    assert "earlier key slot" in run_cli("backups", str(path), passphrase=None).out
    assert check_workspace(path, NEW_PASSPHRASE, repair=True).clean
    assert bk.backup_slot(stale.path) != old_slot
    assert check_workspace(path, NEW_PASSPHRASE).clean
    bk.rekey(stale.path, path, old_slot)
    session(path, lambda ws: None, NEW_PASSPHRASE)  # the next open finishes it as well
    assert bk.backup_slot(stale.path) != old_slot


def test_a_strangers_backup_keeps_its_own_key_slot(mini_ws, tmp_path, mini_template):
    other = Workspace.create(tmp_path / "other", PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    other.set_answer("AGR-01", "はい")
    other.close()
    (foreign,) = bk.list_backups(other.path)
    copied = mini_ws.path / "backups" / foreign.name
    copied.parent.mkdir(exist_ok=True)
    shutil.copy(foreign.path, copied)
    slot = bk.backup_slot(copied)
    mini_ws.change_passphrase(PASSPHRASE, NEW_PASSPHRASE, FAST_KDF)
    mini_ws.close()
    assert bk.backup_slot(copied) == slot
    report = check_workspace(mini_ws.path, NEW_PASSPHRASE, repair=True)
    assert [f.detail for f in report.damage] == ["it belongs to another workspace"]
    assert bk.backup_slot(copied) == slot


def test_restore_is_refused_while_open_or_for_a_damaged_or_foreign_backup(mini_ws, tmp_path, mini_template):
    mini_ws.set_answer("AGR-01", "はい")
    path = mini_ws.path
    mini_ws.close()
    (b,) = bk.list_backups(path)
    with Workspace.open(path, PASSPHRASE):
        with pytest.raises(WorkspaceLocked):
            restore_backup(path, b.name, PASSPHRASE)
        r = run_cli("restore", str(path), b.name)
        assert r.code == 1 and "open in another" in r.err
    before = tree_bytes(path)
    data = b.path.read_bytes()
    con = bk.connect_ro(b.path)
    sealed = con.execute("SELECT sealed FROM answer").fetchone()[0]
    offset = data.index(sealed)
    con.close()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(flip_byte(data, offset + 20))
    with pytest.raises(RestoreRefused, match="damaged"):
        restore_backup(path, damaged, PASSPHRASE)
    other = Workspace.create(tmp_path / "other", PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    other.set_answer("AGR-01", "いいえ", note="x")
    other.close()
    (foreign,) = bk.list_backups(other.path)
    with pytest.raises(RestoreRefused, match="another workspace"):
        restore_backup(path, foreign.path, PASSPHRASE)
    with pytest.raises(RestoreRefused, match="no backup"):
        restore_backup(path, "20260101T000000000Z-close-1.db", PASSPHRASE)
    assert tree_bytes(path) == before


def test_restore_when_the_live_database_is_destroyed(mini_ws, tmp_path):
    fill(mini_ws, tmp_path)
    path = mini_ws.path
    mini_ws.close()
    (b,) = bk.list_backups(path)
    (path / "attest.db").write_bytes(os.urandom(4096))
    r = run_cli("status", str(path))
    assert r.code == 1 and "not a CCUS Attest workspace" in r.err
    listing = run_cli("backups", str(path), "--json", passphrase=None)
    assert listing.code == 0 and json.loads(listing.out)["backups"][0]["name"] == b.name
    r = run_cli("restore", str(path), b.name)
    assert r.code == 0, r.err
    assert "moved to backups/damaged-" in r.out
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.answer("CERT-02").value == SECRET_ANSWER
        assert ws.activity()[-1].action == "workspace.restored"
    (damaged,) = (path / "backups").glob("damaged-*")
    assert (damaged / "attest.db").stat().st_size == 4096
    assert check_workspace(path, PASSPHRASE).ok


def test_cli_lists_and_restores(mini_ws, tmp_path):
    mini_ws.set_answer("AGR-01", "はい")
    path = mini_ws.path
    mini_ws.close()
    session(path, lambda ws: ws.set_answer("AGR-01", "いいえ", note="未対応"))
    r = run_cli("backups", str(path), passphrase=None)
    assert r.code == 0 and len(r.out.splitlines()) == 2 and "3 log entries" in r.out
    data = json.loads(run_cli("backups", str(path), "--json", passphrase=None).out)
    oldest = data["backups"][-1]
    assert oldest["log_entries"] == 2 and oldest["status"] == "ok" and oldest["reason"] == "close"
    r = run_cli("restore", str(path), oldest["name"])
    assert r.code == 0 and "kept as backup" in r.out
    assert session(path, lambda ws: ws.answer("AGR-01").value) == "yes"
    r = run_cli("restore", str(path), "nonsense.db")
    assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and "no backup" in r.err
    assert run_cli("backups", str(tmp_path / "nowhere"), passphrase=None).code == 1


def test_a_failed_backup_never_fails_the_save(mini_ws):
    path = mini_ws.path
    shutil.rmtree(path / "backups", ignore_errors=True)
    (path / "backups").write_text("not a folder")  # backups cannot be written
    mini_ws.set_answer("AGR-01", "はい")
    mini_ws.close()
    assert mini_ws.backup_error and "backups" in mini_ws.backup_error
    assert session(path, lambda ws: ws.answer("AGR-01").value) == "yes"


def test_opened_in_one_thread_closed_in_another(mini_ws):
    """The desktop opens in a worker thread and closes (locks) on the UI thread: the
    workspace lock must be released all the same."""
    import threading

    path = mini_ws.path
    mini_ws.close()
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("ws", Workspace.open(path, PASSPHRASE)))
    t.start()
    t.join()
    box["ws"].set_answer("AGR-01", "はい")
    box["ws"].close()
    session(path, lambda ws: ws.answer("AGR-01").value)


def test_a_stray_file_in_the_blob_store_stops_neither_backups_nor_collection(mini_ws, tmp_path, caplog):
    """Only blob names (64 hex digits, in their own subfolder) are the store's to collect;
    anything else someone put there is left alone (``check`` reports it) and harms nothing."""
    path = mini_ws.path
    src = tmp_path / "policy.txt"
    src.write_text("policy")
    mini_ws.set_answer("AGR-01", "はい")
    info = mini_ws.add_evidence("AGR-01", src, EvidenceMeta("policy", title="方針"))
    stray = [path / "blobs" / "zz" / "orphan.age", path / "blobs" / "ab" / ("ab" + "X" * 62 + ".age"),
             path / "blobs" / "00" / ("11" + "0" * 62 + ".age")]  # a good name in the wrong folder
    for f in stray:
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(b"not ours")
    mini_ws.remove_evidence(info.id)
    # what a killed attach leaves: a blob nothing refers to, collected when the workspace closes
    garbage = path / "blobs" / "cd" / ("cd" + "1" * 62 + ".age")
    garbage.parent.mkdir(exist_ok=True)
    garbage.write_bytes(b"orphaned")
    mini_ws.close()
    assert reasons(path) == ["close"] and "backup failed" not in caplog.text
    assert not garbage.exists()  # collected at close
    assert all(f.read_bytes() == b"not ours" for f in stray)  # and nothing of others' deleted
    report = check_workspace(path, PASSPHRASE)
    assert report.ok
    assert {f.subject for f in report.findings if f.code == "unexpected-file"} >= {"blobs/zz"}
